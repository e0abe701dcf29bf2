/* capture/pcapw.h — write every packet of a run to a pcapng (or pcap)
 * file, and the verdicts on its frames as comments */
#ifndef SIPFLOW_PCAPW_H
#define SIPFLOW_PCAPW_H

#include <sys/time.h>

struct pcapw;

/** The file format (PCAPW_PCAP, 0, where none is chosen) */
enum pcapw_fmt {
	PCAPW_PCAP = 0,
	PCAPW_PCAPNG,
};

/** The time a packet is stamped with now */
typedef void (pcapw_time_h)(struct timeval *tv, void *arg);

int  pcapw_format(enum pcapw_fmt *fmtp, const char *name);
const char *pcapw_ext(enum pcapw_fmt fmt);
int  pcapw_open(struct pcapw **pwp, const char *path, enum pcapw_fmt fmt);
int  pcapw_write(struct pcapw *pw, const struct sa *src, const struct sa *dst,
		 const uint8_t *payload, size_t len, uint32_t *framep);
int  pcapw_write_ts(struct pcapw *pw, const struct timeval *ts,
		    const struct sa *src, const struct sa *dst,
		    const uint8_t *payload, size_t len, uint32_t *framep);
int  pcapw_write_tcp(struct pcapw *pw, const struct sa *src,
		     const struct sa *dst, const uint8_t *payload, size_t len,
		     uint32_t *framep);
int  pcapw_write_ip(struct pcapw *pw, const struct timeval *ts,
		    const uint8_t *ip, size_t len, uint32_t *framep);
void pcapw_set_time(struct pcapw *pw, pcapw_time_h *th, void *arg);
int  pcapw_comment(struct pcapw *pw, uint32_t frame, const char *text);
int  pcapw_finish(struct pcapw *pw);
int  pcapw_close(struct pcapw *pw);
int  pcapw_error(const struct pcapw *pw, const char **whyp);
uint32_t pcapw_frames(const struct pcapw *pw);
const char *pcapw_path(const struct pcapw *pw);

#endif
