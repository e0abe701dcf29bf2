/* agents/phone_wire.c — the phone's own socket, below libre's SIP stack.
 *
 * libre 1.1.0 hands out no pointer to the UDP socket of a SIP transport;
 * a received message carries it (msg->sock). So the phone primes itself:
 * it sends its own address one OPTIONS with a Call-ID of its own, claims
 * it with the first request listener (no answer, never traced), and then
 * registers a receive helper on that socket. The helper sees every
 * datagram before libre decodes it: what libre cannot parse it would drop
 * silently, so the helper gives it to the run, where the waiting step
 * fails as "malformed message" the way it does at a scripted role.
 *
 * The same helper impairs what the stack sends (impair-sip:). libre traces
 * a datagram just before it sends it, so the fate of each one (pass, drop,
 * delay, duplicate; seeded) is drawn in the trace handler: a dropped one
 * is never reported, a delayed one is reported when it really leaves, a
 * duplicate twice — the run and the pcap see the wire as it was.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "phone.h"
#include "phone_priv.h"


enum { HELPER_LAYER = -1000 };

enum fate { FATE_PASS = 0, FATE_DROP, FATE_DELAY, FATE_DUP };

/* a datagram held back by impair-sip: jitter */
struct held {
	struct le le;
	struct tmr tmr;
	struct phone *ph;
	struct sa dst;
	struct mbuf *mb;
};


static void held_destructor(void *data)
{
	struct held *hd = data;

	tmr_cancel(&hd->tmr);
	list_unlink(&hd->le);
	mem_deref(hd->mb);
}


static uint32_t rnd(struct phone *ph)
{
	uint32_t x = ph->rng ? ph->rng : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	ph->rng = x;

	return x;
}


static bool chance(struct phone *ph, double p)
{
	return p > 0 && (double)rnd(ph) / 4294967296.0 < p;
}


/** Draw the fate of the datagram the stack is about to send; true when
 *  the run should see it now */
bool phone_wire_fate(struct phone *ph)
{
	const struct impair_spec *imp = &ph->role->impair_sip;

	ph->fate = FATE_PASS;
	if (!imp->set || !ph->uh)
		return true;

	/* loss, else a duplicate, else a delay of 0..jitter ms (messages
	 * overtake each other when the delays cross: reordering) */
	if (chance(ph, imp->loss)) {
		ph->fate = FATE_DROP;
	}
	else if (chance(ph, imp->duplicate)) {
		ph->fate = FATE_DUP;
	}
	else if (imp->jitter_ms) {
		ph->fate_ms = rnd(ph) % (imp->jitter_ms + 1);
		ph->fate = ph->fate_ms ? FATE_DELAY : FATE_PASS;
	}

	return ph->fate == FATE_PASS || ph->fate == FATE_DUP;
}


static void report_tx(struct phone *ph, const struct sa *dst,
		      const struct mbuf *mb)
{
	if (ph->h.sigh && !ph->closing)
		ph->h.sigh(true, &ph->role->addr, dst, mb->buf + mb->pos,
			   mb->end - mb->pos, ph->h.arg);
}


static void held_h(void *arg)
{
	struct held *hd = arg;
	struct phone *ph = hd->ph;

	hd->mb->pos = 0;
	report_tx(ph, &hd->dst, hd->mb);
	(void)udp_send_helper(ph->prime_sock, &hd->dst, hd->mb, ph->uh);
	mem_deref(hd);
}


static bool send_helper(int *err, struct sa *dst, struct mbuf *mb,
			void *arg)
{
	struct phone *ph = arg;
	enum fate f = (enum fate)ph->fate;
	struct held *hd;
	struct mbuf *cp;

	ph->fate = FATE_PASS;
	switch (f) {

	case FATE_DROP:
		phone_logf(ph, "%s: impair-sip: dropped a message to %J",
			   ph->role->name, dst);
		*err = 0;
		return true;

	case FATE_DUP:
		cp = mbuf_alloc(mbuf_get_left(mb));
		if (cp) {
			(void)mbuf_write_mem(cp, mbuf_buf(mb),
					     mbuf_get_left(mb));
			cp->pos = 0;
			report_tx(ph, dst, cp);
			(void)udp_send_helper(ph->prime_sock, dst, cp, ph->uh);
			mem_deref(cp);
		}
		return false;

	case FATE_DELAY:
		hd = mem_zalloc(sizeof(*hd), held_destructor);
		cp = mbuf_alloc(mbuf_get_left(mb));
		if (!hd || !cp) {
			mem_deref(hd);
			mem_deref(cp);
			return false;
		}
		(void)mbuf_write_mem(cp, mbuf_buf(mb), mbuf_get_left(mb));
		hd->ph = ph;
		hd->dst = *dst;
		hd->mb = cp;
		list_append(&ph->delayed, &hd->le, hd);
		tmr_start(&hd->tmr, ph->fate_ms, held_h, hd);
		*err = 0;
		return true;

	default:
		return false;
	}
}


