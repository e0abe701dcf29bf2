/* agents/media/mrtcp.c — a stream's RTCP reports (RFC 3550 §6.4): the
 * far end's read back, and ours when the stream sends its own.
 *
 * By default libre's RTCP session sends ours (a sender report with a
 * reception report block every 5 s, fixed in libre 1.1.0). A stream with
 * an interval of its own (rtcp-interval:) sends them here instead: an SR
 * (or an RR when it sent nothing since the last-but-one report) with one
 * block from our RFC 3550 receive statistics (mrxstat.c) and an SDES
 * CNAME. Either way libre computes the round-trip time from a block that
 * answers one of ours (§6.4.1: A - LSR - DLSR); this file keeps the last
 * block about our SSRC and counts the reports, so a media step can show
 * the far end's view next to its own. */
#include <string.h>
#include <time.h>
#include <re.h>
#include "mstream_priv.h"


/** The far end's reports about one stream */
struct mrtcp {
	uint32_t sr;            /* sender reports received */
	uint32_t rr;            /* receiver reports received */
	uint32_t peer;          /* the SSRC that reported on us */
	bool block;             /* a report block about our SSRC came */
	bool answered;          /* ... one that answers an SR of ours */
	struct rtcp_rr last;    /* the last such block */
	/* sending our own: the far end's last SR (LSR, when it came) and
	 * the packets we had sent at the last two reports */
	uint32_t lsr_ssrc;
	uint32_t lsr;
	uint64_t lsr_us;
	uint32_t psent[2];
};


/** The RTCP view of a stream, empty */
int mrtcp_alloc(struct mrtcp **rcp)
{
	if (!rcp)
		return EINVAL;

	*rcp = mem_zalloc(sizeof(struct mrtcp), NULL);

	return *rcp ? 0 : ENOMEM;
}


static void blocks(struct mrtcp *rc, uint32_t ours, uint32_t from,
		   const struct rtcp_rr *rrv, uint32_t n)
{
	uint32_t i;

	for (i = 0; rrv && i < n; i++) {
		if (rrv[i].ssrc != ours)
			continue;

		rc->block = true;
		rc->peer = from;
		rc->last = rrv[i];
		if (rrv[i].lsr)
			rc->answered = true;
	}
}


/**
 * One RTCP packet from the far end (libre has handled it first)
 *
 * @param rc   RTCP view
 * @param rs   The stream's RTP socket (our SSRC)
 * @param msg  The decoded packet
 */
void mrtcp_recv(struct mrtcp *rc, const struct rtp_sock *rs,
		const struct rtcp_msg *msg)
{
	const uint32_t ours = rtp_sess_ssrc(rs);

	if (!rc || !msg)
		return;

	switch (msg->hdr.pt) {

	case RTCP_SR:
		++rc->sr;
		/* §6.4.1 LSR: the middle 32 bits of its NTP timestamp */
		rc->lsr_ssrc = msg->r.sr.ssrc;
		rc->lsr = (msg->r.sr.ntp_sec & 0xffffu) << 16 |
			  msg->r.sr.ntp_frac >> 16;
		rc->lsr_us = mrxstat_now_us();
		blocks(rc, ours, msg->r.sr.ssrc, msg->r.sr.rrv,
		       msg->hdr.count);
		break;

	case RTCP_RR:
		++rc->rr;
		blocks(rc, ours, msg->r.rr.ssrc, msg->r.rr.rrv,
		       msg->hdr.count);
		break;

	default:
		break;
	}
}


/**
 * Fill the RTCP part of a stream's counters
 *
 * @param rc RTCP view
 * @param rs The stream's RTP socket (libre's round-trip time)
 * @param st Counters to fill
 */
void mrtcp_stats(const struct mrtcp *rc, struct rtp_sock *rs,
		 struct mstream_stats *st)
{
	struct rtcp_stats rst;

	st->rtcp_rx_sr = rc ? rc->sr : 0;
	st->rtcp_rx_rr = rc ? rc->rr : 0;
	st->peer_report = rc && rc->block;
	st->rtt_ms = -1;

	if (!st->peer_report)
		return;

