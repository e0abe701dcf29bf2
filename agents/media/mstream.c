/* agents/media/mstream.c — one RTP audio leg: sends its source as G.711
 * every 20 ms and receives, de-jitters, decodes and analyses what the far
 * end sends.
 *
 * One 20 ms clock per stream drives both sending and playout. It is a
 * periodic timerfd on libre's loop rather than a libre tmr: the kernel
 * keeps the absolute schedule (each tick is the last plus 20 ms, no
 * drift) and counts missed ticks, and libre 1.1.0 keeps its timers in one
 * sorted list where every 20 ms re-arm would walk past the 5 s RTCP timer
 * of every other stream (bench/media.c: twice the CPU at 250 pairs).
 *
 * This file holds the leg's lifetime, its clock and the API; sending is
 * mstream_tx.c, receiving and playout mstream_rx.c.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include <re.h>
#include "mstream_priv.h"
#include "mmix.h"
#include "msrtp.h"


enum {
	PORT_MIN     = 20000,
	PORT_MAX     = 60000,
	JB_MIN       = 2,     /* jbuf_get waits until more than min frames */
	JB_MAX       = 10,
	BEHIND_MAX   = 10,    /* ticks; further behind, skip to now */
	CLOCK_ALIGN  = 1,     /* ms; clocks start on a multiple of it */
	TONE_DBOV    = -10,   /* default tone level */
};


static void destructor(void *data)
{
	struct mstream *ms = data;

	/* the RTCP BYE sent while the socket closes is not tapped: the
	 * tap's owner may be gone already */
	ms->taph = NULL;
	tmr_cancel(&ms->rtcp_tmr);
	if (ms->tfd >= 0) {
		fd_close(ms->tfd);
		(void)close(ms->tfd);
	}
	ms->imp = mem_deref(ms->imp);
	mem_deref(ms->mixleg);
	mem_deref(ms->rtp);
	mem_deref(ms->jb);
	mem_deref(ms->rxs);
	mem_deref(ms->rtcp);
	mem_deref(ms->srtp);
	mem_deref(ms->telev);
	mem_deref(ms->sink);
	mem_deref(ms->src);
	mem_deref(ms->txmb);
	mem_deref(ms->cname);
}


/* --- the clock ----------------------------------------------------- */

static bool tx_wanted(const struct mstream *ms)
{
	return ms->has_remote && ms->send && !ms->stopped;
}


/* run the clock while there is something to send or play out. Its
 * first tick is the next whole CLOCK_ALIGN ms: streams tick in a few
 * phases only, so one wakeup of the loop serves many of them. */
void mstream_clock_update(struct mstream *ms)
{
	const bool on = tx_wanted(ms) || ms->play_on;
	const long align = CLOCK_ALIGN * 1000000L;
	struct itimerspec its;

	if (!tx_wanted(ms))
		ms->tx_on = false;

	if (on == ms->clock_on)
		return;

	memset(&its, 0, sizeof(its));
	if (on) {
		(void)clock_gettime(CLOCK_MONOTONIC, &its.it_value);
		its.it_value.tv_nsec = (its.it_value.tv_nsec / align + 1) *
				       align;
		if (its.it_value.tv_nsec >= 1000000000L) {
			its.it_value.tv_sec += 1;
			its.it_value.tv_nsec -= 1000000000L;
		}
		its.it_interval.tv_nsec = MSTREAM_PTIME * 1000000L;
	}

	if (0 == timerfd_settime(ms->tfd, TFD_TIMER_ABSTIME, &its, NULL))
		ms->clock_on = on;
}


static void clock_handler(int flags, void *arg)
{
	struct mstream *ms = arg;
	uint64_t ticks;

	(void)flags;

	if (read(ms->tfd, &ticks, sizeof(ticks)) != sizeof(ticks))
		return;

	/* far behind (a stalled loop): skip the frames, not the time */
	if (ticks > BEHIND_MAX) {
		if (ms->tx_on)
			ms->ts += (uint32_t)((ticks - 1) * MSTREAM_FRAME);
		ticks = 1;
	}

	while (ticks--) {
		if (tx_wanted(ms))
			mstream_send_frame(ms);
		if (ms->play_on && !mstream_play_frame(ms))
			ms->play_on = false;
	}

	mstream_clock_update(ms);
}


