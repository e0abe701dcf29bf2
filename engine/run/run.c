/* engine/run/run.c — play one scenario: the stage and its one call
 *
 * The stage (struct run) holds the scenario, the roles' agents and
 * ledgers, the pcap, the clock, the live capture and the findings; its
 * call (engine/run/call.h) holds the cursor and the verdicts. One cursor
 * walks the top-level steps (call_step.c). A step whose sender is
 * simulated is built by that role's agent and sent (the port, run_port.c);
 * if its receiver is simulated too, the step completes when the message
 * arrives there and passes the same checks as a message from a device. A
 * step whose sender is a DUT waits (bounded) for its message. An
 * any-order group completes when all its members have, in whatever order
 * they happen. Everything received (run_recv.c) goes to the call's inbox
 * first; a message no remaining step can take fails the step that was
 * waiting, naming what arrived.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "msgrec.h"
#include "msgtext.h"
#include "agent.h"
#include "track.h"
#include "match.h"
#include "pcapw.h"
#include "rules.h"
#include "run.h"
#include "run_priv.h"
#include "clock.h"
#include "testbed.h"
#include "live.h"
#include "pcapr.h"
#include "retrans.h"
#include <pcap/pcap.h>


static void destructor(void *data)
{
	struct run *run = data;
	int t;

	for (t = 0; t < CALL_TMR_N; t++)
		clock_tmr_cancel(&run->ctmr[t]);
	run_media_stop(run);
	clock_tmr_cancel(&run->tmr_quiet);
	clock_tmr_cancel(&run->tmr_event);
	list_flush(&run->events);
	clock_tmr_cancel(&run->tmr_settle);
	clock_tmr_cancel(&run->tmr_settle_max);
	list_flush(&run->rtxs);
	mem_deref(run->live);
	mem_deref(run->feed);
	list_flush(&run->agents);
	list_flush(&run->findings);
	list_flush(&run->msgs);
	mem_deref(run->call);
	mem_deref(run->icmp);
	mem_deref(run->dtmf_ms);
	mem_deref(run->mwin);
	mem_deref(run->dtmf_mark);
	mem_deref(run->pcap);
	mem_deref(run->clock);   /* after every timer of the run stopped */
}


/** A verdict's word, as reports print it */
const char *verdict_name(enum verdict_status s)
{
	switch (s) {

	case VERDICT_PASS:   return "pass";
	case VERDICT_FAIL:   return "FAIL";
	case VERDICT_SKIP:   return "skip";
	case VERDICT_NOTRUN: return "not run";
	default:             return "pending";
	}
}


/** The run's time: ms since it started, on its clock */
uint64_t run_now(const struct run *run)
{
	return clock_now(run->clock) - run->t0;
}


/* pcapw_time_h: a packet's stamp is the run's clock's */
static void pcap_time_h(struct timeval *tv, void *arg)
{
	const struct run *run = arg;

	clock_tv(run->clock, tv);
}


/** A note, to the log handler (through the call's port, as its own) */
void run_logf(struct run *run, const char *fmt, ...)
{
	va_list ap;

	if (!run->call)
		return;

	va_start(ap, fmt);
	call_vlogf(run->call, fmt, ap);
	va_end(ap);
}



/** Whether a role's recording (a phone's WAV next to the capture) could
 *  not be written whole: 0, or the errno, *pathp its file */
int run_record_error(const struct run *run, const char **pathp)
{
	struct le *le;
	int err = 0;

	for (le = run ? run->agents.head : NULL; le && !err; le = le->next)
		err = agent_record_err(le->data, pathp);

	return err;
}

void run_write_pcap(struct run *run, struct msgrec *r)
{
	int err;

	if (!run->pcap)
		return;

	/* TCP and TLS: a TCP segment of its connection (TLS as the SIP it
	 * carried, docs/decisions/0005-tls-in-the-pcap.md) */
	if (r->tp == SIP_TRANSP_TCP || r->tp == SIP_TRANSP_TLS)
		err = pcapw_write_tcp(run->pcap, &r->src, &r->dst, r->mb->buf,
				      r->mb->end, &r->frame);
	else
		err = pcapw_write(run->pcap, &r->src, &r->dst, r->mb->buf,
				  r->mb->end, &r->frame);

	/* a write that failed (a full disk) is kept by the writer and told
	 * once, at the end (run_pcap_error); a message no frame can carry
	 * is told here */
	if (err && err != pcapw_error(run->pcap, NULL))
		run_logf(run, "pcap: cannot write frame: %m", err);
}



