/* agents/media/mrtcp.c — what the far end says of our stream: the RTCP
 * reports it sends (RFC 3550 §6.4) read back. libre's RTCP session sends
 * ours (a sender report with a reception report block every 5 s) and
 * computes the round-trip time from a block that answers one of ours
 * (§6.4.1: A - LSR - DLSR); this file keeps the last block about our SSRC
 * and counts the reports, so a media step can show the far end's view
 * next to its own. */
#include <string.h>
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
