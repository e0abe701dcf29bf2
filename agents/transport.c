/* agents/transport.c — a scripted role's SIP transport
 *
 * UDP: one socket on the role's address. TCP and TLS: a listener there,
 * and connections (RFC 3261 §18): a message to an address goes over an
 * open connection to that address, else over a new one from the role's
 * IP (port chosen by the system). A response is sent to the address its
 * request came from, so it goes back over the connection the request
 * arrived on (§18.2.2). Bytes read are framed by Content-Length
 * (sipframe.c); a stream that cannot be framed is handed up as it is,
 * with why, and the connection closed.
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "sipframe.h"
#include "udperr.h"
#include "transport.h"


struct transport {
	enum sip_transp kind;
	struct sa laddr;
	struct udp_sock *us;
	struct tcp_sock *ts;
	struct tls *tls;
	bool verify;
	struct list conns;
	transport_recv_h *recvh;
	transport_close_h *closeh;
	void *arg;
};

struct conn {
	struct le le;
	struct transport *t;
	struct tcp_conn *tc;
	struct tls_conn *sc;
	struct sipframe *fr;
	struct mbuf *pend;     /* what waits for the connection to be up */
	struct tmr tmr;        /* closing after a stream error */
	struct sa peer, local;
	bool estab;
	bool closing;
};


static void conn_destructor(void *data)
{
	struct conn *c = data;

	tmr_cancel(&c->tmr);
	list_unlink(&c->le);
	mem_deref(c->sc);
	mem_deref(c->tc);
	mem_deref(c->fr);
	mem_deref(c->pend);
}


static void destructor(void *data)
{
	struct transport *t = data;

	list_flush(&t->conns);
	mem_deref(t->ts);
	mem_deref(t->us);
	mem_deref(t->tls);
}


static void udp_recv(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct transport *t = arg;

	t->recvh(src, &t->laddr, mb, NULL, t->arg);
}


/* an ICMP unreachable for what went to peer: nothing will come from it */
static void unreach_h(const struct sa *peer, const char *why, void *arg)
{
	struct transport *t = arg;

	if (t->closeh)
		t->closeh(peer, false, why, t->arg);
}


static void udp_error(int err, void *arg)
{
	struct transport *t = arg;

	(void)err;
	udperr_drain(t->us, sa_af(&t->laddr), unreach_h, t);
}


static void conn_gone(struct conn *c, const char *why)
{
	struct transport *t = c->t;
	struct sa peer = c->peer;
	bool up = c->estab;

	mem_deref(c);
	if (t->closeh)
		t->closeh(&peer, up, why, t->arg);
}


static void close_tmr(void *arg)
{
	conn_gone(arg, "closed after a message that could not be framed");
}


static void frame_h(const uint8_t *p, size_t len, void *arg)
{
	struct conn *c = arg;
	struct mbuf mb;

	if (c->closing)
		return;

	mbuf_init(&mb);
	mb.buf = (uint8_t *)p;
	mb.size = mb.end = len;
	c->t->recvh(&c->peer, &c->local, &mb, NULL, c->t->arg);
}


static void tcp_recv(struct mbuf *mb, void *arg)
{
	struct conn *c = arg;
	const char *why = NULL;
	const uint8_t *p;
	struct mbuf bad;
	int err;

	if (c->closing)
		return;

	err = sipframe_feed(c->fr, mbuf_buf(mb), mbuf_get_left(mb), frame_h,
			    c, &why);
	if (err != EBADMSG)
		return;

	/* the stream lost its place: what is there goes up as it is */
	c->closing = true;
	mbuf_init(&bad);
	bad.size = bad.end = sipframe_pending(c->fr, &p);
	bad.buf = (uint8_t *)p;
	c->t->recvh(&c->peer, &c->local, &bad, why, c->t->arg);
	tmr_start(&c->tmr, 0, close_tmr, c);
}


static void tcp_estab(void *arg)
{
	struct conn *c = arg;

	c->estab = true;
	if (c->pend && c->pend->end) {
		c->pend->pos = 0;
		(void)tcp_send(c->tc, c->pend);
	}
	c->pend = mem_deref(c->pend);
}


