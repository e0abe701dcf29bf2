/* agents/udperr.h — the ICMP errors a UDP socket hears: "port
 * unreachable" from a peer where nothing listens */
#ifndef SIPFLOW_UDPERR_H
#define SIPFLOW_UDPERR_H

/** An ICMP error came back for a datagram sent to peer; why: what it
 *  says, as a sentence */
typedef void (udperr_h)(const struct sa *peer, const char *why, void *arg);

int  udperr_enable(struct udp_sock *us, int af);
void udperr_drain(struct udp_sock *us, int af, udperr_h *h, void *arg);

#endif
