/* agents/media/mstream_rx.c — what a media leg receives: each RTP
 * packet counted (RFC 3550 loss, duplicates, jitter), audio into the
 * jitter buffer and played out one frame per clock tick (decoded, to the
 * sink and a conference), RFC 4733 events to digits; the far end's RTCP
 * read back (mrtcp.c).
 */
#include <string.h>
#include <re.h>
#include <rem.h>
#include "mstream_priv.h"
#include "mmix.h"


enum {
	MISS_PAUSE   = 50,    /* playout pauses after 1 s with nothing due */
};

/* --- receiving ----------------------------------------------------- */

static void decode(const struct rtp_header *hdr, struct mbuf *mb,
		   int16_t *pcm)
{
	const uint8_t *p = mbuf_buf(mb);
	size_t n = mbuf_get_left(mb), i;

	if (n > MSTREAM_FRAME)
		n = MSTREAM_FRAME;

	for (i = 0; i < n; i++) {
		pcm[i] = hdr->pt == MSTREAM_PCMA ? g711_alaw2pcm(p[i])
						 : g711_ulaw2pcm(p[i]);
	}

	memset(pcm + n, 0, (MSTREAM_FRAME - n) * sizeof(*pcm));
}


/* play one frame out of the jitter buffer; false: pause the playout */
bool mstream_play_frame(struct mstream *ms)
{
	struct rtp_header hdr;
	struct mbuf *mb = NULL;
	int16_t pcm[MSTREAM_FRAME];

	for (;;) {
		void *mem;

		if (jbuf_get(ms->jb, &hdr, &mem))
			break;

		mb = mem;

		/* after a reorder jbuf may hand out a frame older than
		 * one already played: too late */
		if (ms->play_seq_set &&
		    (int16_t)(hdr.seq - ms->play_seq) <= 0) {
			++ms->st.rx_late;
			mb = mem_deref(mb);
			continue;
		}

		break;
	}

	if (!mb) {
		if (++ms->misses >= MISS_PAUSE) {
			ms->playing = false;
			ms->misses = 0;
			return false;
		}

		if (!ms->playing)
			return true;  /* still filling */

		++ms->st.rx_silence;
		memset(pcm, 0, sizeof(pcm));
	}
	else {
		ms->playing = true;
		ms->misses = 0;
		ms->play_seq = hdr.seq;
		ms->play_seq_set = true;
		mrxstat_played(ms->rxs, hdr.seq);
		decode(&hdr, mb, pcm);
	}

	msink_play(ms->sink, pcm, MSTREAM_FRAME, !mb);
	mmix_put(ms->mixleg, pcm, MSTREAM_FRAME);
	mem_deref(mb);

	return true;
}


static void audio_put(struct mstream *ms, const struct rtp_header *hdr,
		      struct mbuf *mb)
{
	if (ETIMEDOUT == jbuf_put(ms->jb, hdr, mb))
		++ms->st.rx_late;

	if (!ms->play_on) {
		ms->play_on = true;
		mstream_clock_update(ms);
	}
}


/* RFC 4733 2.5.1.4: an event's end packet is sent three times; telev
 * reports the end once */
static void telev_in(struct mstream *ms, struct mbuf *mb)
{
	int event, digit;
	bool end;

	if (telev_recv(ms->telev, mb, &event, &end) || !end)
		return;

	digit = telev_code2digit(event);
	if (digit > 0)
		msink_digit(ms->sink, (char)digit);
}


/* libre's RTP handler: one packet that passed the helpers (and SRTP) */
void mstream_rtp_recv(const struct sa *src, const struct rtp_header *hdr,
		      struct mbuf *mb, void *arg)
{
	struct mstream *ms = arg;
	const bool audio = hdr->pt == (uint8_t)ms->codec;
	bool dup;

	/* a new source: the jitter buffer starts afresh */
	if (ms->rx_src_set && hdr->ssrc != ms->st.rx_ssrc) {
		jbuf_flush(ms->jb);
		ms->play_seq_set = false;
	}

	ms->rx_src = *src;
	ms->rx_src_set = true;
	ms->st.rx_ssrc = hdr->ssrc;

	dup = mrxstat_packet(ms->rxs, hdr, audio);
	if (dup)
		++ms->st.rx_dup;

	if (audio) {
		++ms->st.rx_packets;
		ms->st.rx_pt = hdr->pt;
		if (!dup && ms->recv)
			audio_put(ms, hdr, mb);
	}
	else if (ms->telev_pt >= 0 && hdr->pt == ms->telev_pt) {
		if (!dup && ms->recv)
			telev_in(ms, mb);
	}
	else {
		/* rx_pt names the offender: the far end's idea of audio */
		++ms->st.rx_wrong_pt;
		ms->st.rx_pt = hdr->pt;
	}
}


/* libre's RTCP handler, after libre's own session had it */
void mstream_rtcp_recv(const struct sa *src, struct rtcp_msg *msg,
		       void *arg)
{
	struct mstream *ms = arg;

	(void)src;
	mrtcp_recv(ms->rtcp, ms->rtp, msg);
}
