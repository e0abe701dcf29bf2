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

/* mrtcp.c: the far end's RTCP reports on our stream (RFC 3550 §6.4) */
struct mrtcp;
struct rtcp_msg;
struct rtp_sock;
int  mrtcp_alloc(struct mrtcp **rcp);
void mrtcp_recv(struct mrtcp *rc, const struct rtp_sock *rs,
		const struct rtcp_msg *msg);
void mrtcp_stats(const struct mrtcp *rc, struct rtp_sock *rs,
		 struct mstream_stats *st);

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

#endif