static void tcp_close(int err, void *arg)
{
	struct conn *c = arg;
	char why[160];

	if (c->sc && !c->estab) {
		re_snprintf(why, sizeof(why), "TLS handshake failed%s (%m)",
			    tls_peer_verify(c->sc) == EAUTH ?
			    ": the peer's certificate is not trusted" : "",
			    err ? err : EPROTO);
	}
	else if (!c->estab && err) {
		re_snprintf(why, sizeof(why), "cannot connect: %m", err);
	}
	else if (err) {
		re_snprintf(why, sizeof(why), "connection failed: %m", err);
	}
	else {
		re_snprintf(why, sizeof(why), "connection closed by the peer");
	}

	conn_gone(c, why);
}


static struct conn *conn_new(struct transport *t)
{
	struct conn *c = mem_zalloc(sizeof(*c), conn_destructor);

	if (!c)
		return NULL;
	if (sipframe_alloc(&c->fr, 0)) {
		mem_deref(c);
		return NULL;
	}
	c->t = t;
	tmr_init(&c->tmr);
	list_append(&t->conns, &c->le, c);

	return c;
}


static void tcp_conn(const struct sa *peer, void *arg)
{
	struct transport *t = arg;
	struct conn *c = conn_new(t);
	int err;

	if (!c) {
		tcp_reject(t->ts);
		return;
	}

	c->peer = *peer;
	err = tcp_accept(&c->tc, t->ts, tcp_estab, tcp_recv, tcp_close, c);
	if (!err && t->tls)
		err = tls_start_tcp(&c->sc, t->tls, c->tc, 0);
	if (!err)
		err = tcp_conn_local_get(c->tc, &c->local);
	if (err) {
		if (!c->tc)
			tcp_reject(t->ts);
		mem_deref(c);
	}
}


/* a new connection to dst, from the role's IP */
static int conn_open(struct conn **cp, struct transport *t,
		     const struct sa *dst)
{
	struct conn *c = conn_new(t);
	struct sa local = t->laddr;
	int err;

	if (!c)
		return ENOMEM;

	sa_set_port(&local, 0);
	c->peer = *dst;
	err = tcp_connect_bind(&c->tc, dst, tcp_estab, tcp_recv, tcp_close,
			       &local, c);
	if (!err && t->tls) {
		err = tls_start_tcp(&c->sc, t->tls, c->tc, 0);
		if (!err && t->verify) {
			char host[64];

			re_snprintf(host, sizeof(host), "%j", dst);
			err = tls_set_verify_server(c->sc, host);
		}
	}
	if (!err)
		err = tcp_conn_local_get(c->tc, &c->local);

	if (err)
		mem_deref(c);
	else
		*cp = c;

	return err;
}


/**
 * The framer of a connection with a peer at peer's IP (a device connects
 * from a port the system chose) that holds bytes of a message not yet
 * whole, or NULL
 */
const struct sipframe *transport_held(const struct transport *t,
				      const struct sa *peer)
{
	struct le *le;

	for (le = t ? t->conns.head : NULL; le; le = le->next) {
		const struct conn *c = le->data;

		if (!c->closing && sa_cmp(&c->peer, peer, SA_ADDR) &&
		    sipframe_pending(c->fr, NULL))
			return c->fr;
	}

	return NULL;
}


