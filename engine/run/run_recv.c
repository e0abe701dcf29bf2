/* engine/run/run_recv.c — what the stage hears: messages at its roles'
 * sockets, a phone's own sends, ICMP and closed connections, a device's
 * driver's notes, the live capture of devices' traffic, and a capture's
 * messages being verified. Each message becomes a record (the run's list,
 * its sender's ledger, the pcap); a retransmission is absorbed, anything
 * else goes to the call (call_on_msg).
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "msgrec.h"
#include "agent.h"
#include "track.h"
#include "pcapw.h"
#include "run.h"
#include "run_priv.h"
#include "clock.h"
#include "live.h"
#include "pcapr.h"
#include <pcap/pcap.h>


static void live_h(const struct pcap_pkthdr *h, const uint8_t *data,
		   void *arg);
static void live_msg_h(const struct pcapr_msg *m, void *arg);


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


/**
 * --capture (capsrc: who asked, for the errors): the devices' own
 * traffic on that interface, read live (a device on TLS refused: its SIP
 * cannot be read off the wire)
 */
int run_capture_open(struct run *run, const char *capsrc, struct diag *dg)
{
	const struct role *sr = capture_tls_dut(run->sc);
	char filter[1024], *why = NULL;
	int err;

	if (sr) {
		/* refused rather than a capture that sees nothing */
		diag_err(dg, run->sc->file, NULL, "%s: %s is a device on TLS "
			 "(%J): its SIP over TLS cannot be read off the wire "
			 "(the capture has no keys to decrypt it)", capsrc,
			 sr->name, &sr->addr);
		return EINVAL;
	}
	if (capture_filter(filter, sizeof(filter), run->sc)) {
		diag_err(dg, run->sc->file, NULL, "%s: no role is bound to a "
			 "DUT; there is nothing to capture", capsrc);
		return EINVAL;
	}
	err = live_open(&run->live, run->opts.capture, filter, live_h, run,
			&why);
	if (!err)
		err = pcapr_feed_alloc(&run->feed, live_msg_h, run);
	if (err) {
		diag_err(dg, NULL, NULL, "%s: %s", capsrc,
			 why ? why : "failed");
		mem_deref(why);
		return err;
	}

	return 0;
}


/* what the agents tell the stage */
const struct agent_handlers run_agent_handlers = {
	recv_h, sent_h, media_h, log_h, close_h, device_note_h,
	run_event_h,
};