/* a step between two devices under test is out of sight */
static int check_visible(const struct scenario *sc, struct diag *dg)
{
	unsigned i;
	int err = 0;

	for (i = 0; i < sc->nsteps; i++) {
		const struct step *st = scenario_step_at(sc, i);

		if (!st || st->type != STEP_MSG)
			continue;
		if (st->from->dut && st->to->dut) {
			diag_err(dg, step_file(sc, st), &st->pos,
				 "step %s: %s and %s are both devices under "
				 "test; sipflow cannot see that message%s",
				 st->id, st->from->name, st->to->name,
				 step_from(st));
			err = EINVAL;
		}
	}

	return err;
}


/**
 * A run of a bound scenario (every role has an address). Opens the
 * sockets of the simulated roles and the pcap file; bad bindings (an
 * address in use, a step between two DUTs) are reported into dg.
 */
int run_alloc(struct run **runp, struct scenario *sc,
	      const struct run_opts *opts, const struct run_handlers *h,
	      struct diag *dg)
{
	char capsrc[64] = "--capture";
	struct run_opts o;
	struct run *run;
	struct le *le;
	int err;

	if (!runp || !sc || !opts)
		return EINVAL;

	/* --capture, else the testbed's capture: of a device; errors name
	 * the one that asked */
	o = *opts;
	if (!o.capture && !o.offline) {
		const struct role *cr = testbed_capture_role(sc);

		if (cr) {
			o.capture = cr->capture_if;
			re_snprintf(capsrc, sizeof(capsrc), "testbed "
				    "capture: of %s", cr->name);
		}
	}
	opts = &o;

	if (!opts->offline && !opts->capture) {
		err = check_visible(sc, dg);
		if (err)
			return err;
	}
	if (!opts->offline) {
		err = testbed_check_drivers(sc, dg);
		if (err)
			return err;
	}

	run = mem_zalloc(sizeof(*run), destructor);
	if (!run)
		return ENOMEM;

	run->sc = sc;
	run->opts = *opts;
	run->opts.clock = NULL;
	run->offline = opts->offline;
	if (h)
		run->h = *h;

	if (opts->clock && clock_is_virtual(opts->clock) &&
	    (opts->offline || opts->capture || !run_virtual_ok(sc))) {
		diag_err(dg, sc->file, NULL, "virtual time needs every role "
			 "scripted (ua or proxy, no phone, no device) and no "
			 "capture");
		err = EINVAL;
		goto out;
	}
	err = 0;
	if (opts->clock)
		run->clock = mem_ref(opts->clock);
	else
		err = clock_alloc(&run->clock, opts->offline ? CLOCK_CAPTURE
				  : CLOCK_REAL);
	if (err)
		goto out;

	sip_timers_resolve(&run->timers, opts->timers, &sc->timers);
	if (!sip_timers_valid(&run->timers)) {
		diag_err(dg, sc->file, NULL, "timers: T2 (%u ms) is shorter "
			 "than T1 (%u ms) (timers: and --timer)",
			 run->timers.t2, run->timers.t1);
		err = EINVAL;
		goto out;
	}

	run->dtmf_ms = mem_zalloc(sizeof(*run->dtmf_ms) *
				  (list_count(&sc->roles) + 1), NULL);
	run->dtmf_mark = mem_zalloc(sizeof(*run->dtmf_mark) *
				    (list_count(&sc->roles) + 1), NULL);
	err = run_call_alloc(run);
	if (!err)
		err = run_media_alloc(run);
	if (err)
		goto out;
	if (!run->dtmf_ms || !run->dtmf_mark) {
		err = ENOMEM;
		goto out;
	}

	for (le = sc->roles.head; le; le = le->next) {
		struct role *role = le->data;
		struct agent *ag;

		err = agent_alloc(&ag, role, sc, &run_agent_handlers, run);
		if (err) {
			role->listen_err = err;
			diag_err(dg, sc->file, &role->pos, "role %s: cannot "
				 "listen on %s:%J: %m", role->name,
				 sip_transp_name(role->tp), &role->addr, err);
			goto out;
		}
		list_append(&run->agents, &ag->le, ag);
		list_append(&run->ledgers, &ag->led.le, &ag->led);

		/* a device's driver: not to verify a capture */
		if (!opts->offline) {
			char *why = NULL;

			err = agent_start(ag, &why);
			if (err) {
				diag_err(dg, NULL, NULL, "role %s: %s",
					 role->name,
					 why ? why : "cannot start");
				mem_deref(why);
				goto out;
			}
		}

		/* recordings go next to the pcap: OUT/SCENARIO-ROLE-N.wav */
		if (opts->pcap_path) {
			const char *ext = pcapw_ext(opts->pcapng ?
				PCAPW_PCAPNG : PCAPW_PCAP);
			size_t l = strlen(opts->pcap_path), e = strlen(ext);
			char prefix[512];

			if (l > e && !strcmp(opts->pcap_path + l - e, ext))
				l -= e;
			re_snprintf(prefix, sizeof(prefix), "%b",
				    opts->pcap_path, l);
			(void)agent_record_to(ag, prefix);
		}
	}

