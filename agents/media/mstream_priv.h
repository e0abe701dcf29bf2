/* agents/media/mstream_priv.h — the media leg's parts, shared by the
 * files of agents/media (mstream.c drives them); not for callers */
#ifndef SIPFLOW_MSTREAM_PRIV_H
#define SIPFLOW_MSTREAM_PRIV_H

#include "mstream.h"
#include "mimpair.h"

struct mbuf;
struct rtp_header;

/* mrxstat.c: RFC 3550 receive statistics of one stream */
struct mrxstat;
int  mrxstat_alloc(struct mrxstat **rsp);
bool mrxstat_packet(struct mrxstat *rs, const struct rtp_header *hdr,
		    bool timed);  /* true: a duplicate */
uint32_t mrxstat_lost(const struct mrxstat *rs);
double mrxstat_jitter_ms(const struct mrxstat *rs);
void mrxstat_played(struct mrxstat *rs, uint16_t seq);
void mrxstat_wait(const struct mrxstat *rs, uint32_t *played,
		  double *wait_ms);
struct rtcp_rr;
/* the report block about the source received (RFC 3550 §6.4.1, A.3),
 * fraction lost since the last call; false: nothing received yet */
bool mrxstat_block(struct mrxstat *rs, struct rtcp_rr *rr);
uint64_t mrxstat_now_us(void);   /* CLOCK_MONOTONIC, the media's clock */

/* mrtcp.c: the far end's RTCP reports on our stream (RFC 3550 §6.4) */
struct mrtcp;
struct rtcp_msg;
struct rtp_sock;
int  mrtcp_alloc(struct mrtcp **rcp);
void mrtcp_recv(struct mrtcp *rc, const struct rtp_sock *rs,
		const struct rtcp_msg *msg);
void mrtcp_stats(const struct mrtcp *rc, struct rtp_sock *rs,
		 struct mstream_stats *st);
/* what an SR says of our sending (RFC 3550 §6.4.1 sender info) */
struct mrtcp_sender {
	uint32_t rtp_ts;        /* the RTP clock at the time of the report */
	uint32_t psent;         /* RTP packets sent */
	uint32_t osent;         /* their payload octets */
};
int  mrtcp_send(struct mrtcp *rc, struct rtp_sock *rs, const struct sa *peer,
		struct mrxstat *rx, const struct mrtcp_sender *snd,
		const char *cname);

/* msource.c: the signal a stream sends, in-band DTMF keyed in */
struct msource;
int  msource_alloc(struct msource **srcp);
int  msource_tone(struct msource *src, uint32_t hz, int dbov);
void msource_silence(struct msource *src);
int  msource_wav(struct msource *src, const char *path);
int  msource_dtmf(struct msource *src, const char *digits);
void msource_frame(struct msource *src, int16_t *pcm, size_t n);

/* msink.c: where the audio played out goes */
struct msink;
int  msink_alloc(struct msink **skp);
void msink_play(struct msink *sk, const int16_t *pcm, size_t n,
		bool concealed);
void msink_digit(struct msink *sk, char digit);
int  msink_record(struct msink *sk, const char *path);
int  msink_record_err(const struct msink *sk, const char **pathp);
void msink_reset(struct msink *sk);
size_t msink_recent(const struct msink *sk, int16_t *buf, size_t n);
const char *msink_digits(const struct msink *sk);

/* the leg itself, as its files share it: mstream.c (lifetime, the clock,
 * the API), mstream_tx.c (sending, the sockets' helpers), mstream_rx.c
 * (receiving, playout) */
enum { MSTREAM_FRAME = MSTREAM_SRATE * MSTREAM_PTIME / 1000 }; /* 160 */

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
	/* our own RTCP reports (mrtcp.c) when rtcp-interval is set */
	uint32_t rtcp_ms;             /* their interval; 0: libre's 5 s */
	struct tmr rtcp_tmr;
	uint32_t tx_psent;            /* RTP packets and payload octets */
	uint32_t tx_osent;            /* ... sent (before impairment) */
	uint32_t tx_clk;              /* RTP clock minus the send time */
	bool tx_clk_set;              /* ... least delayed since the SR */
	struct msrtp *srtp;           /* SDES-keyed SRTP, or NULL: RTP */
};

/* mstream.c: (re)arm the clock for what the leg has to do now */
void mstream_clock_update(struct mstream *ms);
/* mstream_tx.c */
int  mstream_tx_listen(struct mstream *ms);  /* the sockets' helpers */
void mstream_send_frame(struct mstream *ms);
/* mstream_rx.c */
bool mstream_play_frame(struct mstream *ms);  /* false: pause playout */
void mstream_rtp_recv(const struct sa *src, const struct rtp_header *hdr,
		      struct mbuf *mb, void *arg);
void mstream_rtcp_recv(const struct sa *src, struct rtcp_msg *msg,
		       void *arg);

#endif
