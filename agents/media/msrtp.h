/* agents/media/msrtp.h — SRTP (RFC 3711) on one media leg, keyed by SDP
 * security descriptions (RFC 4568): protect what leaves, authenticate and
 * decrypt what arrives; private to agents/media (mstream.c uses it) */
#ifndef SIPFLOW_MSRTP_H
#define SIPFLOW_MSRTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mbuf;
struct msrtp;
struct mstream_stats;

int  msrtp_alloc(struct msrtp **sp, const char *suite,
		 const uint8_t *txkey, const uint8_t *rxkey, size_t keylen);
/* a protected copy of mb's pos..end (mb itself stays plain: an
 * impaired leg may send it twice) in *outp, the leg's own buffer: not
 * referenced, good until the next msrtp_protect on the leg */
int  msrtp_protect(struct msrtp *s, bool rtcp, const struct mbuf *mb,
		   struct mbuf **outp);
/* a received packet, authenticated and decrypted in place: false; one
 * that fails is counted in st (rx_srtp_auth, a replay as rx_dup,
 * rx_srtp_bad) and is to be dropped: true */
bool msrtp_drop(struct msrtp *s, bool rtcp, struct mbuf *mb,
		struct mstream_stats *st);

#endif
