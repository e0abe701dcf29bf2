#!/usr/bin/env python3
"""Check a device's reaction time in a run's report.json against the
times of its messages (tests/interop/hil-timing.sh).

usage: reaction.py REPORT_JSON DO_WHAT STEP MIN_DRIVER_MS MIN_REACTION_MS
  DO_WHAT  the driven do: step, as the report names it ("do A dial B")
  STEP     the device's message step that follows it (F1)
It holds when the do: step passed with a driver time of at least
MIN_DRIVER_MS; STEP passed; STEP's message arrived while the driver was
still busy (timestamped at least MIN_DRIVER_MS / 2 before the driver
finished: the event loop was not blocked); STEP's device_ms is at least
MIN_REACTION_MS (the device acted that long after it was asked) and is
that arrival minus the moment the driver was asked (the do: step's end
minus its driver time): at most 1 ms more (a message's record and its
arrival a tick apart), at most 50 ms less (the stimulus leaves once the
driver has sent its request, started its command — a fork, slow under
load and sanitizers — or shown its prompt). Prints the figures; exit 0
or 1."""
import json
import sys

path, do_what, step_id = sys.argv[1:4]
min_driver, min_reaction = int(sys.argv[4]), int(sys.argv[5])
scn = json.load(open(path))["scenarios"][0]
do = next(s for s in scn["steps"] if s["what"] == do_what)
st = next(s for s in scn["steps"] if s["id"] == step_id)
msg = next(m for m in scn["messages"] if m["step"] == step_id)

driver = do.get("device_ms", -1)
asked = do["t_ms"] - driver
reaction = st.get("device_ms", -1)
arrived = msg["t_ms"]
print(f"{do_what}: {do['status']}, asked at {asked} ms, driver {driver} ms "
      f"(done at {do['t_ms']} ms); {step_id}: {st['status']}, arrived at "
      f"{arrived} ms (frame {msg['frame']}), device {reaction} ms")

ok = (do["status"] == "pass" and do.get("stimulus") and
      driver >= min_driver and st["status"] == "pass" and
      arrived <= do["t_ms"] - min_driver // 2 and
      reaction >= min_reaction and
      -50 <= reaction - (arrived - asked) <= 1)
sys.exit(0 if ok else 1)
