/* engine/sip/digest.c — SIP digest authentication: parse challenges and
 * credentials, compute and check the response hash
 *
 * RFC 3261 §22.4 takes digest from RFC 2617; RFC 8760 adds SHA-256 and
 * SHA-256-sess with the hash rules of RFC 7616 §3.4. libre 1.1.0 has MD5
 * only, and its parameter scanner stops at a space inside a quoted
 * string, so both directions are here; the hashes come from OpenSSL's
 * libcrypto, which libre links anyway. A password only ever passes
 * through hash(), which wipes its copy.
 */
#include <string.h>
#include <openssl/evp.h>
#include <re.h>
#include "digest.h"


/* a parameter longer than this is hostile, not a nonce */
enum { PARAM_MAX = 1024 };

static const char *const algo_names[DIGEST_NALGO] = {
	"MD5", "MD5-sess", "SHA-256", "SHA-256-sess",
};


/** The algorithm a challenge or credentials name; absent means MD5 */
int digest_algo_parse(enum digest_algo *algo, const struct pl *name)
{
	size_t i;

	if (!pl_isset(name) || !name->l) {
		*algo = DIGEST_MD5;
		return 0;
	}

	for (i = 0; i < DIGEST_NALGO; i++) {
		if (!pl_strcasecmp(name, algo_names[i])) {
			*algo = (enum digest_algo)i;
			return 0;
		}
	}

	return ENOTSUP;
}


const char *digest_algo_name(enum digest_algo algo)
{
	return algo < DIGEST_NALGO ? algo_names[algo] : "?";
}


static bool is_sess(enum digest_algo a)
{
	return a == DIGEST_MD5_SESS || a == DIGEST_SHA256_SESS;
}


static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("-.!%*_+`'~", c);
}


static const char *skip_lws(const char *p, const char *end, bool comma)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
			   *p == '\n' || (comma && *p == ',')))
		p++;
	return p;
}


typedef void (param_h)(const struct pl *name, const struct pl *val,
		       void *arg);


/*
 * "Digest" and its comma-separated name=value pairs (RFC 3261 §25.1:
 * a value is a token or a quoted string, which may hold commas, spaces
 * and backslash escapes). The value handed on is the text inside quotes.
 */
static int params(const struct pl *hval, param_h *h, void *arg, char **why)
{
	const char *p = hval->p, *end = hval->p + hval->l;
	struct pl name, val;

	p = skip_lws(p, end, false);
	if (end - p == 6 && !strncasecmp(p, "Digest", 6)) {
		(void)re_sdprintf(why, "no parameters after Digest");
		return EBADMSG;
	}
	if ((size_t)(end - p) < 7 || strncasecmp(p, "Digest", 6) ||
	    !strchr(" \t\r\n", p[6])) {
		/* only the scheme: Basic credentials are the password */
		name.p = p;
		while (p < end && is_tchar(*p) && p - name.p < 20)
			p++;
		name.l = p - name.p;
		(void)re_sdprintf(why, "the scheme is not Digest: '%r'",
				  &name);
		return EBADMSG;
	}
	p += 6;

	for (;;) {
		p = skip_lws(p, end, true);
		if (p == end)
			return 0;

		name.p = p;
		while (p < end && is_tchar(*p))
			p++;
		name.l = p - name.p;
		p = skip_lws(p, end, false);
		if (!name.l || p == end || *p != '=') {
			(void)re_sdprintf(why, "expected name=value at '%r'",
					  &(struct pl){name.p,
					  min((size_t)(end - name.p), 20)});
			return EBADMSG;
		}
		p = skip_lws(p + 1, end, false);

		if (p < end && *p == '"') {
			val.p = ++p;
			while (p < end && *p != '"')
				p += (*p == '\\' && p + 1 < end) ? 2 : 1;
			if (p >= end) {
				(void)re_sdprintf(why, "%r: the quoted "
						  "string does not end",
						  &name);
				return EBADMSG;
			}
			val.l = p++ - val.p;
		}
		else {
			val.p = p;
			while (p < end && is_tchar(*p))
				p++;
			val.l = p - val.p;
		}

		if (val.l > PARAM_MAX) {
			(void)re_sdprintf(why, "%r is %zu bytes long (at "
					  "most %u)", &name, val.l,
					  (unsigned)PARAM_MAX);
			return EBADMSG;
		}

		h(&name, &val, arg);

		p = skip_lws(p, end, false);
		if (p < end && *p != ',') {
			(void)re_sdprintf(why, "expected ',' after %r", &name);
			return EBADMSG;
		}
	}
}


