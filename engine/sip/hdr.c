/* engine/sip/hdr.c — find a received header by name, compact forms included
 *
 * libre's parser keys headers by a hash of their full name and maps the
 * RFC 3261 §7.3.3 compact forms (f, t, v, m, i, l, k, …) onto the same id,
 * and it splits comma-separated list headers into one entry per value.
 * Lookups by name (sip_msg_xhdr) compare the name as written, so "From"
 * would miss "f:". Here a name is first turned into libre's id the same
 * way, so an assertion on "From" sees "f:" and every value of a list.
 */
#include <string.h>
#include <ctype.h>
#include <regex.h>
#include <re.h>
#include "hdr.h"


static const struct {
	char c;
	const char *name;
} compact[] = {
	{'a', "Accept-Contact"},   {'b', "Referred-By"},
	{'c', "Content-Type"},     {'d', "Request-Disposition"},
	{'e', "Content-Encoding"}, {'f', "From"},
	{'i', "Call-ID"},          {'j', "Reject-Contact"},
	{'k', "Supported"},        {'l', "Content-Length"},
	{'m', "Contact"},          {'n', "Identity-Info"},
	{'o', "Event"},            {'r', "Refer-To"},
	{'s', "Subject"},          {'t', "To"},
	{'u', "Allow-Events"},     {'v', "Via"},
	{'x', "Session-Expires"},  {'y', "Identity"},
};


/** The long form of a name given in compact form, else the name itself */
struct pl hdr_long_form(const struct pl *name)
{
	struct pl pl = *name;
	size_t i;

	if (name->l != 1)
		return pl;

	for (i = 0; i < ARRAY_SIZE(compact); i++) {
		if (tolower((unsigned char)name->p[0]) == compact[i].c) {
			pl_set_str(&pl, compact[i].name);
			break;
		}
	}

	return pl;
}


/** True if two header names name the same header (compact forms too) */
bool hdr_name_eq_pl(const struct pl *a, const struct pl *b)
{
	struct pl la, lb;

	if (!a || !b)
		return false;

	la = hdr_long_form(a);
	lb = hdr_long_form(b);

	return 0 == pl_casecmp(&la, &lb);
}


/** True if header name a (as a scenario writes it) names header b */
bool hdr_name_eq(const char *a, const struct pl *b)
{
	struct pl pa;

	if (!a)
		return false;

	pl_set_str(&pa, a);
	return hdr_name_eq_pl(&pa, b);
}


struct first {
	const struct pl *val;
};


static bool first_h(const struct pl *val, void *arg)
{
	struct first *f = arg;

	f->val = val;
	return true;
}


/** The first value of a header, or NULL */
const struct pl *hdr_first(const struct sip_msg *msg, const char *name)
{
	struct first f = {NULL};

	hdr_apply(msg, name, first_h, &f);

	return f.val;
}


static bool count_h(const struct pl *val, void *arg)
{
	unsigned *n = arg;

	(void)val;
	++*n;
	return false;
}


/** How many values a header has (each list element counts) */
unsigned hdr_count(const struct sip_msg *msg, const char *name)
{
	unsigned n = 0;

	hdr_apply(msg, name, count_h, &n);

	return n;
}


struct tramp {
	struct pl lf;          /* the name asked for, in long form */
	hdr_value_h *h;
	void *arg;
};


static bool tramp_h(const struct sip_hdr *hdr, const struct sip_msg *msg,
		    void *arg)
{
	struct tramp *t = arg;
	struct pl lf = hdr_long_form(&hdr->name);

	(void)msg;
	if (pl_casecmp(&t->lf, &lf))
		return false; /* another name with the same hash */

	return t->h(&hdr->val, t->arg);
}


/**
 * Call h for each value of a header, in message order, until h returns
 * true. Returns true if h did. libre keeps each element of a list header
 * ("Supported: a, b") as its own entry in the header hash, under the id
 * of the header's long name; those are the values walked here.
 */
bool hdr_apply(const struct sip_msg *msg, const char *name,
	       hdr_value_h *h, void *arg)
{
	struct tramp t = {PL_INIT, h, arg};
	struct pl pl, lf;
	enum sip_hdrid id;

	if (!msg || !name || !h)
		return false;

	pl_set_str(&pl, name);
	lf = hdr_long_form(&pl);
	t.lf = lf;

	/* libre files X- headers under SIP_HDR_NONE */
	if (lf.l > 1 && (lf.p[0] == 'x' || lf.p[0] == 'X') && lf.p[1] == '-')
		id = SIP_HDR_NONE;
	else
		id = (enum sip_hdrid)(hash_joaat_ci(lf.p, lf.l) & 0xfff);

	return NULL != sip_msg_hdr_apply(msg, true, id, tramp_h, &t);
}


/** The value of ;name=value in a header value (after the address) */
int hdr_param(const struct pl *val, const char *name, struct pl *out)
{
	struct pl params = *val;
	const char *gt;

	if (!val || !name || !out)
		return EINVAL;

	/* parameters of the header follow the closing '>' if there is one */
	gt = pl_strchr(val, '>');
	if (gt) {
		params.p = gt + 1;
		params.l = val->l - (size_t)(gt + 1 - val->p);
	}

	return msg_param_decode(&params, name, out);
}


/** The tag parameter of a From/To value */
int hdr_tag(const struct pl *val, struct pl *tag)
{
	return hdr_param(val, "tag", tag);
}


/**
 * True if a value matches a POSIX extended regex (anchors work, unlike
 * libre's re_regex, which finds a pattern anywhere).
 */
bool hdr_rx(const struct pl *val, const char *ere, bool icase)
{
	regex_t re;
	char *s = NULL;
	bool ok;

	if (!val || !ere || pl_strdup(&s, val))
		return false;

	if (regcomp(&re, ere, REG_EXTENDED | REG_NOSUB |
		    (icase ? REG_ICASE : 0))) {
		mem_deref(s);
		return false;
	}

	ok = 0 == regexec(&re, s, 0, NULL, 0);
	regfree(&re);
	mem_deref(s);

	return ok;
}
