/* agents/media/mstream_tx.c — what a media leg sends, and every
 * datagram on its two sockets: one G.711 frame (or RFC 4733 event) per
 * tick of the stream's clock, sent with libre's rtp_send; UDP helpers on
 * the RTP and RTCP sockets pass audio to the impairment queue or straight
 * to the socket, SRTP-protect it on a keyed leg and show the tap exactly
 * the bytes that left, and tap what arrives before libre decodes it.
 */
#include <string.h>
#include <re.h>
#include <rem.h>
#include "mstream_priv.h"
#include "mmix.h"
#include "msrtp.h"


static void tap(const struct mstream *ms, bool tx, const struct sa *src,
		const struct sa *dst, const struct mbuf *mb)
{
	if (ms->taph)
		ms->taph(tx, src, dst, mbuf_buf(mb), mbuf_get_left(mb),
			 ms->arg);
}


/* --- sending ------------------------------------------------------- */

/* one datagram to the socket below our helper, SRTP-protected on a
 * keyed leg; tap what left (the pcap keeps SRTP as sent) */
static int emit(struct mstream *ms, bool rtcp, const struct sa *dst,
		struct mbuf *mb)
{
	struct mbuf *smb;
	int err;

	if (ms->srtp) {
		err = msrtp_protect(ms->srtp, rtcp, mb, &smb);
		if (err)
			return err;
		mb = smb;
	}

	err = rtcp ? udp_send_helper(rtcp_sock(ms->rtp), dst, mb,
				     ms->uh_rtcp)
		   : udp_send_helper(rtp_sock(ms->rtp), dst, mb, ms->uh_rtp);
	if (!err)
		tap(ms, true, rtcp ? &ms->local_rtcp : &ms->local, dst, mb);

	return err;
}


static int rtp_emit(struct mstream *ms, const struct sa *dst,
		    struct mbuf *mb)
{
	int err = emit(ms, false, dst, mb);

	if (!err)
		++ms->st.tx_packets;

	return err;
}


static void imp_emit(const struct sa *dst, struct mbuf *mb, void *arg)
{
	(void)rtp_emit(arg, dst, mb);
}


static bool rtp_helper_send(int *err, struct sa *dst, struct mbuf *mb,
			    void *arg)
{
	struct mstream *ms = arg;

	if (ms->imp && ms->tx_audio) {
		mimpair_send(ms->imp, dst, mb);
		*err = 0;
	}
	else {
		*err = rtp_emit(ms, dst, mb);
	}

	return true;
}


static bool rtp_helper_recv(struct sa *src, struct mbuf *mb, void *arg)
{
	struct mstream *ms = arg;

	tap(ms, false, src, &ms->local, mb);

	return ms->srtp && msrtp_drop(ms->srtp, false, mb, &ms->st);
}


static bool rtcp_helper_send(int *err, struct sa *dst, struct mbuf *mb,
			     void *arg)
{
	struct mstream *ms = arg;

	*err = emit(ms, true, dst, mb);

	return true;
}


static bool rtcp_helper_recv(struct sa *src, struct mbuf *mb, void *arg)
{
	struct mstream *ms = arg;

	tap(ms, false, src, &ms->local_rtcp, mb);

	return ms->srtp && msrtp_drop(ms->srtp, true, mb, &ms->st);
}


/* one frame of the source, or of an RFC 4733 event, on the clock's
 * tick */