/* a parameter's place in a struct digest_chal or digest_cred */
struct field {
	const char *name;
	size_t off;
	bool need;             /* its absence is an error */
};

#define CHAL(f, need) {#f, offsetof(struct digest_chal, f), need}
#define CRED(f, need) {#f, offsetof(struct digest_cred, f), need}

static const struct field chal_fields[] = {
	CHAL(realm, true), CHAL(nonce, true), CHAL(opaque, false),
	CHAL(algorithm, false), CHAL(qop, false), CHAL(stale, false),
};

static const struct field cred_fields[] = {
	CRED(username, true), CRED(realm, true), CRED(nonce, true),
	CRED(uri, true), CRED(response, true), CRED(algorithm, false),
	CRED(opaque, false), CRED(qop, false), CRED(nc, false),
	CRED(cnonce, false),
};

struct fill {
	void *obj;
	const struct field *f;
	size_t n;
};


static struct pl *field_pl(const struct fill *fl, size_t i)
{
	return (struct pl *)(void *)((char *)fl->obj + fl->f[i].off);
}


static void fill_h(const struct pl *name, const struct pl *val, void *arg)
{
	struct fill *fl = arg;
	size_t i;

	for (i = 0; i < fl->n; i++) {
		if (!pl_strcasecmp(name, fl->f[i].name))
			*field_pl(fl, i) = *val;
	}
}


/* decode hval into fl's struct; EBADMSG naming a missing parameter */
static int decode(struct fill *fl, const struct pl *hval, const char *what,
		  char **why)
{
	size_t i;
	int err;

	err = params(hval, fill_h, fl, why);
	if (err)
		return err;

	for (i = 0; i < fl->n; i++) {
		if (fl->f[i].need && !pl_isset(field_pl(fl, i))) {
			(void)re_sdprintf(why, "no %s in the %s",
					  fl->f[i].name, what);
			return EBADMSG;
		}
	}

	return 0;
}


/* qop="auth,auth-int" offers auth (RFC 3261 §25.1: a quoted list) */
static bool offers_auth(const struct pl *qop)
{
	const char *p = qop->p, *end = qop->p + qop->l;

	while (p < end) {
		const char *s = skip_lws(p, end, true);

		p = s;
		while (p < end && is_tchar(*p))
			p++;
		if (p - s == 4 && !strncasecmp(s, "auth", 4))
			return true;
		if (p == s)
			p++;
	}

	return false;
}


static int check_algo(enum digest_algo *algo, const struct pl *name,
		      char **why)
{
	if (!digest_algo_parse(algo, name))
		return 0;

	(void)re_sdprintf(why, "algorithm %r is not one of MD5, MD5-sess, "
			  "SHA-256, SHA-256-sess", name);
	return ENOTSUP;
}


/**
 * Decode a challenge. EBADMSG when it does not parse or lacks realm or
 * nonce, ENOTSUP for an algorithm we cannot answer; *why says which.
 */
int digest_chal_decode(struct digest_chal *c, const struct pl *hval,
		       char **why)
{
	struct fill fl = {c, chal_fields, ARRAY_SIZE(chal_fields)};
	int err;

	if (!c || !hval)
		return EINVAL;

	memset(c, 0, sizeof(*c));
	err = decode(&fl, hval, "challenge", why);
	if (err)
		return err;

	c->qop_auth = pl_isset(&c->qop) && offers_auth(&c->qop);

	return check_algo(&c->algo, &c->algorithm, why);
}