/* a PEM file's text appended to mb */
static int read_pem(struct mbuf *mb, const char *file)
{
	uint8_t buf[4096];
	size_t n;
	FILE *f = fopen(file, "rb");
	int err = 0;

	if (!f)
		return errno ? errno : ENOENT;

	while (!err && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		err = mbuf_write_mem(mb, buf, n);
	fclose(f);

	return err;
}


/**
 * A TLS context for a role: its certificate (cfg cert and key, else a
 * self-signed one) and the CA it trusts (cfg ca)
 */
int transport_tls(struct tls **tlsp, const struct tls_cfg *cfg)
{
	struct tls *tls = NULL;
	struct mbuf *mb = NULL;
	int err;

	if (!tlsp)
		return EINVAL;

	err = tls_alloc(&tls, TLS_METHOD_SSLV23, NULL, NULL);
	if (err)
		return err;

	if (!cfg || !cfg->cert) {
		/* OpenSSL 3 refuses the 1024-bit key of tls_set_selfsigned */
		err = tls_set_selfsigned_rsa(tls, "sipflow", 2048);
		goto out;
	}

	mb = mbuf_alloc(8192);
	if (!mb) {
		err = ENOMEM;
		goto out;
	}
	err = read_pem(mb, cfg->cert);
	if (!err && cfg->key)
		err = read_pem(mb, cfg->key);
	if (!err)
		err = tls_set_certificate(tls, (const char *)mb->buf, mb->end);

 out:
	if (!err && cfg && cfg->ca)
		err = tls_add_ca(tls, cfg->ca);
	mem_deref(mb);
	if (err)
		mem_deref(tls);
	else
		*tlsp = tls;

	return err;
}


/**
 * A role's transport on laddr: UDP, TCP or TLS (cfg: its TLS settings,
 * or NULL for a self-signed certificate and no verification)
 */
int transport_listen(struct transport **tp, enum sip_transp kind,
		     const struct sa *laddr, const struct tls_cfg *tls,
		     transport_recv_h *recvh, transport_close_h *closeh,
		     void *arg)
{
	struct transport *t;
	int err;

	if (!tp || !laddr || !recvh)
		return EINVAL;

	t = mem_zalloc(sizeof(*t), destructor);
	if (!t)
		return ENOMEM;

	t->kind = kind;
	t->laddr = *laddr;
	t->recvh = recvh;
	t->closeh = closeh;
	t->arg = arg;

	switch (kind) {

	case SIP_TRANSP_UDP:
		err = udp_listen(&t->us, laddr, udp_recv, t);
		if (err)
			break;
		/* SIP messages can exceed a default chunk */
		udp_rxsz_set(t->us, 65536);
		udp_error_handler_set(t->us, udp_error);
		err = udperr_enable(t->us, sa_af(laddr));
		break;

	case SIP_TRANSP_TLS:
		err = transport_tls(&t->tls, tls);
		t->verify = tls && tls->verify;
		if (err)
			break;
		/* fall through */
	case SIP_TRANSP_TCP:
		err = tcp_listen(&t->ts, laddr, tcp_conn, t);
		break;

	default:
		err = ENOTSUP;
		break;
	}

	if (err)
		mem_deref(t);
	else
		*tp = t;

	return err;
}


static struct conn *conn_to(const struct transport *t, const struct sa *dst)
{
	struct le *le;

	for (le = t->conns.head; le; le = le->next) {
		struct conn *c = le->data;

		if (!c->closing && sa_cmp(&c->peer, dst, SA_ALL))
			return c;
	}

	return NULL;
}


/**
 * Send one message to dst: a datagram, or over the connection to dst
 * (opened if there is none; what is sent before it is up waits for it).
 * *src: the address it leaves from.
 */
int transport_send(struct transport *t, const struct sa *dst,
		   struct mbuf *mb, struct sa *src)
{
	struct conn *c;
	int err;

	if (!t || !dst || !mb)
		return EINVAL;

	mb->pos = 0;
	if (t->us) {
		if (src)
			*src = t->laddr;
		return udp_send(t->us, dst, mb);
	}

	c = conn_to(t, dst);
	if (!c) {
		err = conn_open(&c, t, dst);
		if (err)
			return err;
	}
	if (src)
		*src = c->local;

	if (c->estab)
		return tcp_send(c->tc, mb);

	if (!c->pend) {
		c->pend = mbuf_alloc(mb->end);
		if (!c->pend)
			return ENOMEM;
	}

	return mbuf_write_mem(c->pend, mb->buf, mb->end);
}


/** Whether one of t's connections leaves from sa (its local address) */
bool transport_leaves_from(const struct transport *t, const struct sa *sa)
{
	struct le *le;

	if (!t || !sa)
		return false;

	if (t->us)
		return sa_cmp(&t->laddr, sa, SA_ALL);

	for (le = t->conns.head; le; le = le->next) {
		const struct conn *c = le->data;

		if (sa_cmp(&c->local, sa, SA_ALL))
			return true;
	}

	return false;
}
