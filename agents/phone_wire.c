/* agents/phone_wire.c — the phone's own socket, below libre's SIP stack.
 *
 * libre 1.1.0 hands out no pointer to the UDP socket of a SIP transport;
 * a received message carries it (msg->sock). So the phone primes itself:
 * it sends its own address one OPTIONS with a Call-ID of its own, claims
 * it with the first request listener (no answer, never traced), and then
 * registers a receive helper on that socket. The helper sees every
 * datagram before libre decodes it and gives it to the run, which records
 * (and decodes) it once: what libre cannot parse, and would drop unseen,
 * fails the waiting step as "malformed message" the way it does at a
 * scripted role. (Until the helper is there, the trace handler reports
 * what arrives.)
 *
 * The same helper passes what the stack sends through the media leg's
 * seeded network (impair-sip:, agents/media/mimpair.h). libre traces a
 * datagram before it sends it, so with impair-sip the run learns of it
 * from what the network lets leave, when it leaves — a dropped one never,
 * a duplicate twice: the run and the pcap see the wire as it was.
 */
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <re.h>
#include "scenario.h"
#include "pcapr.h"
#include "msgsyntax.h"
#include "media/mimpair.h"
#include "phone.h"
#include "phone_priv.h"


enum { HELPER_LAYER = -1000 };

static bool recv_helper(struct sa *src, struct mbuf *mb, void *arg)
{
	struct phone *ph = arg;
	struct pcapr_sip scan;
	int err;

	/* keepalives and STUN (first byte 0 or 1) are libre's business */
	if (mbuf_get_left(mb) <= 4 || mbuf_buf(mb)[0] < 2 ||
	    phone_wire_priming(ph, src))
		return false;

	if (ph->h.sigh && !ph->closing)
		ph->h.sigh(false, src, &ph->role->addr, mbuf_buf(mb),
			   mbuf_get_left(mb), ph->h.arg);

	/* not even SIP in shape: libre would only complain on stderr */
	err = pcapr_sip_scan(&scan, mbuf_buf(mb), mbuf_get_left(mb));
	if (err) {
		char *why = NULL;

		if (!msgsyntax_check(&why, mbuf_buf(mb), mbuf_get_left(mb)))
			(void)str_dup(&why, "libre's parser cannot read it");
		phone_logf(ph, "%s: a message from %J that is not SIP (%s): "
			   "not taken", ph->role->name, src, why);
		mem_deref(why);
	}

	return err != 0;
}


/* what impair-sip lets leave: on the wire now, so the run sees it now */
static void sip_emit(const struct sa *dst, struct mbuf *mb, void *arg)
{
	struct phone *ph = arg;

	if (ph->h.sigh && !ph->closing)
		ph->h.sigh(true, &ph->role->addr, dst, mbuf_buf(mb),
			   mbuf_get_left(mb), ph->h.arg);
	(void)udp_send_helper(ph->sipsock, dst, mb, ph->uh);
}


/* impair-sip: every datagram the stack sends goes through the network */
static bool send_helper(int *err, struct sa *dst, struct mbuf *mb,
			void *arg)
{
	struct phone *ph = arg;

	if (!ph->sipimp)
		return false;

	mimpair_send(ph->sipimp, dst, mb);
	*err = 0;

	return true;
}


static bool prime_h(const struct sip_msg *msg, void *arg)
{
	struct phone *ph = arg;

	if (pl_strcmp(&msg->callid, ph->prime_callid))
		return false;

	if (!ph->uh && msg->sock) {
		ph->sipsock = mem_ref(msg->sock);
		(void)udp_register_helper(&ph->uh, msg->sock, HELPER_LAYER,
					  send_helper, recv_helper, ph);
		if (ph->role->impair_sip.set) {
			struct mstream_impair prm =
				phone_impair_prm(&ph->role->impair_sip);

			(void)mimpair_alloc(&ph->sipimp, &prm, sip_emit, ph);
		}
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


/**
 * Let go of the socket (after the stack closed). libre keeps a session
 * whose 2xx awaits its ACK alive for up to 64*T1 (32 s), and with it the
 * received INVITE and the socket it came on. So that the next scenario
 * can listen on this address at once, a socket libre still holds is
 * swapped (dup2) for a fresh unbound one: the address is free, and the
 * descriptor libre holds stays valid until it closes it.
 */
void phone_wire_close(struct phone *ph)
{
	ph->sipimp = mem_deref(ph->sipimp);
	ph->uh = mem_deref(ph->uh);
	ph->prime_lsnr = mem_deref(ph->prime_lsnr);
	ph->prime_us = mem_deref(ph->prime_us);
	ph->prime_callid = mem_deref(ph->prime_callid);

	if (ph->sipsock && mem_nrefs(ph->sipsock) > 1) {
		int fd = udp_sock_fd(ph->sipsock, sa_af(&ph->role->addr));
		int nfd = fd >= 0 ? socket(sa_af(&ph->role->addr),
					   SOCK_DGRAM, 0) : -1;

		if (nfd >= 0) {
			fd_close(fd);   /* the loop stops polling it */
			(void)dup2(nfd, fd);
			(void)close(nfd);
		}
	}
	ph->sipsock = mem_deref(ph->sipsock);
}


/** The phone can take part: its socket is in sight */
bool phone_ready(const struct phone *ph)
{
	return ph && ph->ready;
}