/** Decode credentials; EBADMSG when a required parameter is missing */
int digest_cred_decode(struct digest_cred *c, const struct pl *hval,
		       char **why)
{
	struct fill fl = {c, cred_fields, ARRAY_SIZE(cred_fields)};
	int err;

	if (!c || !hval)
		return EINVAL;

	memset(c, 0, sizeof(*c));
	err = decode(&fl, hval, "credentials", why);
	if (err)
		return err;

	return check_algo(&c->algo, &c->algorithm, why);
}


/* hex of H(text); the text may hold a password: its copy is wiped */
static int hash(char hex[DIGEST_HEX_SIZE], enum digest_algo algo,
		const char *fmt, ...)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned n = 0, i;
	char *s = NULL;
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = re_vsdprintf(&s, fmt, ap);
	va_end(ap);
	if (err)
		return err;

	if (!EVP_Digest(s, strlen(s), md, &n, algo >= DIGEST_SHA256 ?
			EVP_sha256() : EVP_md5(), NULL) ||
	    2 * n >= DIGEST_HEX_SIZE)
		err = EPROTO;
	explicit_bzero(s, strlen(s));
	mem_deref(s);

	for (i = 0; !err && i < n; i++) {
		hex[2 * i] = "0123456789abcdef"[md[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[md[i] & 0xf];
	}
	hex[err ? 0 : 2 * n] = '\0';

	return err;
}


/**
 * The response hash (RFC 7616 §3.4.1, RFC 2617 §3.2.2.1): with qop,
 * H(HA1:nonce:nc:cnonce:qop:HA2), else H(HA1:nonce:HA2); HA1 =
 * H(user:realm:pass), for -sess H(that:nonce:cnonce); HA2 =
 * H(method:uri).
 */
int digest_compute(char hex[DIGEST_HEX_SIZE], const struct digest_in *in)
{
	char ha1[DIGEST_HEX_SIZE], ha2[DIGEST_HEX_SIZE];
	enum digest_algo a;
	int err;

	if (!hex || !in || !in->pass || in->algo >= DIGEST_NALGO)
		return EINVAL;

	a = in->algo;
	err = hash(ha1, a, "%r:%r:%s", &in->user, &in->realm, in->pass);
	if (!err && is_sess(a))
		err = hash(ha1, a, "%s:%r:%r", ha1, &in->nonce, &in->cnonce);
	if (!err)
		err = hash(ha2, a, "%r:%r", &in->method, &in->uri);
	if (err)
		return err;

	if (pl_isset(&in->qop) && in->qop.l)
		err = hash(hex, a, "%s:%r:%r:%r:%r:%s", ha1, &in->nonce,
			   &in->nc, &in->cnonce, &in->qop, ha2);
	else
		err = hash(hex, a, "%s:%r:%s", ha1, &in->nonce, ha2);

	explicit_bzero(ha1, sizeof(ha1));
	return err;
}


/** A fresh challenge for realm: new nonce and opaque; qop="auth" */
int digest_challenge(char **hval, const char *realm, enum digest_algo algo,
		     bool qop)
{
	if (!hval || !realm || algo >= DIGEST_NALGO)
		return EINVAL;

	return re_sdprintf(hval, "Digest realm=\"%s\", nonce=\"%08x%08x"
			   "%08x%08x\", opaque=\"%08x\", algorithm=%s%s",
			   realm, rand_u32(), rand_u32(), rand_u32(),
			   rand_u32(), rand_u32(), algo_names[algo],
			   qop ? ", qop=\"auth\"" : "");
}


/**
 * Credentials that answer challenge c for a request (method, Request-URI
 * uri): qop=auth with a new cnonce and nc 1 when c offers it (RFC 3261
 * §22.4), opaque echoed. ENOTSUP when c offers only qop=auth-int.
 */
int digest_answer(char **hval, const struct digest_chal *c,
		  const char *user, const char *pass, const char *method,
		  const char *uri)
{
	return digest_answer_nc(hval, c, user, pass, method, uri, 1);
}


/**
 * As digest_answer, for the nc-th use of c's nonce (a request that
 * reuses credentials pre-emptively: RFC 3261 §22.1, RFC 7616 §3.4)
 */
int digest_answer_nc(char **hval, const struct digest_chal *c,
		     const char *user, const char *pass, const char *method,
		     const char *uri, uint32_t nc)
{
	char resp[DIGEST_HEX_SIZE], cnonce[17], ncs[9];
	struct digest_in in;
	struct mbuf *mb;
	int err;

	if (!hval || !c || !user || !pass || !method || !uri)
		return EINVAL;
	if (pl_isset(&c->qop) && !c->qop_auth)
		return ENOTSUP;

	(void)re_snprintf(cnonce, sizeof(cnonce), "%08x%08x", rand_u32(),
			  rand_u32());
	memset(&in, 0, sizeof(in));
	in.algo = c->algo;
	pl_set_str(&in.user, user);
	in.realm = c->realm;
	in.nonce = c->nonce;
	pl_set_str(&in.cnonce, cnonce);
	(void)re_snprintf(ncs, sizeof(ncs), "%08x", nc);
	pl_set_str(&in.nc, ncs);
	if (c->qop_auth)
		pl_set_str(&in.qop, "auth");
	pl_set_str(&in.method, method);
	pl_set_str(&in.uri, uri);
	in.pass = pass;

	err = digest_compute(resp, &in);
	if (err)
		return err;

	mb = mbuf_alloc(256);
	if (!mb)
		return ENOMEM;

	err = mbuf_printf(mb, "Digest username=\"%s\", realm=\"%r\", "
			  "nonce=\"%r\", uri=\"%s\", response=\"%s\", "
			  "algorithm=%s", user, &c->realm, &c->nonce, uri,
			  resp, algo_names[c->algo]);
	if (c->qop_auth)
		err |= mbuf_printf(mb, ", qop=auth, nc=%r", &in.nc);
	if (c->qop_auth || is_sess(c->algo))
		err |= mbuf_printf(mb, ", cnonce=\"%s\"", cnonce);
	if (pl_isset(&c->opaque))
		err |= mbuf_printf(mb, ", opaque=\"%r\"", &c->opaque);
	if (!err) {
		mb->pos = 0;
		err = mbuf_strdup(mb, hval, mb->end);
	}
	mem_deref(mb);

	return err;
}


/**
 * Check credentials cr (on a request with this method) against the
 * password: EACCES and a reason when the response hash differs. The
 * checks against the challenge (realm, nonce, algorithm, opaque, uri)
 * are the caller's: it knows which challenge cr answers.
 */
int digest_verify(const struct digest_cred *cr, const char *method,
		  const char *pass, char **why)
{
	char want[DIGEST_HEX_SIZE];
	struct digest_in in;
	bool qop;
	int err;

	if (!cr || !method || !pass)
		return EINVAL;

	qop = pl_isset(&cr->qop) && cr->qop.l;
	if (qop && (!pl_isset(&cr->nc) || !pl_isset(&cr->cnonce))) {
		(void)re_sdprintf(why, "qop=%r without nc and cnonce "
				  "(RFC 3261 §22.4)", &cr->qop);
		return EBADMSG;
	}
	if (is_sess(cr->algo) && !pl_isset(&cr->cnonce)) {
		(void)re_sdprintf(why, "%s without a cnonce",
				  algo_names[cr->algo]);
		return EBADMSG;
	}

	memset(&in, 0, sizeof(in));
	in.algo = cr->algo;
	in.user = cr->username;
	in.realm = cr->realm;
	in.nonce = cr->nonce;
	in.cnonce = cr->cnonce;
	in.nc = cr->nc;
	in.qop = cr->qop;
	pl_set_str(&in.method, method);
	in.uri = cr->uri;
	in.pass = pass;

	err = digest_compute(want, &in);
	if (err)
		return err;

	if (pl_strcasecmp(&cr->response, want)) {
		(void)re_sdprintf(why, "digest response does not match for "
				  "user %r realm %r (wrong password?)",
				  &cr->username, &cr->realm);
		return EACCES;
	}

	return 0;
}