	/* §6.4.1: fraction lost is a fixed-point number over 256; the
	 * jitter is in timestamp units */
	st->peer_fraction = rc->last.fraction / 256.0;
	st->peer_lost = rc->last.lost;
	st->peer_last_seq = rc->last.last_seq;
	st->peer_jitter_ms = rc->last.jitter * 1000.0 / MSTREAM_SRATE;

	memset(&rst, 0, sizeof(rst));
	if (rc->answered && 0 == rtcp_stats(rs, rc->peer, &rst))
		st->rtt_ms = rst.rtt / 1000.0;
}


/* §6.4.1: a report block, six words */
static int block_encode(struct mbuf *mb, void *arg)
{
	const struct rtcp_rr *rr = arg;
	int err;

	err  = mbuf_write_u32(mb, htonl(rr->ssrc));
	err |= mbuf_write_u32(mb, htonl((uint32_t)rr->fraction << 24 |
					((uint32_t)rr->lost & 0xffffffu)));
	err |= mbuf_write_u32(mb, htonl(rr->last_seq));
	err |= mbuf_write_u32(mb, htonl(rr->jitter));
	err |= mbuf_write_u32(mb, htonl(rr->lsr));
	err |= mbuf_write_u32(mb, htonl(rr->dlsr));

	return err;
}


struct sdes {
	uint32_t ssrc;
	const char *cname;
};


static int sdes_encode(struct mbuf *mb, void *arg)
{
	const struct sdes *s = arg;

	return rtcp_sdes_encode(mb, s->ssrc, 1, RTCP_SDES_CNAME, s->cname);
}


/**
 * Send one compound report of ours (RFC 3550 §6.4, §6.1): an SR if we
 * sent RTP since the last-but-one report (§6.4), else an RR; a report
 * block about the source we receive, once one came; an SDES CNAME
 *
 * @param rc    RTCP view (the far end's last SR: LSR, DLSR)
 * @param rs    The stream's RTP socket (our SSRC, its RTCP socket)
 * @param peer  The far end's RTCP address
 * @param rx    Receive statistics of what we receive
 * @param snd   What we sent and our RTP clock now
 * @param cname Our canonical name
 *
 * @return 0 if success, otherwise errorcode
 */
int mrtcp_send(struct mrtcp *rc, struct rtp_sock *rs, const struct sa *peer,
	       struct mrxstat *rx, const struct mrtcp_sender *snd,
	       const char *cname)
{
	struct sdes sdes;
	struct rtcp_rr rr;
	struct timespec wall;
	struct mbuf *mb;
	uint32_t n = 0;
	int err;

	if (!rc || !rs || !peer || !snd || !cname)
		return EINVAL;

	sdes.ssrc = rtp_sess_ssrc(rs);
	sdes.cname = cname;

	if (mrxstat_block(rx, &rr)) {
		n = 1;
		/* §6.4.1 DLSR: since that SR, in units of 1/65536 s */
		if (rc->lsr_us && rc->lsr_ssrc == rr.ssrc) {
			rr.lsr = rc->lsr;
			rr.dlsr = (uint32_t)((mrxstat_now_us() - rc->lsr_us) *
					     65536u / 1000000u);
		}
	}

	mb = mbuf_alloc(256);
	if (!mb)
		return ENOMEM;

	if (snd->psent != rc->psent[1]) {
		/* NTP time of the wall clock, as libre's RTT reads it */
		(void)clock_gettime(CLOCK_REALTIME, &wall);
		err = rtcp_encode(mb, RTCP_SR, n, sdes.ssrc,
				  (uint32_t)(wall.tv_sec + 2208988800u),
				  (uint32_t)(((uint64_t)wall.tv_nsec << 32) /
					     1000000000u),
				  snd->rtp_ts, snd->psent, snd->osent,
				  n ? block_encode : NULL, &rr);
	}
	else {
		err = rtcp_encode(mb, RTCP_RR, n, sdes.ssrc,
				  n ? block_encode : NULL, &rr);
	}
	err |= rtcp_encode(mb, RTCP_SDES, 1, sdes_encode, &sdes);
	if (err)
		goto out;

	mb->pos = 0;
	/* through the socket's helpers, as libre's own reports go */
	err = udp_send(rtcp_sock(rs), peer, mb);
	rc->psent[1] = rc->psent[0];
	rc->psent[0] = snd->psent;

 out:
	mem_deref(mb);
	return err;
}
