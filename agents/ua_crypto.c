/* agents/ua_crypto.c — the a=crypto lines a scripted role writes (RFC
 * 4568): in an offer one per suite its step names (sdp: crypto:), tags 1,
 * 2 …, on RTP/SAVP; in an answer the first offered line whose suite it
 * takes, with that line's tag and a key of its own (§5.1.2), unless the
 * step says otherwise — none at all, another tag, a suite not offered:
 * the misbehaving peers a negative flow needs. A scripted role sends no
 * RTP, so its keys only have to be well formed. */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "sdpcrypto.h"
#include "ua_priv.h"


enum { KEYLEN = 30 };

struct cline {
	uint32_t tag;
	char suite[64];
};


static bool wanted(const struct crypto_spec *cs, const struct pl *suite)
{
	struct le *le;

	if (list_isempty(&cs->suites))
		return sdpcrypto_suite_keylen(suite) > 0;

	for (le = cs->suites.head; le; le = le->next) {
		const struct strle *s = le->data;

		if (!pl_strcmp(suite, s->str))
			return true;
	}

	return false;
}


/* the offer's line this answer takes: the first whose suite it wants */
static bool take(struct cline *cl, const struct sdpcrypto_media *o,
		 const struct crypto_spec *cs)
{
	unsigned j;

	for (j = 0; j < o->n; j++) {
		struct sdpcrypto c;

		if (sdpcrypto_decode(&c, &o->crypto[j], NULL, 0) ||
		    !wanted(cs, &c.suite))
			continue;
		pl_strcpy(&c.suite, cl->suite, sizeof(cl->suite));
		cl->tag = cs->tag ? cs->tag : c.tag;
		return true;
	}

	return false;
}


/* the profile of the first m= line becomes proto */
static int set_proto(struct mbuf *out, const struct pl *in,
		     const char *proto)
{
	struct pl pre, old, post;
	const char *m;

	m = in->p;
	while (m && (size_t)(m - in->p) + 2 <= in->l &&
	       strncmp(m, "m=", 2)) {
		m = memchr(m, '\n', in->l - (size_t)(m - in->p));
		m = m ? m + 1 : NULL;
	}
	if (!m || (size_t)(m - in->p) + 2 > in->l ||
	    re_regex(m, in->l - (size_t)(m - in->p), "m=[^ ]+ [^ ]+ [^ \r\n]+",
		     NULL, NULL, &old))
		return mbuf_write_pl(out, in);

	pre.p = in->p;
	pre.l = (size_t)(old.p - in->p);
	post.p = old.p + old.l;
	post.l = in->l - pre.l - old.l;

	return mbuf_write_pl(out, &pre) | mbuf_write_str(out, proto) |
	       mbuf_write_pl(out, &post);
}


static int add_line(struct mbuf *out, const struct cline *cl,
		    const struct crypto_spec *cs)
{
	uint8_t key[SDPCRYPTO_KEY_MAX];
	size_t n = sizeof(key);
	char *val = NULL;
	int err;

	if (cs->key) {
		/* lint checked it against every suite it names */
		if (base64_decode(cs->key, str_len(cs->key), key, &n))
			return EINVAL;
	}
	else {
		rand_bytes(key, KEYLEN);
		n = KEYLEN;
	}

	err = sdpcrypto_encode(&val, cl->tag, cl->suite, key, n);
	if (!err)
		err = mbuf_printf(out, "a=crypto:%s\r\n", val);
	mem_deref(val);
	memset(key, 0, sizeof(key));

	return err;
}


/**
 * The SDP a scripted role built (libre's, one audio stream), with the
 * profile and a=crypto lines its step and the offer call for. offer is
 * the body it answers, or NULL: it offers.
 */
int ua_crypto(struct mbuf **mbp, const struct crypto_spec *cs,
	      const struct pl *offer)
{
	struct sdpcrypto_media o[SDPCRYPTO_M_MAX];
	struct cline lines[SDPCRYPTO_MAX];
	const char *proto = "RTP/AVP";
	unsigned n = 0, no = 0, i;
	struct mbuf *out;
	struct le *le;
	struct pl in;
	int err = 0;

	if (!mbp || !*mbp)
		return 0;

	if (offer)
		no = sdpcrypto_scan(offer, o, 1);

	if (offer && no && sdpcrypto_savp(&o[0].proto))
		proto = "RTP/SAVP";

	if (cs->off) {
		n = 0;
	}
	else if (offer && no && o[0].n && take(&lines[0], &o[0], cs)) {
		n = 1;
	}
	else if (!list_isempty(&cs->suites)) {
		/* an offer; or an answer the step makes take a suite not
		 * offered */
		for (le = cs->suites.head; le && n < SDPCRYPTO_MAX;
		     le = le->next, n++) {
			const struct strle *s = le->data;

			lines[n].tag = (cs->tag ? cs->tag : 1) + n;
			str_ncpy(lines[n].suite, s->str,
				 sizeof(lines[n].suite));
			if (offer)
				break;
		}
		if (offer)
			n = 1;
		if (!offer)
			proto = "RTP/SAVP";
	}

	if (!n && (!offer || !no))
		return 0;   /* nothing SRTP in this exchange */

	out = mbuf_alloc((*mbp)->end + 256);
	if (!out)
		return ENOMEM;

	in.p = (const char *)(*mbp)->buf;
	in.l = (*mbp)->end;
	err = set_proto(out, &in, proto);
	for (i = 0; !err && i < n; i++)
		err = add_line(out, &lines[i], cs);

	if (err) {
		mem_deref(out);
		return err;
	}

	mem_deref(*mbp);
	out->pos = 0;
	*mbp = out;

	return 0;
}
