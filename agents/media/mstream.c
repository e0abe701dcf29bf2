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
 * Every datagram leaves through a UDP helper on the socket, which passes
 * audio to the impairment queue or straight to the socket and shows the
 * tap exactly the bytes that left; received datagrams are tapped by the
 * same helpers before libre decodes them.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include <re.h>
#include <rem.h>
#include "mstream_priv.h"
#include "mmix.h"
#include "msrtp.h"


enum {
	FRAME        = MSTREAM_SRATE * MSTREAM_PTIME / 1000, /* 160 */
	PORT_MIN     = 20000,
	PORT_MAX     = 60000,
	JB_MIN       = 2,     /* jbuf_get waits until more than min frames */
	JB_MAX       = 10,
	MISS_PAUSE   = 50,    /* playout pauses after 1 s with nothing due */
	BEHIND_MAX   = 10,    /* ticks; further behind, skip to now */
	CLOCK_ALIGN  = 1,     /* ms; clocks start on a multiple of it */
	TONE_DBOV    = -10,   /* default tone level */
};

struct mstream {
	struct rtp_sock *rtp;
	struct udp_helper *uh_rtp;    /* owned by the sockets */
	struct udp_helper *uh_rtcp;
	struct sa local;
	struct sa local_rtcp;
	struct sa remote;
	char *cname;
	mstream_tap_h *taph;
	void *arg;
	enum mstream_codec codec;     /* negotiated, both ways */
	int tx_codec;                 /* -1, or sent in its place */
	int telev_pt;                 /* -1: none negotiated */
	bool has_remote;
	bool send;
	bool recv;
	bool stopped;
	struct mstream_stats st;

	int tfd;                      /* the 20 ms clock, a timerfd */
	bool clock_on;

	/* sending */
	bool tx_on;
	uint64_t tx_last;             /* when the last frame left, ms */
	uint32_t ts;                  /* RTP timestamp of the next frame */
	uint32_t ts_tel;              /* RFC 4733: timestamp of the event */
	bool tx_marker;
	bool tx_audio;                /* the datagram in rtp_send is audio */
	struct mbuf *txmb;
	struct mimpair *imp;
	struct telev *telev;
	struct msource *src;
	struct mmix_leg *mixleg;      /* in a conference: hears the others */

	/* receiving */
	bool play_on;                 /* the clock plays out */
	bool playing;                 /* past the first frame */
	uint32_t misses;
	uint16_t play_seq;
	bool play_seq_set;
	struct jbuf *jb;
	struct msink *sink;
	struct sa rx_src;
	bool rx_src_set;
	struct mrxstat *rxs;
	struct mrtcp *rtcp;           /* the far end's reports on ours */
	struct msrtp *srtp;           /* SDES-keyed SRTP, or NULL: RTP */
};


