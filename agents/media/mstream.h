/* agents/media/mstream.h — one RTP audio leg of a phone: it sends a
 * source (tone, silence, WAV, DTMF) as G.711 every 20 ms and receives,
 * de-jitters, decodes and analyses what the far end sends (packets, loss,
 * jitter, level, tones, DTMF, an E-model MOS). One stream per call leg.
 */
#ifndef SIPFLOW_MSTREAM_H
#define SIPFLOW_MSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mstream;
struct mmix;
struct sa;

enum { MSTREAM_SRATE = 8000, MSTREAM_PTIME = 20 };

/** The codec a leg uses, as negotiated in SDP */
enum mstream_codec {
	MSTREAM_PCMU = 0,   /* payload type 0 */
	MSTREAM_PCMA = 8,   /* payload type 8 */
};

/** What the stream sends */
enum mstream_src {
	MSTREAM_SRC_SILENCE = 0,
	MSTREAM_SRC_TONE,       /* a sine at tone_hz, tone_dbov */
	MSTREAM_SRC_WAV,        /* 8 kHz mono 16-bit WAV, looped */
};

/** Network impairment applied to what the stream sends (seeded) */
struct mstream_impair {
	double loss;        /* 0..1: fraction of packets dropped */
	uint32_t jitter_ms; /* each packet delayed 0..jitter_ms, uniform */
	double reorder;     /* 0..1: fraction held back one packet */
	double duplicate;   /* 0..1: fraction sent twice */
	uint32_t seed;      /* same seed, same run */
};

/** Counters since the stream was opened (the caller takes deltas) */
struct mstream_stats {
	uint32_t tx_packets;      /* RTP that left the socket (impaired) */
	uint32_t rx_packets;      /* RTP audio packets received */
	uint32_t rx_lost;         /* by sequence number gaps (RFC 3550) */
	uint32_t rx_dup;          /* duplicates */
	uint32_t rx_late;         /* too late for the jitter buffer */
	uint32_t rx_wrong_pt;     /* a payload type not negotiated */
	uint8_t  rx_pt;           /* last pt but telephone-event's */
	uint32_t rx_ssrc;
	double   jitter_ms;       /* RFC 3550 interarrival jitter */
	uint32_t rx_silence;      /* frames played as silence: none due */
	/* the jitter buffer: frames played and the ms they waited in it
	 * (arrival to playout), summed; the mean is the buffer's delay */
	uint32_t jb_played;
	double   jb_wait_ms;
	/* RTCP (RFC 3550 §6.4): the far end's reports on what we send */
	uint32_t rtcp_rx_sr;      /* sender reports received */
	uint32_t rtcp_rx_rr;      /* receiver reports received */
	bool     peer_report;     /* a report block about our SSRC came */
	double   peer_fraction;   /* its fraction lost, 0..1 */
	int32_t  peer_lost;       /* its cumulative number of packets lost */
	uint32_t peer_last_seq;   /* its extended highest sequence number */
	double   peer_jitter_ms;  /* its interarrival jitter */
	double   rtt_ms;          /* round trip, A - LSR - DLSR; -1: none */
	uint32_t rx_srtp_auth;    /* SRTP/SRTCP whose tag did not match */
	uint32_t rx_srtp_bad;     /* too short to be SRTP */
};

/** Every RTP/RTCP datagram the stream sends or receives (for the pcap) */
typedef void (mstream_tap_h)(bool tx, const struct sa *src,
			     const struct sa *dst, const uint8_t *pkt,
			     size_t len, void *arg);

/* lifetime: listens on laddr's IP, an even port in 20000..60000, RTCP on
 * the next port */
int  mstream_alloc(struct mstream **msp, const struct sa *laddr,
		   const char *cname, mstream_tap_h *taph, void *arg);
const struct sa *mstream_local(const struct mstream *ms);

/* RTCP reports every interval_ms of our own (RFC 3550 §6.4: SR or RR,
 * a report block, SDES CNAME; the first after half of it, §6.2) in place
 * of libre's fixed 5 s; 0: libre's. Set before mstream_set_remote. */
