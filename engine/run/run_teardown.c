/* engine/run/run_teardown.c — after the verdicts: each simulated role closes
 * what the flow left open with a device, and the run waits until the
 * devices are quiet; and what still arrives of an earlier scenario
 *
 * When a flow ends (pass, fail, timeout, interrupt) and a role is a
 * device under test, every simulated role's kind closes what it opened
 * with a device (agents/teardown.c, phone_close) and answers what comes
 * meanwhile. The run ends — its done handler runs, the suite goes on —
 * once no message was sent or received for the settle time, or at the
 * settle maximum with a note naming what a device kept sending. That
 * traffic is recorded as any other (pcap, reports) and marked teardown;
 * it changes no verdict. A flow among simulated roles only ends at once.
 *
 * A message of a call an earlier scenario of the suite made (run_opts'
 * earlierh knows its Call-ID) is a leftover, a stray however it looks —
 * a new request too: absorbed, named for that scenario, and a request is
 * answered as a teardown would (481 in a dialog the role does not have),
 * so the device stops resending it.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "agent.h"
#include "track.h"
#include "run.h"
#include "run_priv.h"


enum { SETTLE_MS = 300, SETTLE_MAX_MS = 5000 };


static void settle_h(void *arg);


/* a message went or came: the devices are not quiet yet */
static void settle_again(struct run *run)
{
	if (run->tearing)
		clock_tmr_start(&run->tmr_settle, run->clock,
				run->opts.settle_ms ? run->opts.settle_ms
				: SETTLE_MS, settle_h, run);
}


/* what a role's teardown sends (agent_tsend_h): a record of its own,
 * marked, sent, and the quiet wait starts again */
static int tsend_h(struct agent *ag, struct role *to, struct mbuf *mb,
		   struct msgrec *reply_to, void *arg)
{
	struct run *run = arg;
	struct agent *dut = agent_find(&run->agents, to);
	struct msgrec *r = NULL;
	int err;

	err = msgrec_alloc(&r, mb);
	if (err)
		return err;

	r->from = ag->role;
	r->to = to;
	r->src = ag->role->addr;
	r->dst = reply_to ? reply_to->src : to->addr;
	r->tp = ag->role->tp;
	r->t_ms = run_now(run);
	r->teardown = true;
	list_append(&run->msgs, &r->le, r);

	err = run_xmit(run, ag, r);
	track_sent(&ag->led, r);
	if (dut && dut->role->dut)
		track_received(&dut->led, r);

	if (reply_to)
		run_logf(run, "%s: %s sent %H to %s (frame %u) for %H "
			 "(frame %u)", run->tearing ? "teardown" : "leftover",
			 ag->role->name, call_rec_line, r, to->name, r->frame,
			 call_rec_line, reply_to, reply_to->frame);
	else
		run_logf(run, "teardown: %s sent %H to %s (frame %u)",
			 ag->role->name, call_rec_line, r, to->name, r->frame);
	if (err)
		run_logf(run, "teardown: cannot send from %J to %J: %m",
			 &r->src, &r->dst, err);

	settle_again(run);

	return err;
}


/* one sweep of a role's teardown; r: what just arrived, or NULL */
static void role_teardown(struct run *run, struct agent *ag,
			  struct msgrec *r)
{
	struct agent_teardown td = {tsend_h, run, r};

	if (ag->kind->teardownh && !ag->role->dut)
		ag->kind->teardownh(ag, &td);
}


/**
 * r, a stray (call_stray), is absorbed: a note says whose it is, and a
 * scripted receiver answers a request of an earlier scenario's call as a
 * teardown would
 */
void run_stray_absorb(struct run *run, struct msgrec *r)
{
	struct agent *rcv = agent_find(&run->agents, r->to);
	char buf[256];
	struct pl key = call_key(r, buf, sizeof(buf));
	const char *scn = call_earlier(run->call, &key);
	struct agent_teardown td = {tsend_h, run, r};

	if (scn)
		run_logf(run, "absorbed %H from %H to %H (frame %u): left "
			 "over from scenario %s", call_rec_line, r,
			 call_role_name, r->from, call_role_name, r->to,
			 r->frame, scn);
	else
		run_logf(run, "absorbed %H from %H to %H (frame %u): its "
			 "Call-ID %r belongs to no call of this run",
			 call_rec_line, r, call_role_name, r->from,
			 call_role_name, r->to, r->frame, &r->msg->callid);

	/* one of an earlier scenario's calls: the device is told, so it
	 * stops resending it (a stray of unknown origin is left alone) */
	if (scn && rcv && !role_acts(rcv->role) && rcv->kind->teardownh &&
	    r->from)
		(void)teardown_answer(rcv, &td, r);
}