static void destructor(void *data)
{
	struct mstream *ms = data;

	/* the RTCP BYE sent while the socket closes is not tapped: the
	 * tap's owner may be gone already */
	ms->taph = NULL;
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
	struct mbuf *smb = NULL;
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

	mem_deref(smb);
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


static void send_frame(struct mstream *ms)
{
	const int codec = ms->tx_codec >= 0 ? ms->tx_codec : (int)ms->codec;
	struct mbuf *mb = ms->txmb;
	bool marker = false;
	int16_t pcm[FRAME];
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

	/* RFC 4733 2.5: an event's packets carry the timestamp of its
	 * start; they take the place of the audio while it lasts */
	if (ms->telev_pt >= 0 && 0 == telev_poll(ms->telev, &marker, mb)) {
		if (marker)
			ms->ts_tel = ms->ts;
		mb->pos = RTP_HEADER_SIZE;
		ms->tx_audio = false;
		(void)rtp_send(ms->rtp, &ms->remote, false, marker,
			       (uint8_t)ms->telev_pt, ms->ts_tel, mb);
		ms->ts += FRAME;
		return;
	}

	msource_frame(ms->src, pcm, FRAME);
	mmix_add(ms->mixleg, pcm, FRAME);

	for (i = 0; i < FRAME; i++) {
		mb->buf[RTP_HEADER_SIZE + i] = codec == MSTREAM_PCMA ?
			g711_pcm2alaw(pcm[i]) : g711_pcm2ulaw(pcm[i]);
	}
	mb->end = RTP_HEADER_SIZE + FRAME;

	ms->tx_audio = true;
	(void)rtp_send(ms->rtp, &ms->remote, false, ms->tx_marker,
		       (uint8_t)codec, ms->ts, mb);
	ms->tx_marker = false;
	ms->ts += FRAME;
}


/* --- receiving ----------------------------------------------------- */

static void decode(const struct rtp_header *hdr, struct mbuf *mb,
		   int16_t *pcm)
{
	const uint8_t *p = mbuf_buf(mb);
	size_t n = mbuf_get_left(mb), i;

	if (n > FRAME)
		n = FRAME;

	for (i = 0; i < n; i++) {
		pcm[i] = hdr->pt == MSTREAM_PCMA ? g711_alaw2pcm(p[i])
						 : g711_ulaw2pcm(p[i]);
	}

	memset(pcm + n, 0, (FRAME - n) * sizeof(*pcm));
}


/* play one frame out of the jitter buffer; false: pause the playout */
static bool play_frame(struct mstream *ms)
{
	struct rtp_header hdr;
	struct mbuf *mb = NULL;
	int16_t pcm[FRAME];

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

	msink_play(ms->sink, pcm, FRAME, !mb);
	mmix_put(ms->mixleg, pcm, FRAME);
	mem_deref(mb);

	return true;
}


/* --- the clock ----------------------------------------------------- */

static bool tx_wanted(const struct mstream *ms)
{
	return ms->has_remote && ms->send && !ms->stopped;
}


/* run the clock while there is something to send or play out. Its
 * first tick is the next whole CLOCK_ALIGN ms: streams tick in a few
 * phases only, so one wakeup of the loop serves many of them. */
static void clock_update(struct mstream *ms)
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
			ms->ts += (uint32_t)((ticks - 1) * FRAME);
		ticks = 1;
	}

	while (ticks--) {
		if (tx_wanted(ms))
			send_frame(ms);
		if (ms->play_on && !play_frame(ms))
			ms->play_on = false;
	}

	clock_update(ms);
}


static void audio_put(struct mstream *ms, const struct rtp_header *hdr,
		      struct mbuf *mb)
{
	if (ETIMEDOUT == jbuf_put(ms->jb, hdr, mb))
		++ms->st.rx_late;

	if (!ms->play_on) {
		ms->play_on = true;
		clock_update(ms);
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


static void rtp_recv_handler(const struct sa *src,
			     const struct rtp_header *hdr, struct mbuf *mb,
			     void *arg)
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


static void rtcp_recv_handler(const struct sa *src, struct rtcp_msg *msg,
			      void *arg)
{
	struct mstream *ms = arg;

	(void)src;
	mrtcp_recv(ms->rtcp, ms->rtp, msg);
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
			 true, rtp_recv_handler, rtcp_recv_handler, ms);
	if (err)
		goto out;

	ms->local = ms->local_rtcp = *rtp_local(ms->rtp);
	sa_set_port(&ms->local_rtcp, sa_port(&ms->local) + 1);

	err = udp_register_helper(&ms->uh_rtp, rtp_sock(ms->rtp), 0,
				  rtp_helper_send, rtp_helper_recv, ms);
	if (err)
		goto out;

	err = udp_register_helper(&ms->uh_rtcp, rtcp_sock(ms->rtp), 0,
				  rtcp_helper_send, rtcp_helper_recv, ms);
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

	ms->txmb = mbuf_alloc(RTP_HEADER_SIZE + FRAME);
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


/** Set what was negotiated: the remote RTP address (RTCP to its port + 1),
 * the codec, the RFC 4733 payload type (-1: none); starts RTCP (libre's
 * fixed 5 s interval) and, unless send is off, sending */
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

	clock_update(ms);

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

	clock_update(ms);
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
	clock_update(ms);
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
