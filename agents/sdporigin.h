/* agents/sdporigin.h — one session id and a rising version per call for
 * the SDP a scripted role sends (RFC 3264 §8) */
#ifndef SIPFLOW_SDPORIGIN_H
#define SIPFLOW_SDPORIGIN_H

int sdporigin_apply(struct list *calls, const char *callid, bool again,
		    struct mbuf **mbp);

#endif