enum { MSTREAM_RTCP_MIN = 100, MSTREAM_RTCP_MAX = 60000 };
int  mstream_rtcp_interval(struct mstream *ms, uint32_t interval_ms);

/* negotiated parameters; the stream sends only when it has a remote
 * address and send is true; it analyses only when recv is true */
int  mstream_set_remote(struct mstream *ms, const struct sa *rtp,
			enum mstream_codec codec, int telev_pt);
void mstream_set_dir(struct mstream *ms, bool send, bool recv);
void mstream_stop(struct mstream *ms);   /* no more sending (hangup) */
/* send this codec whatever was negotiated (a misbehaving phone; receiving
 * still expects the negotiated one); -1 for the negotiated one again */
int  mstream_send_codec(struct mstream *ms, int codec);

/* SRTP with SDES keys (RFC 4568): suite as SDP names it, our key||salt
 * and the far end's; from then on every RTP and RTCP packet is
 * protected, and one that fails authentication is counted
 * (rx_srtp_auth) and dropped. ENOTSUP: a suite libre cannot key */
int  mstream_srtp(struct mstream *ms, const char *suite,
		  const uint8_t *txkey, const uint8_t *rxkey, size_t keylen);

/* in a conference (agents/media/mmix.h): also send what the other legs
 * receive; NULL: leave it */
int  mstream_mix(struct mstream *ms, struct mmix *mix);

/* what it sends; a tone at dbov 0 is sent at the default -10 dBov */
int  mstream_source_tone(struct mstream *ms, uint32_t hz, int dbov);
void mstream_source_silence(struct mstream *ms);
int  mstream_source_wav(struct mstream *ms, const char *path);
int  mstream_send_dtmf(struct mstream *ms, const char *digits,
		       bool inband);                /* RFC 4733 or in-band */
int  mstream_record_wav(struct mstream *ms, const char *path);
int  mstream_record_err(const struct mstream *ms, const char **pathp);
void mstream_impair(struct mstream *ms, const struct mstream_impair *imp);

/* what it received */
void mstream_stats(const struct mstream *ms, struct mstream_stats *st);
const struct sa *mstream_rx_src(const struct mstream *ms); /* last sender */
const char *mstream_dtmf(const struct mstream *ms); /* all digits so far */
/* the last n samples played out (decoded, after the jitter buffer);
 * returns how many were available (fewer at the start) */
size_t mstream_recent(const struct mstream *ms, int16_t *buf, size_t n);

/* analysis of a block of 8 kHz samples (pure functions, unit tested) */
double mstream_level_dbov(const int16_t *s, size_t n);
/* share of the block's energy at hz (0..1), Goertzel over the block */
double mstream_tone_share(const int16_t *s, size_t n, uint32_t hz);
/* the same, 20 ms frame by frame, each weighted by its energy (what a
 * jitter buffer's dropped or repeated frame cannot cancel) */
double mstream_tone_share_frames(const int16_t *s, size_t n, uint32_t hz);
/* the frequency with the largest share over 100..3900 Hz (Goertzel
 * bins, no FFT) and that share; 0 for silence */
uint32_t mstream_dominant_hz(const int16_t *s, size_t n, double *sharep);
/* ITU-T G.107 E-model (agents/media/memodel.c): the transmission rating
 * R of a G.711 call with every parameter at G.107's default but these */
struct mstream_emodel {
	double ppl;       /* random packet loss, percent */
	double bpl;       /* packet-loss robustness (G.113 App. I) */
	double ta_ms;     /* absolute one-way delay Ta (= T, Tr = 2 T) */
};
/* what the stream's receiver does for a lost frame: libre's jbuf hands
 * out the next one and an empty buffer plays silence; nothing conceals
 * it (for the E-model: G.711 without PLC) */
enum { MSTREAM_CONCEALS = 0 };
double mstream_emodel_r(const struct mstream_emodel *em);
double mstream_emodel_r2mos(double r);
/* MOS from loss (0..1) and one-way delay in ms; plc: the receiver
 * conceals lost packets (G.711 Bpl 25.1) or not (4.3) */
double mstream_emodel_mos(double loss, double delay_ms, bool plc);

#endif
