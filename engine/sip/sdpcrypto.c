/* engine/sip/sdpcrypto.c — the a=crypto attribute of RFC 4568 as written:
 * its grammar (§9.1), the SRTP key parameter (§6.1), the crypto-suites
 * sipflow keys (§6.2), and the m= sections that carry them */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "textline.h"
#include "sdpcrypto.h"


/* RFC 4568 §6.2: the AES_CM_128 suites take a 128-bit master key and a
 * 112-bit master salt, inline as one base64 string of 30 octets */
static const struct {
	const char *name;
	size_t keylen;
} suites[] = {
	{"AES_CM_128_HMAC_SHA1_80", 30},
	{"AES_CM_128_HMAC_SHA1_32", 30},
};


size_t sdpcrypto_suite_keylen(const struct pl *suite)
{
	size_t i;

	for (i = 0; suite && i < ARRAY_SIZE(suites); i++) {
		if (!pl_strcmp(suite, suites[i].name))
			return suites[i].keylen;
	}

	return 0;
}


bool sdpcrypto_suite_ok(const char *name)
{
	struct pl pl;

	pl_set_str(&pl, name);
	return name && sdpcrypto_suite_keylen(&pl) > 0;
}


const char *sdpcrypto_suites(void)
{
	return "AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32";
}


static bool all(const struct pl *p, int (*cls)(int), const char *more)
{
	size_t i;

	for (i = 0; i < p->l; i++) {
		if (!cls((unsigned char)p->p[i]) && !strchr(more, p->p[i]))
			return false;
	}

	return p->l > 0;
}


static int fail(char *why, size_t sz, const char *text)
{
	if (why && sz)
		str_ncpy(why, text, sz);
	return EBADMSG;
}


/* key-info = key-salt ["|" lifetime] ["|" mki] (§6.1) */
static int key_info(struct sdpcrypto *c, const struct pl *info, char *why,
		    size_t sz)
{
	struct pl salt = *info, rest = PL_INIT;
	const char *bar = pl_strchr(info, '|');
	size_t n = sizeof(c->key);
	size_t want = sdpcrypto_suite_keylen(&c->suite);

	if (bar) {
		salt.l = (size_t)(bar - info->p);
		rest.p = bar + 1;
		rest.l = info->l - salt.l - 1;
	}

	if (!all(&salt, isalnum, "+/="))
		return fail(why, sz, "the inline key is not base64 "
			    "(RFC 4568 §6.1)");
	c->key64 = salt;

	/* lifetime and MKI: "2^20", "1:4", each digits */
	while (pl_isset(&rest)) {
		const char *b = pl_strchr(&rest, '|');
		struct pl f = rest;

		if (b)
			f.l = (size_t)(b - rest.p);
		if (!all(&f, isdigit, "^:"))
			return fail(why, sz, "a lifetime or MKI after the key "
				    "is not digits (2^20, 1:4; RFC 4568 "
				    "§6.1)");
		if (!b)
			break;
		rest.l -= f.l + 1;
		rest.p = b + 1;
	}

	if (!want)
		return 0;

	if (base64_decode(salt.p, salt.l, c->key, &n) || n != want) {
		if (why && sz)
			(void)re_snprintf(why, sz, "the inline key of %r is "
					  "%zu octets once decoded, not %zu "
					  "(master key and salt, RFC 4568 "
					  "§6.2)", &c->suite,
					  n > sizeof(c->key) ? 0 : n, want);
		return EBADMSG;
	}
	c->keylen = n;
	c->known = true;

	return 0;
}


/**
 * Decode one a=crypto value (what follows "a=crypto:"):
 * tag 1*WSP crypto-suite 1*WSP key-params *(1*WSP session-param)
 */
