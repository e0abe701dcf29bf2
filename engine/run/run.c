/* engine/run/run.c — play one scenario: the step cursor on libre's loop
 *
 * One cursor walks the top-level steps. A step whose sender is simulated
 * is built by that role's agent and sent; if its receiver is simulated
 * too, the step completes when the message arrives there and passes the
 * same checks as a message from a device. A step whose sender is a DUT
 * waits (bounded) for its message. An any-order group completes when all
 * its members have, in whatever order they happen; a member that cannot
 * be built yet (what it answers has not arrived) waits for the others.
 * Everything received goes to an inbox first; a message no remaining
 * step can take fails the step that was waiting, naming what arrived.
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


static void live_h(const struct pcap_pkthdr *h, const uint8_t *data,
		   void *arg);
static void live_msg_h(const struct pcapr_msg *m, void *arg);
static int capture_filter(char *buf, size_t sz, const struct scenario *sc);
static const struct role *capture_tls_dut(const struct scenario *sc);


/*
 * A message becomes a record: copied once, decoded, in the run's list,
 * and in its sender's (when a role sent it). The pcap is the caller's.
 */
static struct msgrec *record(struct run *run, struct agent *snd,
			     struct role *to, const struct sa *src,
			     const struct sa *dst, const uint8_t *p,
			     size_t len, uint64_t t_ms)
{
	struct msgrec *r = NULL;
	struct mbuf mb;

	mbuf_init(&mb);
	mb.buf = (uint8_t *)p;
	mb.size = mb.end = len;
	if (msgrec_alloc(&r, &mb))
		return NULL;

	r->from = snd ? snd->role : NULL;
	r->to = to;
	r->src = *src;
	r->dst = *dst;
	r->t_ms = t_ms;
	list_append(&run->msgs, &r->le, r);
	if (snd)
		track_sent(&snd->led, r);
	if (msgrec_starts_call(r) && !call_earlier(run->call, &r->msg->callid))
		call_note(run->call, r);

	return r;
}


/*
 * r arrived at rcv (or, with no rcv, was seen leaving for an address no
 * role has): a retransmission is absorbed and noted, anything else goes
 * to the inbox for the steps.
 */
static void arrived(struct run *run, struct agent *rcv, struct msgrec *r)
{
	if (run->tearing) {
		run_teardown_arrived(run, rcv, r);
		return;
	}

	r->t_rx = run_now(run);
	if (rcv) {
		r->retrans = r->msg && !r->malformed &&
			     track_is_retrans(&rcv->led, r);
		track_received(&rcv->led, r);
	}

	if (r->retrans) {
		bool wanted = call_rtx_wanted(run->call, r);

		run_logf(run, "%s a retransmission of %H from %H at %H "
			 "(frame %u)", wanted ? "received" : "absorbed",
			 call_rec_line, r, call_role_name, r->from,
			 call_role_name, r->to, r->frame);
		if (rcv)
			run_rtx_answer(run, rcv, r);
		if (!wanted)
			return;
	}

	call_on_msg(run->call, r);
}


/* a message at a simulated role's socket (bad: a stream that could not
 * be framed, its bytes) */
static void recv_h(struct agent *ag, const struct sa *src,
		   const struct sa *dst, struct mbuf *mb, const char *bad,
		   void *arg)
{
	struct run *run = arg;
	struct agent *snd = agent_by_addr(&run->agents, src);
	struct msgrec *r = NULL;
	struct le *le;

	if (run->call->finished && !run->tearing)
		return;

	/* from a simulated role: the record made when it was sent (a
	 * phone's stack connects from an address the system chose, so an
	 * unknown source may be one too) */
	if (!snd || !snd->role->dut) {
		for (le = run->msgs.head; le; le = le->next) {
			struct msgrec *o = le->data;

			if (o->rx_le.list || o->lost || o->to != ag->role ||
			    !o->from || o->from->dut ||
			    (snd && o->from != snd->role))
				continue;
			if (o->mb->end == mbuf_get_left(mb) &&
			    !memcmp(o->mb->buf, mbuf_buf(mb), o->mb->end)) {
				r = o;
				break;
			}
		}
	}

	/* a datagram a scripted role sent to another (run_xmit) is here */
	if (r && r->from && !role_acts(r->from) && !role_acts(ag->role))
		clock_arrived(run->clock);

	if (r && !r->frame) {
		/* a phone's, over a stream: the wire's addresses are the
		 * connection's, which its stack's trace does not give */
		r->src = *src;
		r->dst = *dst;
		run_write_pcap(run, r);
	}
	else if (!r) {
		r = record(run, snd, ag->role, src, dst, mb->buf, mb->end,
			   run_now(run));
		if (!r)
			return;
		r->tp = ag->role->tp;
		if (bad) {
			r->msg = mem_deref(r->msg);
			r->bad = bad;
		}
		run_write_pcap(run, r);
	}

	arrived(run, ag, r);
}