/* --- the API ------------------------------------------------------- */

/**
 * Open an RTP audio leg: RTP on an even port in 20000..60000 of laddr's
 * IP, RTCP on the next one; it sends nothing until it has a remote
 *
 * @param msp   Returned stream
 * @param laddr Local IP address (its port is not used)
 * @param cname RTCP canonical name
 * @param taph  Sees every datagram sent or received (optional)
 * @param arg   Handler argument
 *
 * @return 0 if success, otherwise errorcode
 */
int mstream_alloc(struct mstream **msp, const struct sa *laddr,
		  const char *cname, mstream_tap_h *taph, void *arg)
{
	struct mstream *ms;
	int err;

	if (!msp || !laddr || !cname)
		return EINVAL;

	ms = mem_zalloc(sizeof(*ms), destructor);
	if (!ms)
		return ENOMEM;

	ms->taph = taph;
	ms->arg = arg;
	ms->codec = MSTREAM_PCMU;
	ms->tx_codec = -1;
	ms->telev_pt = -1;
	ms->send = true;
	ms->recv = true;
	ms->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ms->tfd < 0) {
		err = errno;
		goto out;
	}

	err = fd_listen(ms->tfd, FD_READ, clock_handler, ms);
	if (err) {
		(void)close(ms->tfd);
		ms->tfd = -1;
		goto out;
	}

	err = str_dup(&ms->cname, cname);
	if (err)
		goto out;

	err = rtp_listen(&ms->rtp, IPPROTO_UDP, laddr, PORT_MIN, PORT_MAX,
			 true, mstream_rtp_recv, mstream_rtcp_recv, ms);
	if (err)
		goto out;

	ms->local = ms->local_rtcp = *rtp_local(ms->rtp);
	sa_set_port(&ms->local_rtcp, sa_port(&ms->local) + 1);

	err = mstream_tx_listen(ms);
	if (err)
		goto out;

	err  = jbuf_alloc(&ms->jb, JB_MIN, JB_MAX);
	err |= mrxstat_alloc(&ms->rxs);
	err |= mrtcp_alloc(&ms->rtcp);
	err |= msource_alloc(&ms->src);
	err |= msink_alloc(&ms->sink);
	err |= telev_alloc(&ms->telev, MSTREAM_PTIME);
	if (err)
		goto out;

	ms->txmb = mbuf_alloc(RTP_HEADER_SIZE + MSTREAM_FRAME);
	if (!ms->txmb)
		err = ENOMEM;

 out:
	if (err)
		mem_deref(ms);
	else
		*msp = ms;

	return err;
}


/** The local RTP address (IP and port) of the stream */
const struct sa *mstream_local(const struct mstream *ms)
{
	return ms ? &ms->local : NULL;
}


/** Key the leg's SRTP (mstream.h) */
int mstream_srtp(struct mstream *ms, const char *suite,
		 const uint8_t *txkey, const uint8_t *rxkey, size_t keylen)
{
	struct msrtp *s = NULL;
	int err;

	if (!ms)
		return EINVAL;

	err = msrtp_alloc(&s, suite, txkey, rxkey, keylen);
	if (err)
		return err;

	mem_deref(ms->srtp);
	ms->srtp = s;
	return 0;
}


