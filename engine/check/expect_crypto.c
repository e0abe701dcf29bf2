/* engine/check/expect_crypto.c — expect: {sdp: {crypto: …}}: what a
 * received SDP must say of SRTP (RFC 4568): no a=crypto at all, or an
 * RTP/SAVP stream with an a=crypto line of each suite named (and the tag
 * named). Keys are never printed. */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "sdpcrypto.h"
#include "expect.h"


/* the stream's well-formed line of suite (and tag, when named) */
static bool has(const struct sdpcrypto_media *m, const char *suite,
		uint32_t tag)
{
	unsigned j;

	for (j = 0; j < m->n; j++) {
		struct sdpcrypto c;

		if (sdpcrypto_decode(&c, &m->crypto[j], NULL, 0))
			continue;
		if (!pl_strcmp(&c.suite, suite) && (!tag || c.tag == tag))
			return true;
	}

	return false;
}


/**
 * Check a step's expect: {sdp: {crypto: …}} on r; EPROTO with the
 * reason in *why when it does not hold
 */
int expect_crypto_check(const struct crypto_spec *cs, const struct msgrec *r,
			char **why)
{
	struct sdpcrypto_media mv[1];
	struct pl body;
	struct le *le;

	if (!cs || !cs->set)
		return 0;

	body = msgrec_body(r);
	if (!msgrec_has_sdp(r) || !sdpcrypto_scan(&body, mv, 1)) {
		if (cs->off)
			return 0;
		(void)re_sdprintf(why, "sdp: expected a stream with a=crypto "
				  "(RFC 4568), got no SDP media");
		return EPROTO;
	}

	if (cs->off) {
		if (!mv[0].n)
			return 0;
		(void)re_sdprintf(why, "sdp: expected no a=crypto, got %H",
				  sdpcrypto_print_masked, &mv[0].line[0]);
		return EPROTO;
	}

	if (!sdpcrypto_savp(&mv[0].proto)) {
		(void)re_sdprintf(why, "sdp: expected an RTP/SAVP stream (RFC "
				  "3711, RFC 4568), got %r", &mv[0].mline);
		return EPROTO;
	}

	for (le = cs->suites.head; le; le = le->next) {
		const struct strle *s = le->data;
		char want[80];

		if (has(&mv[0], s->str, cs->tag))
			continue;

		if (cs->tag)
			re_snprintf(want, sizeof(want), "a=crypto:%u %s",
				    cs->tag, s->str);
		else
			re_snprintf(want, sizeof(want), "a=crypto with %s",
				    s->str);
		(void)re_sdprintf(why, "sdp: expected %s, got %u a=crypto "
				  "line%s in %r", want, mv[0].n,
				  mv[0].n == 1 ? "" : "s", &mv[0].mline);
		return EPROTO;
	}

	return 0;
}
