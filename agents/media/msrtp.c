/* agents/media/msrtp.c — SRTP and SRTCP of one media leg through libre's
 * srtp (AES counter mode, HMAC-SHA1 tags of 80 or 32 bits): one context
 * for what the leg sends (its own key), one for what it receives (the far
 * end's key, from its a=crypto line) */
#include <string.h>
#include <re.h>
#include "mstream.h"
#include "msrtp.h"


struct msrtp {
	struct srtp *tx;
	struct srtp *rx;
	struct mbuf *out;   /* the last protected packet, reused */
};

enum { OUT_SIZE = 512 };   /* an RTP or RTCP packet of a G.711 leg */


static void destructor(void *data)
{
	struct msrtp *s = data;

	mem_deref(s->tx);
	mem_deref(s->rx);
	mem_deref(s->out);
}


static int suite_of(enum srtp_suite *suite, const char *name)
{
	if (!str_cmp(name, "AES_CM_128_HMAC_SHA1_80"))
		*suite = SRTP_AES_CM_128_HMAC_SHA1_80;
	else if (!str_cmp(name, "AES_CM_128_HMAC_SHA1_32"))
		*suite = SRTP_AES_CM_128_HMAC_SHA1_32;
	else
		return ENOTSUP;

	return 0;
}


/**
 * Key a leg: suite as SDP names it, the master key || salt each way
 *
 * @return 0, ENOTSUP for a suite libre does not do, EINVAL for a key of
 *         the wrong length
 */
int msrtp_alloc(struct msrtp **sp, const char *suite, const uint8_t *txkey,
		const uint8_t *rxkey, size_t keylen)
{
	enum srtp_suite su;
	struct msrtp *s;
	int err;

	if (!sp || !txkey || !rxkey)
		return EINVAL;

	err = suite_of(&su, suite);
	if (err)
		return err;

	s = mem_zalloc(sizeof(*s), destructor);
	if (!s)
		return ENOMEM;

	s->out = mbuf_alloc(OUT_SIZE);
	err = s->out ? 0 : ENOMEM;
	if (!err)
		err = srtp_alloc(&s->tx, su, txkey, keylen, 0);
	if (!err)
		err = srtp_alloc(&s->rx, su, rxkey, keylen, 0);

	if (err)
		mem_deref(s);
	else
		*sp = s;

	return err;
}


/* the leg's one output buffer, reused packet after packet (a leg sends
 * 50 a second; one allocation per packet was two mallocs and frees) */
int msrtp_protect(struct msrtp *s, bool rtcp, const struct mbuf *mb,
		  struct mbuf **outp)
{
	struct mbuf *out;
	int err;

	if (!s || !mb || !outp)
		return EINVAL;

	out = s->out;
	out->pos = out->end = 0;

	/* the tag (and SRTCP's index) go after the packet: mbuf grows if a
	 * packet with them is ever larger than the buffer */
	err = mbuf_write_mem(out, mbuf_buf(mb), mbuf_get_left(mb));
	if (err)
		return err;
	out->pos = 0;

	err = rtcp ? srtcp_encrypt(s->tx, out) : srtp_encrypt(s->tx, out);
	if (!err)
		*outp = out;

	return err;
}


bool msrtp_drop(struct msrtp *s, bool rtcp, struct mbuf *mb,
		struct mstream_stats *st)
{
	int err = rtcp ? srtcp_decrypt(s->rx, mb) : srtp_decrypt(s->rx, mb);

	switch (err) {

	case 0:
		return false;

	case EAUTH:
		++st->rx_srtp_auth;
		break;

	case EALREADY:   /* RFC 3711 §3.3.2: a replayed index */
		++st->rx_dup;
		break;

	default:
		++st->rx_srtp_bad;
		break;
	}

	return true;
}