/* "it kept sending OPTIONS (14 times, the last frame 40)": the device
 * message that came last, and how many like it came in the teardown */
static int busy_print(struct re_printf *pf, const struct run *run)
{
	const struct msgrec *last = NULL;
	struct le *le;
	unsigned n = 0;

	for (le = run->msgs.tail; le && !last; le = le->prev) {
		const struct msgrec *r = le->data;

		if (r->teardown && r->msg && r->from && r->from->dut)
			last = r;
	}
	if (!last)
		return re_hprintf(pf, "; the roles' own teardown kept it "
				  "busy");

	for (le = run->msgs.head; le; le = le->next) {
		const struct msgrec *r = le->data;

		if (!r->teardown || !r->msg || r->from != last->from ||
		    r->msg->req != last->msg->req)
			continue;
		if (r->msg->req ? !pl_cmp(&r->msg->met, &last->msg->met)
				: r->msg->scode == last->msg->scode)
			++n;
	}

	return re_hprintf(pf, "; it kept sending %H (%u times, the last "
			  "frame %u)", call_rec_line, last, n, last->frame);
}


/* the run is over: its verdicts into the capture, then the done
 * handler */
static void done(struct run *run)
{
	run_pcap_comments(run);

	if (run->h.doneh)
		run->h.doneh(run, run->h.arg);
}


static void teardown_done(struct run *run)
{
	run->tearing = false;
	clock_tmr_cancel(&run->tmr_settle);
	clock_tmr_cancel(&run->tmr_settle_max);

	done(run);
}


static void settle_h(void *arg)
{
	struct run *run = arg;

	/* a device's driver still undoes this run's settings */
	if (run->restoring) {
		settle_again(run);
		return;
	}

	teardown_done(run);
}


/* the devices never went quiet: say who was still talking */
static void settle_max_h(void *arg)
{
	struct run *run = arg;
	const struct msgrec *last = NULL;
	uint32_t max = run->opts.settle_max_ms ? run->opts.settle_max_ms
		     : SETTLE_MAX_MS;
	struct le *le;

	for (le = run->msgs.tail; le && !last; le = le->prev) {
		const struct msgrec *r = le->data;

		if (r->teardown && r->from && r->from->dut)
			last = r;
	}

	run_logf(run, "teardown: %s did not go quiet within %u.%u s%H",
		 last ? last->from->name : "the run", max / 1000,
		 max % 1000 / 100, busy_print, run);
	teardown_done(run);
}


/** A signal while the run waits for quiet: stop waiting, say why */
void run_teardown_cut(struct run *run, const char *why)
{
	if (!run->tearing)
		return;

	run_logf(run, "teardown: cut short (%s)", why);
	teardown_done(run);
}


/* is a device in the flow? a run among simulated roles has nothing to
 * close with one, and waits for nothing */
static bool has_device(const struct run *run)
{
	struct le *le;

	for (le = run->sc->roles.head; le; le = le->next) {
		const struct role *r = le->data;

		if (r->dut)
			return true;
	}

	return false;
}


/**
 * The verdicts are final: close what the flow left open with the
 * devices and wait until they are quiet, then the done handler runs
 */
void run_teardown(struct run *run)
{
	struct le *le;

	if (run->offline || !has_device(run)) {
		done(run);
		return;
	}

	run->tearing = true;
	settle_again(run);
	clock_tmr_start(&run->tmr_settle_max, run->clock,
			run->opts.settle_max_ms ? run->opts.settle_max_ms
			: SETTLE_MAX_MS, settle_max_h, run);

	for (le = run->agents.head; le; le = le->next)
		role_teardown(run, le->data, NULL);

	(void)run_do_restore(run);
}


/**
 * r arrived at rcv (NULL: a phone's message seen leaving for a device)
 * during the teardown: recorded, marked; a retransmission gets what its
 * first copy got, a leftover a note, and the role's teardown goes on
 */
void run_teardown_arrived(struct run *run, struct agent *rcv,
			  struct msgrec *r)
{
	r->t_rx = run_now(run);
	r->teardown = true;
	settle_again(run);

	if (!rcv)
		return;

	r->retrans = r->msg && track_is_retrans(&rcv->led, r);
	track_received(&rcv->led, r);
	if (r->retrans) {
		run_rtx_answer(run, rcv, r);
		return;
	}

	if (r->msg && call_earlier(run->call, &r->msg->callid))
		run_logf(run, "absorbed %H from %H to %H (frame %u): left "
			 "over from scenario %s", call_rec_line, r,
			 call_role_name, r->from, call_role_name, r->to,
			 r->frame, call_earlier(run->call, &r->msg->callid));

	role_teardown(run, rcv, r);
}