/** "; B's address … answered ICMP port unreachable …" when the device
 *  ic->dev's address did: why what was sent to it drew no answer */
int run_icmp_print(struct re_printf *pf, const struct icmp_of *ic)
{
	if (!ic->run->icmp || !ic->dev || ic->run->icmp_from != ic->dev)
		return 0;

	return re_hprintf(pf, "; %s", ic->run->icmp);
}


/* the last message the run heard from role, or NULL */
static const struct msgrec *last_from(const struct run *run,
				      const struct role *role)
{
	struct le *le;

	for (le = run->msgs.tail; le; le = le->prev) {
		const struct msgrec *r = le->data;

		if (r->from == role && r->t_rx)
			return r;
	}

	return NULL;
}


/*
 * UDP: the address of peer (role pr, if any) answered what ag sent there
 * with an ICMP unreachable. A device that was heard from in this run has
 * gone (crashed, or closed its socket): the step waiting for it fails at
 * once. One not heard from yet may still be starting and take a
 * retransmission (RFC 3261 §17.1.1.2, Timer A): the ICMP is kept for the
 * timeout of the step waiting for it. A simulated role's is the run's
 * own doing (a socket closed in teardown): noted only.
 */
static void unreachable(struct run *run, struct agent *ag,
			const struct role *pr, const struct sa *peer,
			const char *why)
{
	const struct msgrec *last;
	const struct step *st;

	/* noted once, not for every retransmission it answers */
	if (!sa_cmp(&run->icmp_peer, peer, SA_ALL)) {
		run->icmp_peer = *peer;
		run_logf(run, "%s: %H's address %J %s", ag->role->name,
			 call_role_name, pr, peer, why);
	}
	if (!pr || !pr->dut)
		return;

	run->icmp = mem_deref(run->icmp);
	re_sdprintf(&run->icmp, "%s's address %J %s (%s sent there from "
		    "%J)", pr->name, peer, why, ag->role->name,
		    &ag->role->addr);
	run->icmp_from = pr;

	last = last_from(run, pr);
	st = call_waiting_step(run->call, pr, ag->role);
	if (!last || !st || st->type != STEP_MSG || st->from != pr ||
	    run->call->v[st->idx].status != VERDICT_PENDING)
		return;

	call_step_fail(run->call, st, 0, "no %H from %s at %s: %s; it was "
		      "heard from before (frame %u), so it has gone",
		      call_step_line, st, pr->name, st->to->name, run->icmp,
		      last->frame);
	run_finish(run);
}


/*
 * A connection of a simulated role ended. The step waiting for a message
 * between it and that peer fails: nothing will come over it now. A
 * connection to a device that never came up (refused, TLS handshake
 * failed) also fails a step waiting for a message from that device: what
 * the role sent it never reached it (a proxy's forward, P -> B, after A's
 * INVITE to P was lost so).
 */
static void close_h(struct agent *ag, const struct sa *peer, bool up,
		    const char *why, void *arg)
{
	struct run *run = arg;
	struct agent *pa = agent_by_addr(&run->agents, peer);
	const struct role *pr = pa ? pa->role : NULL;
	const struct step *st;

	if (run->call->finished)
		return;

	if (ag->role->tp == SIP_TRANSP_UDP) {
		unreachable(run, ag, pr, peer, why);
		return;
	}

	run_logf(run, "%s: %s connection with %H (%J): %s", ag->role->name,
		 sip_transp_name(ag->role->tp), call_role_name, pr, peer, why);

	st = call_waiting_step(run->call, pr, ag->role);
	if (st && (st->from != pr || st->to != ag->role))
		st = call_waiting_step(run->call, ag->role, pr);
	if (!st || st->type != STEP_MSG ||
	    run->call->v[st->idx].status != VERDICT_PENDING)
		return;
	if (!((st->from == ag->role && st->to == pr) ||
	      (st->to == ag->role && st->from == pr)) &&
	    !(pr && pr->dut && !up && st->from == pr))
		return;

	call_step_fail(run->call, st, 0, "%s connection between %s and %H "
		      "(%J) ended while step %s (%H %s -> %s) waited: %s",
		      sip_transp_name(ag->role->tp), ag->role->name,
		      call_role_name, pr, peer, st->id, call_step_line, st,
		      st->from->name, st->to->name, why);
	run_finish(run);
}


