/* agents/transport.h — a scripted role's SIP transport: a UDP socket, or a
 * TCP or TLS listener and the connections it opens and accepts */
#ifndef SIPFLOW_TRANSPORT_H
#define SIPFLOW_TRANSPORT_H

struct transport;
struct tls_cfg;   /* engine/model/scenario.h */

/**
 * A message arrived from src at dst (the addresses as the socket sees
 * them). bad: NULL, or why the stream's bytes could not be framed (mb
 * holds them; the connection is being closed).
 */
typedef void (transport_recv_h)(const struct sa *src, const struct sa *dst,
				struct mbuf *mb, const char *bad, void *arg);

/**
 * A connection with peer ended: closed by it, refused, or failed. up:
 * it had been established (false: what was sent on it never left). Over
 * UDP: peer's address answered an ICMP unreachable (up false, why says
 * which), so nothing will come from it (agents/udperr.c).
 */
typedef void (transport_close_h)(const struct sa *peer, bool up,
				 const char *why, void *arg);

int transport_listen(struct transport **tp, enum sip_transp kind,
		     const struct sa *laddr, const struct tls_cfg *tls,
		     transport_recv_h *recvh, transport_close_h *closeh,
		     void *arg);
int transport_send(struct transport *t, const struct sa *dst,
		   struct mbuf *mb, struct sa *src);
int transport_tls(struct tls **tlsp, const struct tls_cfg *cfg);
const struct sipframe *transport_held(const struct transport *t,
				      const struct sa *peer);
bool transport_leaves_from(const struct transport *t, const struct sa *sa);

#endif