int sdpcrypto_decode(struct sdpcrypto *c, const struct pl *val, char *why,
		     size_t sz)
{
	struct pl tag, prm, method, info;

	if (!c || !val)
		return EINVAL;

	memset(c, 0, sizeof(*c));

	if (re_regex(val->p, val->l, "[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+",
		     &tag, NULL, &c->suite, NULL, &prm) || tag.p != val->p)
		return fail(why, sz, "not \"<tag> <crypto-suite> "
			    "inline:<key>\" (RFC 4568 §9.1)");

	if (!all(&tag, isdigit, "") || tag.l > 9)
		return fail(why, sz, "the tag is not 1 to 9 digits (RFC 4568 "
			    "§9.1)");
	c->tag = pl_u32(&tag);

	if (!all(&c->suite, isalnum, "_"))
		return fail(why, sz, "the crypto-suite is not letters, digits "
			    "and _ (RFC 4568 §9.1)");

	/* key-params = key-param *(";" key-param); the first is ours */
	if (re_regex(prm.p, prm.l, "[^:]+:[^;]+", &method, &info) ||
	    method.p != prm.p)
		return fail(why, sz, "the key parameter is not "
			    "\"<method>:<info>\" (RFC 4568 §9.1)");
	if (pl_strcmp(&method, "inline"))
		return fail(why, sz, "the key method is not inline, the "
			    "only one SRTP defines (RFC 4568 §6.1)");

	return key_info(c, &info, why, sz);
}


bool sdpcrypto_savp(const struct pl *proto)
{
	return proto && (!pl_strcmp(proto, "RTP/SAVP") ||
			 !pl_strcmp(proto, "RTP/SAVPF"));
}


static void media_line(struct sdpcrypto_media *m, const struct pl *line)
{
	struct pl port;

	memset(m, 0, sizeof(*m));
	m->mline = *line;
	if (!re_regex(line->p, line->l, "m=[^ ]+ [0-9]+[^ ]* [^ ]+", NULL,
		      &port, NULL, &m->proto))
		m->port0 = !pl_strcmp(&port, "0");
}


/** The m= sections of body with their a=crypto lines */
unsigned sdpcrypto_scan(const struct pl *body, struct sdpcrypto_media *mv,
			unsigned max)
{
	const char *p, *end;
	struct pl line;
	unsigned nm = 0;
	bool skip = false;

	if (!body || !body->p || !mv)
		return 0;

	p = body->p;
	end = body->p + body->l;
	while (text_line(&p, end, &line)) {

		if (line.l >= 2 && !strncmp(line.p, "m=", 2)) {
			skip = nm >= max;
			if (!skip)
				media_line(&mv[nm++], &line);
		}
		else if (nm && !skip && line.l > 9 &&
			 !strncmp(line.p, "a=crypto:", 9)) {
			struct sdpcrypto_media *m = &mv[nm - 1];

			if (m->n < SDPCRYPTO_MAX) {
				m->line[m->n] = line;
				m->crypto[m->n].p = line.p + 9;
				m->crypto[m->n].l = line.l - 9;
				++m->n;
			}
		}
	}

	return nm;
}


static const char *find_inline(const struct pl *l)
{
	size_t i;

	for (i = 0; i + 7 <= l->l; i++) {
		if (!memcmp(l->p + i, "inline:", 7))
			return l->p + i;
	}

	return NULL;
}


/** An a=crypto line printed with its key hidden: "inline:…" */
int sdpcrypto_print_masked(struct re_printf *pf, const struct pl *line)
{
	const char *in;
	struct pl head, tail = PL_INIT;

	if (!line)
		return 0;

	in = find_inline(line);
	if (!in)
		return re_hprintf(pf, "%r", line);

	head.p = line->p;
	head.l = (size_t)(in - line->p) + 7;
	tail.p = head.p + head.l;
	tail.l = line->l - head.l;
	while (tail.l && tail.p[0] != ' ' && tail.p[0] != ';') {
		++tail.p;
		--tail.l;
	}

	return re_hprintf(pf, "%r…%r", &head, &tail);
}


/** A crypto value of our own: "<tag> <suite> inline:<base64 key>" */
int sdpcrypto_encode(char **valp, uint32_t tag, const char *suite,
		     const uint8_t *key, size_t keylen)
{
	char b64[80];
	size_t n = sizeof(b64) - 1;
	int err;

	if (!valp || !suite || !key)
		return EINVAL;

	err = base64_encode(key, keylen, b64, &n);
	if (err)
		return err;
	b64[n] = '\0';

	return re_sdprintf(valp, "%u %s inline:%s", tag, suite, b64);
}