static bool recv_helper(struct sa *src, struct mbuf *mb, void *arg)
{
	struct phone *ph = arg;
	struct sip_msg *m = NULL;
	size_t pos = mb->pos;
	int err;

	/* keepalives and STUN (first byte 0 or 1) are libre's business */
	if (mbuf_get_left(mb) <= 4 || mbuf_buf(mb)[0] < 2)
		return false;

	err = sip_msg_decode(&m, mb);
	mb->pos = pos;
	mem_deref(m);
	if (!err)
		return false;

	phone_logf(ph, "%s: a message from %J that libre cannot parse "
		   "(%m): not taken", ph->role->name, src, err);
	if (ph->h.sigh && !ph->closing)
		ph->h.sigh(false, src, &ph->role->addr, mbuf_buf(mb),
			   mbuf_get_left(mb), ph->h.arg);

	return true;
}


static bool prime_h(const struct sip_msg *msg, void *arg)
{
	struct phone *ph = arg;

	if (pl_strcmp(&msg->callid, ph->prime_callid))
		return false;

	if (!ph->uh && msg->sock) {
		ph->prime_sock = msg->sock;
		ph->rng = ph->role->impair_sip.seed ?
			  ph->role->impair_sip.seed * 2654435761u : 1;
		(void)udp_register_helper(&ph->uh, msg->sock, HELPER_LAYER,
					  send_helper, recv_helper, ph);
	}
	ph->ready = true;
	ph->prime_us = mem_deref(ph->prime_us);

	return true;   /* claimed: no answer */
}


static void prime_recv(const struct sa *src, struct mbuf *mb, void *arg)
{
	(void)src;
	(void)mb;
	(void)arg;
}


/** Is this the phone priming itself? (kept out of the run's sight) */
bool phone_wire_priming(const struct phone *ph, const struct sa *src)
{
	return !ph->ready && sa_isset(&ph->prime_addr, SA_ALL) &&
	       sa_cmp(src, &ph->prime_addr, SA_ALL);
}


/** Listen first, then send the priming OPTIONS to the phone's address */
int phone_wire_open(struct phone *ph)
{
	const struct sa *addr = &ph->role->addr;
	struct mbuf *mb;
	struct sa ip;
	int err;

	err = re_sdprintf(&ph->prime_callid, "sipflow-prime-%08x@%j",
			  rand_u32(), addr);
	if (err)
		return err;

	err = sip_listen(&ph->prime_lsnr, ph->sip, true, prime_h, ph);
	if (err)
		return err;

	sa_cpy(&ip, addr);
	sa_set_port(&ip, 0);
	err = udp_listen(&ph->prime_us, &ip, prime_recv, ph);
	if (err)
		return err;
	err = udp_local_get(ph->prime_us, &ph->prime_addr);
	if (err)
		return err;

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;
	err = mbuf_printf(mb, "OPTIONS sip:prime@%J SIP/2.0\r\n"
			  "Via: SIP/2.0/UDP %J;branch=z9hG4bK%08x\r\n"
			  "Max-Forwards: 70\r\n"
			  "From: <sip:prime@%J>;tag=%08x\r\n"
			  "To: <sip:prime@%J>\r\n"
			  "Call-ID: %s\r\n"
			  "CSeq: 1 OPTIONS\r\n"
			  "Content-Length: 0\r\n\r\n",
			  addr, &ph->prime_addr, rand_u32(), &ph->prime_addr,
			  rand_u32(), addr, ph->prime_callid);
	mb->pos = 0;
	if (!err)
		err = udp_send(ph->prime_us, addr, mb);
	mem_deref(mb);

	return err;
}


/** The phone can take part: its socket is in sight */
bool phone_ready(const struct phone *ph)
{
	return ph && ph->ready;
}
