/* engine/check/rules_crypto.c — rule checks on SDP security descriptions
 * (RFC 4568): every a=crypto line as its grammar writes it, and an
 * answer's a=crypto against the offer's. A key is never printed: the
 * offending line shows "inline:…". */
#include <string.h>
#include <re.h>
#include "msgrec.h"
#include "sdpcrypto.h"
#include "rules.h"
#include "rules_checks.h"


static unsigned scan(const struct msgrec *r, struct sdpcrypto_media *mv)
{
	struct pl body;

	if (!msgrec_has_sdp(r))
		return 0;
	body = rules_body(r);
	return sdpcrypto_scan(&body, mv, SDPCRYPTO_M_MAX);
}


/* RFC 4568 §9.1 (grammar), §6.1 (the SRTP key parameter) */
bool chk_crypto_syntax(const struct rulectx *c, char **bad)
{
	struct sdpcrypto_media mv[SDPCRYPTO_M_MAX];
	unsigned nm = scan(c->r, mv), i, j;

	for (i = 0; i < nm; i++) {
		for (j = 0; j < mv[i].n; j++) {
			struct sdpcrypto cr;
			char why[160];

			if (!sdpcrypto_decode(&cr, &mv[i].crypto[j], why,
					      sizeof(why)))
				continue;
			re_sdprintf(bad, "%H: %s", sdpcrypto_print_masked,
				    &mv[i].line[j], why);
			return true;
		}
	}

	return false;
}


/* the offer's line with the answer's tag, or -1 */
static int offered_tag(const struct sdpcrypto_media *o, uint32_t tag,
		       struct sdpcrypto *oc)
{
	unsigned j;

	for (j = 0; j < o->n; j++) {
		if (!sdpcrypto_decode(oc, &o->crypto[j], NULL, 0) &&
		    oc->tag == tag)
			return (int)j;
	}

	return -1;
}


static void tags(char *buf, size_t sz, const struct sdpcrypto_media *o)
{
	unsigned j;
	size_t n = 0;

	buf[0] = '\0';
	for (j = 0; j < o->n && n < sz; j++) {
		struct sdpcrypto oc;

		if (sdpcrypto_decode(&oc, &o->crypto[j], NULL, 0))
			continue;
		n += (size_t)re_snprintf(buf + n, sz - n, "%s%u %r",
					 n ? ", " : "", oc.tag, &oc.suite);
	}
}


/* one stream of the answer against the same stream of the offer */
static bool stream_breaks(const struct sdpcrypto_media *o,
			  const struct sdpcrypto_media *a, char **bad)
{
	struct sdpcrypto ac, oc;
	char offered[200];

	tags(offered, sizeof(offered), o);

	if (a->n == 0) {
		re_sdprintf(bad, "%r accepts the stream offered with "
			    "a=crypto (tags offered: %s) and has no a=crypto "
			    "line", &a->mline, offered);
		return true;
	}
	if (a->n > 1) {
		re_sdprintf(bad, "%r has %u a=crypto lines; it accepts "
			    "exactly one (tags offered: %s)", &a->mline,
			    a->n, offered);
		return true;
	}
	if (sdpcrypto_decode(&ac, &a->crypto[0], NULL, 0))
		return false;  /* CRYPTO-SYNTAX says why */

	if (offered_tag(o, ac.tag, &oc) < 0) {
		re_sdprintf(bad, "%H: tag %u was not offered (tags offered: "
			    "%s)", sdpcrypto_print_masked, &a->line[0],
			    ac.tag, offered);
		return true;
	}
	if (pl_cmp(&ac.suite, &oc.suite)) {
		re_sdprintf(bad, "%H: the offer's tag %u is %r, not %r",
			    sdpcrypto_print_masked, &a->line[0], ac.tag,
			    &oc.suite, &ac.suite);
		return true;
	}

	return false;
}


/* RFC 4568 §5.1.2: an answer that accepts a stream offered with
 * a=crypto lines accepts exactly one of them, with its tag and suite */
bool chk_crypto_answer(const struct rulectx *c, char **bad)
{
	struct sdpcrypto_media ov[SDPCRYPTO_M_MAX], av[SDPCRYPTO_M_MAX];
	unsigned no, na, i;

	if (c->m->req || !c->req || c->m->scode < 180 || c->m->scode >= 300)
		return false;

	no = scan(c->req, ov);
	na = scan(c->r, av);
	for (i = 0; i < no && i < na; i++) {
		/* an offer without a=crypto, or a stream the answer
		 * rejects (port 0), asks nothing of the answer */
		if (!ov[i].n || av[i].port0)
			continue;
		if (stream_breaks(&ov[i], &av[i], bad))
			return true;
	}

	return false;
}