void mstream_send_frame(struct mstream *ms)
{
	const int codec = ms->tx_codec >= 0 ? ms->tx_codec : (int)ms->codec;
	struct mbuf *mb = ms->txmb;
	bool marker = false;
	int16_t pcm[MSTREAM_FRAME];
	uint32_t clk;
	size_t i;

	mb->pos = mb->end = RTP_HEADER_SIZE;

	/* RFC 3550 5.1: the timestamp runs on with the clock while not
	 * sending; RFC 3551 4.1: marker on the first packet of a talkspurt */
	if (!ms->tx_on) {
		const uint64_t now = tmr_jiffies();

		if (ms->tx_last && now > ms->tx_last + MSTREAM_PTIME)
			ms->ts += (uint32_t)((now - ms->tx_last -
					      MSTREAM_PTIME) *
					     (MSTREAM_SRATE / 1000));
		ms->tx_on = true;
		ms->tx_marker = true;
	}
	ms->tx_last = tmr_jiffies();

	/* our SR's RTP timestamp (RFC 3550 §6.4.1): the sampling clock is
	 * the timestamp of the frame that left with the least delay */
	clk = ms->ts - (uint32_t)(mrxstat_now_us() * MSTREAM_SRATE /
				  1000000u);
	if (!ms->tx_clk_set || (int32_t)(clk - ms->tx_clk) > 0) {
		ms->tx_clk = clk;
		ms->tx_clk_set = true;
	}

	/* RFC 4733 2.5: an event's packets carry the timestamp of its
	 * start; they take the place of the audio while it lasts */
	if (ms->telev_pt >= 0 && 0 == telev_poll(ms->telev, &marker, mb)) {
		if (marker)
			ms->ts_tel = ms->ts;
		mb->pos = RTP_HEADER_SIZE;
		ms->tx_audio = false;
		++ms->tx_psent;
		ms->tx_osent += (uint32_t)mbuf_get_left(mb);
		(void)rtp_send(ms->rtp, &ms->remote, false, marker,
			       (uint8_t)ms->telev_pt, ms->ts_tel, mb);
		ms->ts += MSTREAM_FRAME;
		return;
	}

	msource_frame(ms->src, pcm, MSTREAM_FRAME);
	mmix_add(ms->mixleg, pcm, MSTREAM_FRAME);

	for (i = 0; i < MSTREAM_FRAME; i++) {
		mb->buf[RTP_HEADER_SIZE + i] = codec == MSTREAM_PCMA ?
			g711_pcm2alaw(pcm[i]) : g711_pcm2ulaw(pcm[i]);
	}
	mb->end = RTP_HEADER_SIZE + MSTREAM_FRAME;

	ms->tx_audio = true;
	++ms->tx_psent;
	ms->tx_osent += MSTREAM_FRAME;
	(void)rtp_send(ms->rtp, &ms->remote, false, ms->tx_marker,
		       (uint8_t)codec, ms->ts, mb);
	ms->tx_marker = false;
	ms->ts += MSTREAM_FRAME;
}


/** Put the leg's helpers on its two sockets: every datagram in and out
 *  passes them */
int mstream_tx_listen(struct mstream *ms)
{
	int err;

	err = udp_register_helper(&ms->uh_rtp, rtp_sock(ms->rtp), 0,
				  rtp_helper_send, rtp_helper_recv, ms);
	if (err)
		return err;

	return udp_register_helper(&ms->uh_rtcp, rtcp_sock(ms->rtp), 0,
				   rtcp_helper_send, rtcp_helper_recv, ms);
}


static double unit(double v) { return v > 0 ? (v < 1 ? v : 1) : 0; }


/** Impair the audio sent from now on (RFC 4733 events and RTCP pass);
 * rates clamped to 0..1, all zero or NULL for none. Packets still held by
 * an earlier impairment are dropped. */
void mstream_impair(struct mstream *ms, const struct mstream_impair *imp)
{
	struct mstream_impair prm;

	if (!ms)
		return;

	ms->imp = mem_deref(ms->imp);

	if (!imp)
		return;

	prm = *imp;
	prm.loss = unit(prm.loss);
	prm.reorder = unit(prm.reorder);
	prm.duplicate = unit(prm.duplicate);

	if (!prm.loss && !prm.reorder && !prm.duplicate && !prm.jitter_ms)
		return;

	(void)mimpair_alloc(&ms->imp, &prm, imp_emit, ms);
}
