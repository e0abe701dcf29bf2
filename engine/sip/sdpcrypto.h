/* engine/sip/sdpcrypto.h — SDP security descriptions (RFC 4568): the
 * a=crypto attribute as written, its SRTP crypto-suites and inline keys.
 * Parsing only; the agents key their media with it (agents/phone_srtp.c,
 * agents/ua_crypto.c), the rules judge answers with it
 * (engine/check/rules_crypto.c), lint checks scripted bodies with it. */
#ifndef SIPFLOW_SDPCRYPTO_H
#define SIPFLOW_SDPCRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SDPCRYPTO_KEY_MAX = 46,   /* key || salt, the longest suite */
	SDPCRYPTO_MAX     = 8,    /* a=crypto lines kept per m= section */
	SDPCRYPTO_M_MAX   = 8,    /* m= sections kept per SDP */
};

/** One a=crypto value: "<tag> <suite> inline:<key||salt>[|…] […]" */
struct sdpcrypto {
	uint32_t tag;
	struct pl suite;
	struct pl key64;          /* the inline key-salt, base64 */
	uint8_t key[SDPCRYPTO_KEY_MAX];
	size_t keylen;            /* decoded; 0 for a suite we do not know */
	bool known;               /* a suite of sdpcrypto_suite_keylen's */
};

/** One m= section of an SDP, as far as SRTP goes */
struct sdpcrypto_media {
	struct pl mline;
	struct pl proto;          /* RTP/AVP, RTP/SAVP, … */
	bool port0;               /* a rejected stream (RFC 3264 §6) */
	unsigned n;
	struct pl crypto[SDPCRYPTO_MAX];  /* values after "a=crypto:" */
	struct pl line[SDPCRYPTO_MAX];    /* the whole a= lines */
};

/* the suites sipflow keys SRTP with (libre's srtp): the key||salt length
 * in octets, 0 for one it does not know */
size_t sdpcrypto_suite_keylen(const struct pl *suite);
bool   sdpcrypto_suite_ok(const char *name);
const char *sdpcrypto_suites(void);        /* "A, B" for messages */

/* decode a value; EBADMSG with the reason in why (RFC 4568 §9.1) */
int  sdpcrypto_decode(struct sdpcrypto *c, const struct pl *val,
		      char *why, size_t sz);
/* the m= sections of an SDP body, with their a=crypto lines; returns
 * how many (at most max) */
unsigned sdpcrypto_scan(const struct pl *body, struct sdpcrypto_media *mv,
			unsigned max);
bool sdpcrypto_savp(const struct pl *proto);   /* RTP/SAVP or SAVPF */
/* an a=crypto line with its key shown as "inline:…" (messages and
 * reports print no key unless asked to) */
int  sdpcrypto_print_masked(struct re_printf *pf, const struct pl *line);
/* a new key line value: "<tag> <suite> inline:<base64>" from key */
int  sdpcrypto_encode(char **valp, uint32_t tag, const char *suite,
		      const uint8_t *key, size_t keylen);

#endif