/* our own report (mrtcp.c), every rtcp_ms */
static void rtcp_timeout(void *arg)
{
	struct mstream *ms = arg;
	struct mrtcp_sender snd;
	struct sa peer = ms->remote;

	/* the RTP clock now: the least delayed frame's offset, run on */
	snd.rtp_ts = ms->tx_clk + (uint32_t)(mrxstat_now_us() *
					     MSTREAM_SRATE / 1000000u);
	snd.psent = ms->tx_psent;
	snd.osent = ms->tx_osent;
	sa_set_port(&peer, sa_port(&ms->remote) + 1);
	(void)mrtcp_send(ms->rtcp, ms->rtp, &peer, ms->rxs, &snd, ms->cname);
	/* the next SR reads the clock off the frames sent until then */
	if (ms->tx_on)
		ms->tx_clk_set = false;

	tmr_start(&ms->rtcp_tmr, ms->rtcp_ms, rtcp_timeout, ms);
}


/** Send RTCP reports every interval_ms (100 ms .. 60 s) of our own
 * instead of libre's every 5 s; 0: libre's. Before mstream_set_remote. */
int mstream_rtcp_interval(struct mstream *ms, uint32_t interval_ms)
{
	if (!ms || (interval_ms && (interval_ms < MSTREAM_RTCP_MIN ||
				    interval_ms > MSTREAM_RTCP_MAX)))
		return EINVAL;

	ms->rtcp_ms = interval_ms;

	return 0;
}


/** Set what was negotiated: the remote RTP address (RTCP to its port + 1),
 * the codec, the RFC 4733 payload type (-1: none); starts RTCP (libre's
 * fixed 5 s interval, or ours: mstream_rtcp_interval) and, unless send
 * is off, sending */
int mstream_set_remote(struct mstream *ms, const struct sa *rtp,
		       enum mstream_codec codec, int telev_pt)
{
	struct sa rtcp;

	if (!ms || !rtp || !sa_isset(rtp, SA_ALL))
		return EINVAL;

	if (codec != MSTREAM_PCMU && codec != MSTREAM_PCMA)
		return EINVAL;

	if (telev_pt > 127 || telev_pt == (int)codec)
		return EINVAL;

	ms->remote = *rtp;
	ms->codec = codec;
	ms->telev_pt = telev_pt < 0 ? -1 : telev_pt;
	ms->has_remote = true;

	rtcp = *rtp;
	sa_set_port(&rtcp, sa_port(rtp) + 1);
	/* without the rates libre's SR carries RTP timestamp 0 and its
	 * report blocks jitter 0 */
	rtcp_set_srate(ms->rtp, MSTREAM_SRATE, MSTREAM_SRATE);
	rtcp_start(ms->rtp, ms->cname, &rtcp);
	if (ms->rtcp_ms) {
		/* libre's timer off (a NULL peer disables it), its peer and
		 * its BYE kept; ours sends the reports. RFC 3550 §6.2: the
		 * first after half the interval */
		rtcp_start(ms->rtp, ms->cname, NULL);
		if (!tmr_isrunning(&ms->rtcp_tmr))
			tmr_start(&ms->rtcp_tmr, ms->rtcp_ms / 2,
				  rtcp_timeout, ms);
	}

	mstream_clock_update(ms);

	return 0;
}


/** Set the direction (SDP sendrecv, sendonly, recvonly, inactive): without
 * send nothing is sent; without recv packets are still counted and tapped
 * but not played out, analysed or recorded */
void mstream_set_dir(struct mstream *ms, bool send, bool recv)
{
	if (!ms)
		return;

	if (ms->recv && !recv) {
		ms->play_on = false;
		jbuf_flush(ms->jb);
		msink_reset(ms->sink);
		ms->playing = false;
		ms->misses = 0;
		ms->play_seq_set = false;
	}

	ms->send = send;
	ms->recv = recv;

	mstream_clock_update(ms);
}


/** Join a conference (what the leg sends is its source plus what the
 *  other legs receive; what it receives goes to them), or with mix NULL
 *  leave it */
int mstream_mix(struct mstream *ms, struct mmix *mix)
{
	if (!ms)
		return EINVAL;

	ms->mixleg = mem_deref(ms->mixleg);

	return mix ? mmix_join(&ms->mixleg, mix) : 0;
}


