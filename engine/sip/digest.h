/* engine/sip/digest.h — SIP digest authentication (RFC 3261 §22, RFC 8760):
 * challenges, credentials, the response hash */
#ifndef SIPFLOW_DIGEST_H
#define SIPFLOW_DIGEST_H

/** Digest algorithms (RFC 8760 §2.3 names them for SIP) */
enum digest_algo {
	DIGEST_MD5 = 0,
	DIGEST_MD5_SESS,
	DIGEST_SHA256,
	DIGEST_SHA256_SESS,
	DIGEST_NALGO
};

/** A challenge: one WWW-Authenticate or Proxy-Authenticate value; the
 *  fields point into it (quotes stripped) */
struct digest_chal {
	struct pl realm, nonce, opaque, algorithm, qop, stale;
	enum digest_algo algo;    /* from algorithm (absent: MD5) */
	bool qop_auth;            /* qop offers "auth" */
};

/** Credentials: one Authorization or Proxy-Authorization value */
struct digest_cred {
	struct pl username, realm, nonce, uri, response, algorithm;
	struct pl opaque, qop, nc, cnonce;
	enum digest_algo algo;
};

/** What the response hash is computed from (RFC 7616 §3.4.1) */
struct digest_in {
	enum digest_algo algo;
	struct pl user, realm, nonce, cnonce, nc, qop, method, uri;
	const char *pass;         /* never printed */
};

/** Longest hash in hex, with its NUL (SHA-256) */
enum { DIGEST_HEX_SIZE = 65 };

int  digest_algo_parse(enum digest_algo *algo, const struct pl *name);
const char *digest_algo_name(enum digest_algo algo);
int  digest_chal_decode(struct digest_chal *c, const struct pl *hval,
			char **why);
int  digest_cred_decode(struct digest_cred *c, const struct pl *hval,
			char **why);
int  digest_compute(char hex[DIGEST_HEX_SIZE], const struct digest_in *in);
int  digest_challenge(char **hval, const char *realm, enum digest_algo algo,
		      bool qop);
int  digest_answer(char **hval, const struct digest_chal *c,
		   const char *user, const char *pass, const char *method,
		   const char *uri);
int  digest_answer_nc(char **hval, const struct digest_chal *c,
		      const char *user, const char *pass, const char *method,
		      const char *uri, uint32_t nc);
int  digest_verify(const struct digest_cred *cr, const char *method,
		   const char *pass, char **why);

#endif