	if (opts->pcap_path) {
		err = pcapw_open(&run->pcap, opts->pcap_path, opts->pcapng ?
				 PCAPW_PCAPNG : PCAPW_PCAP);
		if (err) {
			diag_err(dg, NULL, NULL, "%s: cannot write: %m",
				 opts->pcap_path, err);
			goto out;
		}
		pcapw_set_time(run->pcap, pcap_time_h, run);
	}

	if (opts->capture) {
		err = run_capture_open(run, capsrc, dg);
		if (err)
			goto out;
	}

 out:
	if (err)
		mem_deref(run);
	else
		*runp = run;

	return err;
}


/** Start playing; the done handler says when it ended */
int run_start(struct run *run)
{
	if (!run || run->started)
		return EINVAL;

	run->started = true;
	run->t0 = clock_now(run->clock);
	call_start(run->call);
	if (run->offline)
		run_advance(run);
	else
		call_kick(run->call);

	return 0;
}



/** Offline: the capture ended; what is still awaited is not in it */
void run_end_offline(struct run *run)
{
	const struct step *st;

	if (!run || run->call->finished)
		return;

	run_advance(run);
	if (run->call->finished)
		return;

	st = call_waiting_step(run->call, NULL, NULL);
	if (st && st->type == STEP_MSG &&
	    run->call->v[st->idx].status == VERDICT_PENDING)
		call_step_missing(run->call, st, "in the capture");

	run_finish(run);
}


/** Stop now (SIGINT, SIGTERM): the waiting step fails with why; while
 *  the roles close what the flow left open, that stops */
void run_interrupt(struct run *run, const char *why)
{
	const struct step *st;

	if (run && run->tearing)
		run_teardown_cut(run, why);
	if (!run || run->call->finished)
		return;

	st = call_pending_step(run->call);
	if (st)
		call_step_fail(run->call, st, 0, "%s", why);

	run_finish(run);
}


const struct scenario *run_scenario(const struct run *run)
{
	return run ? run->sc : NULL;
}


const struct verdict *run_verdict(const struct run *run, unsigned idx)
{
	if (!run || idx >= run->sc->nsteps)
		return NULL;

	return &run->call->v[idx];
}


/** Every message of the run, in the order sent or received */
const struct list *run_msgs(const struct run *run)
{
	return run ? &run->msgs : NULL;
}


/** The rules the run's messages broke (struct finding) */
const struct list *run_findings(const struct run *run)
{
	return run ? &run->findings : NULL;
}


/** The message a step sent or matched, or NULL */
const struct msgrec *run_step_rec(const struct run *run, unsigned idx)
{
	if (!run || idx >= run->sc->nsteps)
		return NULL;

	return run->call->steprec[idx];
}


/** How many steps ended with status s (group and wait steps aside) */
unsigned run_count(const struct run *run, enum verdict_status s)
{
	unsigned i, n = 0;

	for (i = 0; run && i < run->sc->nsteps; i++) {
		const struct step *st = scenario_step_at(run->sc, i);

		if (st && run->call->v[i].status == s && verdict_counts(st, s))
			++n;
	}

	return n;
}


/**
 * Whether a step's verdict is counted: every one of a check; of a wait or
 * a group only a failure (something unexpected came meanwhile, or the
 * run was interrupted there), never its passing
 */
bool verdict_counts(const struct step *st, enum verdict_status s)
{
	return step_is_check(st) || s == VERDICT_FAIL;
}


/** True when the run ended and no step failed or went unreached */
bool run_passed(const struct run *run)
{
	return run && run->call->finished && !run_count(run, VERDICT_FAIL) &&
	       !run_count(run, VERDICT_NOTRUN);
}


struct calls_apply {
	run_call_h *h;
	void *arg;
};


static bool call_apply_h(struct le *le, void *arg)
{
	struct calls_apply *ca = arg;

	ca->h(call_id_of(le), ca->arg);
	return false;
}


/** Every Call-ID of the run's calls, to h */
void run_calls_apply(const struct run *run, run_call_h *h, void *arg)
{
	struct calls_apply ca = {h, arg};

	if (run && h)
		(void)hash_apply(run->call->ids, call_apply_h, &ca);
}


uint64_t run_elapsed_ms(const struct run *run)
{
	return run && run->started ? run_now(run) : 0;
}


/**
 * Whether sc may run on a virtual clock: every role a scripted ua or
 * proxy. A phone's SIP stack and media and a device keep real time,
 * which a jump of the clock would leave behind.
 */
bool run_virtual_ok(const struct scenario *sc)
{
	struct le *le;

	for (le = sc ? sc->roles.head : NULL; le; le = le->next) {
		const struct role *r = le->data;

		if (role_acts(r) || (r->kind != ROLE_UA &&
				     r->kind != ROLE_PROXY))
			return false;
	}

	return sc != NULL;
}
