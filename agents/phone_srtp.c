/* agents/phone_srtp.c — a phone's SRTP with SDES keys (RFC 4568): the
 * a=crypto lines it offers (one per suite, tags 1, 2 …, each with a key
 * of its own), the one it answers with (the first offered line whose
 * suite it takes, RFC 4568 §5.1.2), and the keys its media leg takes from
 * the exchange. A phone set to srtp: offers RTP/SAVP only and takes
 * nothing else: libre's SDP answers an RTP/AVP offer with port 0. */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "sdpcrypto.h"
#include "media/mstream.h"
#include "phone.h"
#include "phone_priv.h"


enum { KEYLEN = 30 };

struct pcall_srtp {
	uint8_t key[SDPCRYPTO_MAX][KEYLEN];  /* ours, per offered tag */
	char *suite[SDPCRYPTO_MAX];          /* … and its suite */
	uint32_t tag[SDPCRYPTO_MAX];         /* … and the tag our SDP gives
						it: i + 1 in our first offer,
						the offer's once we answered */
	unsigned n;
	struct sdpcrypto chosen;             /* the far end's line */
	char *rx_b64;
	bool keyed;
};


static void destructor(void *data)
{
	struct pcall_srtp *s = data;
	unsigned i;

	for (i = 0; i < s->n; i++)
		mem_deref(s->suite[i]);
	mem_deref(s->rx_b64);
	/* keys are secrets: leave none in freed memory */
	memset(s->key, 0, sizeof(s->key));
}


static bool on(const struct role *r)
{
	return r->srtp.set && !r->srtp.off && !list_isempty(&r->srtp.suites);
}


/** The profile a phone's m= line offers */
const char *pcall_srtp_proto(const struct phone *ph)
{
	return on(ph->role) ? "RTP/SAVP" : "RTP/AVP";
}


/** A new call of an SRTP phone: a key per suite, an a=crypto line each */
int pcall_srtp_offer(struct pcall *c)
{
	const struct role *r = c->ph->role;
	struct pcall_srtp *s;
	struct le *le;
	int err = 0;

	if (!on(r))
		return 0;

	s = mem_zalloc(sizeof(*s), destructor);
	if (!s)
		return ENOMEM;
	c->srtp = s;

	for (le = r->srtp.suites.head; le && s->n < SDPCRYPTO_MAX;
	     le = le->next) {
		const struct strle *su = le->data;
		char *val = NULL;

		rand_bytes(s->key[s->n], KEYLEN);
		err = str_dup(&s->suite[s->n], su->str);
		if (!err)
			err = sdpcrypto_encode(&val, s->n + 1, su->str,
					       s->key[s->n], KEYLEN);
		if (!err)
			err = sdp_media_set_lattr(c->sdpm, s->n == 0, "crypto",
						  "%s", val);
		mem_deref(val);
		if (err)
			return err;
		s->tag[s->n] = s->n + 1;
		++s->n;
	}

	return 0;
}


/* key the leg: our key of tag (1-based), the far end's of its line */
static int key_leg(struct pcall *c, unsigned tag)
{
	struct pcall_srtp *s = c->srtp;
	const struct sdpcrypto *far = &s->chosen;
	uint8_t tx[KEYLEN];
	int err;

	memcpy(tx, s->key[tag - 1], KEYLEN);
	/* a fault: encrypt with another key than the SDP gives */
	if (c->ph->role->srtp.wrong_key)
		tx[0] ^= 0x5a;

	err = mstream_srtp(c->ms, s->suite[tag - 1], tx, far->key, KEYLEN);
	memset(tx, 0, sizeof(tx));
	if (err)
		return err;

	s->keyed = true;
	s->rx_b64 = mem_deref(s->rx_b64);
	(void)pl_strdup(&s->rx_b64, &far->key64);
	phone_logf(c->ph, "%s: SRTP %s with %s (a=crypto tag %u)",
		   c->ph->role->name, s->suite[tag - 1], c->peer, far->tag);

	return 0;
}


struct pick {
	struct pcall *c;
	bool offer;
	unsigned tag;        /* ours, 1-based */
	char why[160];
};


/* one a=crypto line of the far end's: the first we can take wins */
static bool pick_h(const char *name, const char *value, void *arg)
{
	struct pick *p = arg;
	struct pcall_srtp *s = p->c->srtp;
	struct sdpcrypto cr;
	struct pl pl;
	unsigned i;
	(void)name;

	pl_set_str(&pl, value);
	if (sdpcrypto_decode(&cr, &pl, p->why, sizeof(p->why)) || !cr.known)
		return false;

	for (i = 0; i < s->n; i++) {
		if (pl_strcmp(&cr.suite, s->suite[i]))
			continue;
		/* an answer names the tag we offered that suite with (RFC
		 * 4568 §5.1.3) */
		if (!p->offer && cr.tag != s->tag[i])
			continue;
		s->chosen = cr;
		p->tag = i + 1;
		return true;
	}

	return false;
}


/**
 * After the far end's SDP: an offer gets our a=crypto answer line, an
 * answer names the line we offered; either keys the leg. EPROTO when
 * nothing the far end wrote can be taken: the leg then sends nothing.
 */
int pcall_srtp_remote(struct pcall *c, bool offer)
{
	struct pcall_srtp *s = c->srtp;
	struct pick p = {.c = c, .offer = offer};
	char *val = NULL;
	int err;

	if (!s || !c->sdpm)
		return 0;

	s->keyed = false;
	if (!sdp_media_rattr_apply(c->sdpm, "crypto", pick_h, &p)) {
		phone_logf(c->ph, "%s: no a=crypto line of %s's %s can be "
			   "taken%s%s: no media", c->ph->role->name, c->peer,
			   offer ? "offer" : "answer", p.why[0] ? "; " : "",
			   p.why);
		return EPROTO;
	}

	if (offer) {
		/* RFC 4568 §5.1.2: the answer takes the offer's tag and
		 * suite, with a key of the answerer's own */
		s->tag[p.tag - 1] = s->chosen.tag;  /* our re-offers too */
		err = sdpcrypto_encode(&val, s->chosen.tag,
				       s->suite[p.tag - 1], s->key[p.tag - 1],
				       KEYLEN);
		if (!err)
			err = sdp_media_set_lattr(c->sdpm, true, "crypto",
						  "%s", val);
		mem_deref(val);
		if (err)
			return err;
	}

	return key_leg(c, p.tag);
}


/** False while an SRTP call has no keys: its leg must send nothing */
bool pcall_srtp_ready(const struct pcall *c)
{
	return !c->srtp || c->srtp->keyed;
}


/** The keys of a keyed call, for the report: suite, ours and theirs
 *  (base64, as a=crypto carries them) */
int pcall_srtp_keys(const struct pcall *c, const char **suite,
		    char **tx_b64, const char **rx_b64)
{
	const struct pcall_srtp *s = c ? c->srtp : NULL;
	char b64[64];
	size_t n = sizeof(b64) - 1;
	unsigned i;

	if (!s || !s->keyed)
		return ENOENT;

	for (i = 0; i < s->n; i++) {
		if (!pl_strcmp(&s->chosen.suite, s->suite[i]))
			break;
	}
	if (i == s->n || base64_encode(s->key[i], KEYLEN, b64, &n))
		return ENOENT;
	b64[n] = '\0';

	*suite = s->suite[i];
	*rx_b64 = s->rx_b64;
	return str_dup(tx_b64, b64);
}
