/* capture/pcapng.h — the pcapng blocks sipflow writes, and the comments
 * libpcap does not show */
#ifndef SIPFLOW_PCAPNG_H
#define SIPFLOW_PCAPNG_H

#include <stdio.h>
#include <sys/time.h>

enum {
	PCAPNG_SHB = 0x0a0d0d0a,  /* section header */
	PCAPNG_IDB = 1,           /* interface description */
	PCAPNG_PB  = 2,           /* packet (obsolete) */
	PCAPNG_SPB = 3,           /* simple packet */
	PCAPNG_EPB = 6,           /* enhanced packet */
};

/** A walk over the blocks of a pcapng file */
struct pcapng_rd {
	FILE *f;
	bool swap;               /* the section's byte order is not ours */
	uint32_t type;           /* the block just read */
	struct mbuf *blk;        /* … whole, as in the file */
};

int  pcapng_shb(struct mbuf *mb, const char *appl);
int  pcapng_idb(struct mbuf *mb, uint16_t linktype, uint32_t snaplen);
int  pcapng_epb(struct mbuf *mb, const struct timeval *ts,
		const uint8_t *p, size_t len);
int  pcapng_epb_comment(struct mbuf *out, const struct mbuf *blk,
			const char * const *comments, size_t n);

int  pcapng_rd_open(struct pcapng_rd *rd, const char *path);
int  pcapng_rd_next(struct pcapng_rd *rd);
int  pcapng_rd_packet(struct pcapng_rd *rd);
int  pcapng_rd_comments(const struct pcapng_rd *rd, struct mbuf *out,
			const char *sep);
void pcapng_rd_close(struct pcapng_rd *rd);

#endif