/*
 * A message a phone sent. If it goes to a simulated role, the record
 * waits for its arrival there (recv_h finds it); if it goes to a device
 * or to an address no role has, the run saw it leave and that is all it
 * will see of it.
 */
static void sent_h(struct agent *ag, const struct sa *src,
		   const struct sa *dst, const uint8_t *pkt, size_t len,
		   void *arg)
{
	struct run *run = arg;
	struct agent *rcv = agent_by_addr(&run->agents, dst);
	struct msgrec *r;

	if (run->call->finished && !run->tearing)
		return;

	r = record(run, ag, rcv ? rcv->role : NULL, src, dst, pkt, len,
		   run_now(run));
	if (!r)
		return;
	r->tp = ag->role->tp;
	if (!rcv || rcv->role->dut || !agent_reliable(ag))
		run_write_pcap(run, r);

	if (!rcv || rcv->role->dut)
		arrived(run, rcv, r);
}


/* the media address of a role that plays media itself (a simulated
 * phone): its packets are written once, when they leave */
static bool simulated_ip(const struct run *run, const struct sa *sa)
{
	struct le *le;

	for (le = run->agents.head; le; le = le->next) {
		const struct agent *ag = le->data;

		if (agent_leg(ag, NULL) &&
		    sa_cmp(&ag->role->addr, sa, SA_ADDR))
			return true;
	}

	return false;
}


static void media_h(struct agent *ag, bool tx, const struct sa *src,
		    const struct sa *dst, const uint8_t *pkt, size_t len,
		    void *arg)
{
	struct run *run = arg;
	(void)ag;

	if (!run->pcap || (!tx && simulated_ip(run, src)))
		return;

	(void)pcapw_write(run->pcap, src, dst, pkt, len, NULL);
}


static void log_h(struct agent *ag, const char *line, void *arg)
{
	(void)ag;
	run_logf(arg, "%s", line);
}