/** Send PCMU or PCMA whatever was negotiated, -1 for the negotiated
 * codec again; what is received is still judged by the negotiated one */
int mstream_send_codec(struct mstream *ms, int codec)
{
	if (!ms || (codec != -1 && codec != MSTREAM_PCMU &&
		    codec != MSTREAM_PCMA))
		return EINVAL;

	ms->tx_codec = codec;

	return 0;
}


/** Stop sending for good (hangup); receiving goes on until freed */
void mstream_stop(struct mstream *ms)
{
	if (!ms)
		return;

	ms->stopped = true;
	mstream_clock_update(ms);
}


/** Send a sine tone of 1..3999 Hz at dbov < 0 (RMS), 0 for -10 dBov */
int mstream_source_tone(struct mstream *ms, uint32_t hz, int dbov)
{
	return ms ? msource_tone(ms->src, hz, dbov ? dbov : TONE_DBOV)
		  : EINVAL;
}


/** Send digital silence */
void mstream_source_silence(struct mstream *ms)
{
	if (ms)
		msource_silence(ms->src);
}


/** Send an 8 kHz mono 16-bit WAV file (< 10 min) looped; EINVAL if it
 * is another format */
int mstream_source_wav(struct mstream *ms, const char *path)
{
	return ms ? msource_wav(ms->src, path) : EINVAL;
}


/** Send DTMF digits (0-9, *, #, A-D) after any still queued: in-band as
 * tone pairs keyed over the audio (80 ms on, 80 ms off), or as RFC 4733
 * telephone-events in place of the audio (ENOTSUP without a telev_pt) */
int mstream_send_dtmf(struct mstream *ms, const char *digits, bool inband)
{
	const char *p;
	int err = 0;

	if (!ms || !digits)
		return EINVAL;

	for (p = digits; *p; p++) {
		if (telev_digit2code((unsigned char)*p) < 0)
			return EINVAL;
	}

	if (!inband && ms->telev_pt < 0)
		return ENOTSUP;

	if (inband)
		return msource_dtmf(ms->src, digits);

	for (p = digits; *p && !err; p++) {
		const int code = telev_digit2code((unsigned char)*p);

		err  = telev_send(ms->telev, code, false);
		err |= telev_send(ms->telev, code, true);
	}

	return err;
}


/** Record what is played out to a WAV file (8 kHz mono 16-bit) from
 * now on; path NULL stops recording */
int mstream_record_wav(struct mstream *ms, const char *path)
{
	return ms ? msink_record(ms->sink, path) : EINVAL;
}


/** The recording's first write that failed (an errno; a full disk), 0
 *  if none; *pathp: its file */
int mstream_record_err(const struct mstream *ms, const char **pathp)
{
	return ms ? msink_record_err(ms->sink, pathp) : 0;
}


/** Counters since the stream was opened */
void mstream_stats(const struct mstream *ms, struct mstream_stats *st)
{
	if (!st)
		return;

	if (!ms) {
		memset(st, 0, sizeof(*st));
		return;
	}

	*st = ms->st;
	st->rx_lost = mrxstat_lost(ms->rxs);
	st->jitter_ms = mrxstat_jitter_ms(ms->rxs);
	mrxstat_wait(ms->rxs, &st->jb_played, &st->jb_wait_ms);
	mrtcp_stats(ms->rtcp, ms->rtp, st);
}


/** The source address of the last RTP packet received, NULL if none */
const struct sa *mstream_rx_src(const struct mstream *ms)
{
	return ms && ms->rx_src_set ? &ms->rx_src : NULL;
}


/** Every DTMF digit received so far, RFC 4733 and in-band, in order */
const char *mstream_dtmf(const struct mstream *ms)
{
	return ms ? msink_digits(ms->sink) : "";
}


/** Copy the last n (up to 3 s) samples played out, oldest first; returns
 * how many there were */
size_t mstream_recent(const struct mstream *ms, int16_t *buf, size_t n)
{
	return ms ? msink_recent(ms->sink, buf, n) : 0;
}
