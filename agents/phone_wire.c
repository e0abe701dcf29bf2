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
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "phone.h"
#include "phone_priv.h"


enum { HELPER_LAYER = -1000 };


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

	if (!ph->uh && msg->sock)
		(void)udp_register_helper(&ph->uh, msg->sock, HELPER_LAYER,
					  NULL, recv_helper, ph);
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