/* the device's driver: an event it reported, or the device is lost */
static void device_note_h(struct agent *ag, bool lost, const char *line,
			  void *arg)
{
	struct run *run = arg;
	const struct step *st;

	if (run->call->finished)
		return;

	if (!lost) {
		run_logf(run, "device %s: %s", ag->role->name, line);
		return;
	}

	st = call_pending_step(run->call);
	if (st)
		call_step_fail(run->call, st, 0, "device %s is out of "
			       "reach: %s",
			      ag->role->name, line);
	run_finish(run);
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
	static const struct agent_handlers handlers = {
		recv_h, sent_h, media_h, log_h, close_h, device_note_h,
		run_event_h,
	};
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

		err = agent_alloc(&ag, role, sc, &handlers, run);
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
		char filter[1024], *why = NULL;
		const struct role *sr = capture_tls_dut(sc);

		if (sr) {
			/* refused rather than a capture that sees nothing */
			diag_err(dg, sc->file, NULL, "%s: %s is a device "
				 "on TLS (%J): its SIP over TLS cannot be "
				 "read off the wire (the capture has no keys "
				 "to decrypt it)", capsrc, sr->name,
				 &sr->addr);
			err = EINVAL;
			goto out;
		}
		if (capture_filter(filter, sizeof(filter), sc)) {
			diag_err(dg, sc->file, NULL, "%s: no role is bound "
				 "to a DUT; there is nothing to capture",
				 capsrc);
			err = EINVAL;
			goto out;
		}
		err = live_open(&run->live, opts->capture, filter, live_h,
				run, &why);
		if (!err)
			err = pcapr_feed_alloc(&run->feed, live_msg_h, run);
		if (err) {
			diag_err(dg, NULL, NULL, "%s: %s", capsrc,
				 why ? why : "failed");
			mem_deref(why);
			goto out;
		}
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


/*
 * A message the run observed rather than sent or received on its own
 * sockets: from a capture (offline) or from the live capture of DUTs.
 */
static int observed(struct run *run, struct agent *snd, struct agent *rcv,
		    const struct sa *src, const struct sa *dst,
		    const uint8_t *p, size_t len, uint32_t frame,
		    uint64_t t_ms)
{
	struct msgrec *r;

	r = record(run, snd, rcv ? rcv->role : NULL, src, dst, p, len, t_ms);
	if (!r)
		return ENOMEM;

	r->frame = frame;
	arrived(run, rcv, r);

	return 0;
}


/**
 * Offline: one message of the capture, as it went from src to dst at
 * t_ms. Messages between addresses no role has are ignored (0).
 */
int run_inject(struct run *run, const struct sa *src, const struct sa *dst,
	       const uint8_t *p, size_t len, uint32_t frame, uint64_t t_ms)
{
	struct agent *snd, *rcv;

	if (!run || !run->offline || !src || !dst || !p)
		return EINVAL;
	if (run->call->finished)
		return 0;

	snd = agent_by_addr(&run->agents, src);
	rcv = agent_by_addr(&run->agents, dst);
	if (!snd && !rcv)
		return 0;

	clock_set(run->clock, run->t0 + t_ms);
	return observed(run, snd, rcv, src, dst, p, len, frame, t_ms);
}


/* a message the capture read (a datagram, or cut out of a TCP stream):
 * between two DUTs it goes to the steps */
static void live_msg_h(const struct pcapr_msg *m, void *arg)
{
	struct run *run = arg;
	struct agent *snd = agent_by_addr(&run->agents, &m->src);
	struct agent *rcv = agent_by_addr(&run->agents, &m->dst);

	if (run->call->finished || !snd || !rcv || !snd->role->dut ||
	    !rcv->role->dut)
		return;

	(void)observed(run, snd, rcv, &m->src, &m->dst, m->p, m->len,
		       m->frame, run_now(run));
}


/*
 * --capture: a packet from the interface. What a simulated role sent or
 * received is already in the pcap; the rest (DUT to DUT, DUT to others)
 * goes in now, and into the reader, which hands on the messages of
 * datagrams and of TCP streams (in sequence order, framed by
 * Content-Length) with the frame that completed each.
 */
static void live_h(const struct pcap_pkthdr *h, const uint8_t *data,
		   void *arg)
{
	struct run *run = arg;
	struct agent *snd, *rcv;
	struct sa src, dst;
	uint32_t frame = 0;
	size_t off;

	if (run->call->finished ||
	    pcapr_link_ip(live_datalink(run->live), data, h->caplen, &off) ||
	    pcapr_addrs(data + off, h->caplen - off, &src, &dst))
		return;

	snd = agent_by_addr(&run->agents, &src);
	rcv = agent_by_addr(&run->agents, &dst);
	if ((snd && !snd->role->dut) || (rcv && !rcv->role->dut))
		return;

	if (run->pcap)
		(void)pcapw_write_ip(run->pcap, &h->ts, data + off,
				     h->caplen - off, &frame);

	(void)pcapr_feed(run->feed, &h->ts, data + off, h->caplen - off,
			 frame);
}


/* a device on TLS, whose SIP the live capture cannot read */
static const struct role *capture_tls_dut(const struct scenario *sc)
{
	struct le *le;

	for (le = sc->roles.head; le; le = le->next) {
		const struct role *r = le->data;

		if (r->dut && r->tp == SIP_TRANSP_TLS)
			return r;
	}

	return NULL;
}


/* BPF: UDP or TCP to or from any DUT's address and port (a DUT's TCP
 * connection from another port is seen where it reaches another DUT) */
static int capture_filter(char *buf, size_t sz, const struct scenario *sc)
{
	struct le *le;
	size_t o;
	bool any = false;

	o = (size_t)re_snprintf(buf, sz, "(udp or tcp) and (");
	for (le = sc->roles.head; le && o + 40 < sz; le = le->next) {
		const struct role *r = le->data;

		if (!r->dut)
			continue;
		o += (size_t)re_snprintf(buf + o, sz - o, "%s(host %j and "
					 "port %u)", any ? " or " : "",
					 &r->addr, sa_port(&r->addr));
		any = true;
	}
	re_snprintf(buf + o, sz - o, ")");

	return any ? 0 : ENOENT;
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
