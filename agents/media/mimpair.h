/* agents/media/mimpair.h — a seeded network on the way out: each
 * datagram is dropped, sent now, later, twice, or after the next one; the
 * same way for the same seed. A phone's media leg and its SIP stack
 * (impair-sip:) both go through it. */
#ifndef SIPFLOW_MIMPAIR_H
#define SIPFLOW_MIMPAIR_H

#include "mstream.h"

struct mbuf;
struct sa;

/* emith sends what leaves (mb from pos to end) */
struct mimpair;
typedef void (mimpair_emit_h)(const struct sa *dst, struct mbuf *mb,
			      void *arg);
int  mimpair_alloc(struct mimpair **mip, const struct mstream_impair *prm,
		   mimpair_emit_h *emith, void *arg);
void mimpair_send(struct mimpair *mi, const struct sa *dst, struct mbuf *mb);

#endif
