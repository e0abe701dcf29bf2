/* engine/check/rules_sip.c — rule checks on one SIP message by itself
 * (RFC 3261 §7, §8, §20, §21; RFC 3515; RFC 6665). The table that names
 * them is in rules.c. */
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <re.h>
#include "msgrec.h"
#include "hdr.h"
#include "rules.h"
#include "rules_checks.h"


/* the first value of name as "Name: value" for the verdict */
static void bad_hdr(char **bad, const struct sip_msg *m, const char *name)
{
	const struct pl *v = hdr_first(m, name);

	if (v)
		re_sdprintf(bad, "%s: %r", name, v);
}


/* a decimal number of at most max digits (leading zeros aside: RFC 4475
 * §3.1.1.1 has Max-Forwards: 0068), blanks around it allowed;
 * checks run on every message, so no regex compiled per call */
static bool decimal(const struct pl *v, size_t max)
{
	size_t i = 0, n = 0;

	while (i < v->l && (v->p[i] == ' ' || v->p[i] == '\t'))
		i++;
	/* leading zeros are digits of the grammar, not of the value */
	while (i + 1 < v->l && v->p[i] == '0' &&
	       isdigit((unsigned char)v->p[i + 1]))
		i++;
	while (i < v->l && isdigit((unsigned char)v->p[i])) {
		i++;
		n++;
	}
	while (i < v->l && (v->p[i] == ' ' || v->p[i] == '\t'))
		i++;

	return n && n <= max && i == v->l;
}


/**
 * The message's body as RFC 3261 §18.3 frames it: the Content-Length
 * bytes after the header, when the message carries more (a datagram's
 * extra bytes are discarded); else every byte after the header.
 */
struct pl rules_body(const struct msgrec *r)
{
	struct pl body = msgrec_body(r);
	const struct pl *v = r && r->msg ? hdr_first(r->msg, "Content-Length")
					 : NULL;

	if (v && decimal(v, 9) && pl_u32(v) < body.l)
		body.l = pl_u32(v);

	return body;
}


/* a character of linear white space (RFC 3261 §25.1: LWS folds lines) */
static bool lws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}


/* s starts with word (any case) after blanks; *rest is what follows */
static bool word(const char **s, const char *end, const char *w)
{
	size_t l = strlen(w);

	while (*s < end && lws(**s))
		++*s;
	if ((size_t)(end - *s) < l || strncasecmp(*s, w, l))
		return false;
	*s += l;
	return true;
}


static bool is_method(const struct sip_msg *m, const char *met)
{
	return m->req && !pl_strcmp(&m->met, met);
}


static bool missing(const struct sip_msg *m, const char *name)
{
	return hdr_count(m, name) == 0;
}


bool chk_version(const struct rulectx *c, char **bad)
{
	if (!pl_strcmp(&c->m->ver, "SIP/2.0"))
		return false;
	re_sdprintf(bad, "%r", &c->m->ver);
	return true;
}


bool chk_via_present(const struct rulectx *c, char **bad)
{
	(void)bad;
	return missing(c->m, "Via");
}


bool chk_via_branch(const struct rulectx *c, char **bad)
{
	if (!c->m->req || missing(c->m, "Via"))
		return false;
	if (c->m->via.branch.l >= 7 &&
	    !strncmp(c->m->via.branch.p, "z9hG4bK", 7))
		return false;
	bad_hdr(bad, c->m, "Via");
	return true;
}


struct vp {
	const struct pl *bad;
};


/* a token character of RFC 3261 §25.1 */
static bool token_char(char ch)
{
	return isalnum((unsigned char)ch) || (ch && strchr("-.!%*_+`'~", ch));
}


/* SIP / 2.0 / transport, any token as transport (§25.1: transport =
 * "UDP" / "TCP" / "TLS" / "SCTP" / other-transport) */
static bool via_proto_h(const struct pl *val, void *arg)
{
	struct vp *v = arg;
	const char *p = val->p, *end = val->p + val->l, *t;

	if (word(&p, end, "SIP") && word(&p, end, "/") &&
	    word(&p, end, "2.0") && word(&p, end, "/")) {
		while (p < end && lws(*p))
			p++;
		for (t = p; p < end && token_char(*p); p++)
			;
		if (p > t && p < end && lws(*p))
			return false;
	}

	v->bad = val;
	return true;
}


bool chk_via_protocol(const struct rulectx *c, char **bad)
{
	struct vp v = {NULL};

	if (!hdr_apply(c->m, "Via", via_proto_h, &v))
		return false;
	re_sdprintf(bad, "Via: %r", v.bad);
	return true;
}


bool chk_from_present(const struct rulectx *c, char **bad)
{
	(void)bad;
	return missing(c->m, "From");
}


bool chk_to_present(const struct rulectx *c, char **bad)
{
	(void)bad;
	return missing(c->m, "To");
}


bool chk_callid_present(const struct rulectx *c, char **bad)
{
	(void)bad;
	return missing(c->m, "Call-ID");
}


bool chk_cseq_present(const struct rulectx *c, char **bad)
{
	const struct pl *v = hdr_first(c->m, "CSeq");
	struct sip_cseq cs;

	if (v && !sip_cseq_decode(&cs, v) && pl_isset(&cs.met))
		return false;
	if (v)
		re_sdprintf(bad, "CSeq: %r", v);
	return true;
}


bool chk_cseq_range(const struct rulectx *c, char **bad)
{
	const struct pl *v = hdr_first(c->m, "CSeq");
	uint64_t num = 0;
	size_t i;

	if (!v)
		return false;

	/* pl_u32 would wrap; read the digits with a bound */
	for (i = 0; i < v->l && isspace((unsigned char)v->p[i]); i++)
		;
	for (; i < v->l && isdigit((unsigned char)v->p[i]); i++) {
		num = num * 10 + (uint64_t)(v->p[i] - '0');
		if (num >= (1ULL << 31))
			break;
	}
	if (num < (1ULL << 31))
		return false;

	re_sdprintf(bad, "CSeq: %r", v);
	return true;
}


bool chk_single_valued(const struct rulectx *c, char **bad)
{
	static const char *const once[] = {
		"From", "To", "Call-ID", "CSeq", "Max-Forwards",
		"Content-Length", "Content-Type",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(once); i++) {
		if (hdr_count(c->m, once[i]) > 1) {
			re_sdprintf(bad, "%s appears %u times", once[i],
				    hdr_count(c->m, once[i]));
			return true;
		}
	}

	return false;
}


bool chk_clen(const struct rulectx *c, char **bad)
{
	struct pl body = msgrec_body(c->r);
	const struct pl *v = hdr_first(c->m, "Content-Length");

	if (!v)
		return false;
	if (decimal(v, 9) && pl_u32(v) <= body.l)
		return false;
	re_sdprintf(bad, "Content-Length: %r (the message carries %zu body "
		    "bytes)", v, body.l);
	return true;
}


bool chk_ctype(const struct rulectx *c, char **bad)
{
	struct pl body = rules_body(c->r);

	(void)bad;
	return body.l > 0 && missing(c->m, "Content-Type");
}


/* a word character of RFC 3261 §25.1 */
static bool word_char(char ch)
{
	return token_char(ch) || (ch && strchr("()<>:\\\"/[]?{}", ch));
}


/* §25.1: callid = word [ "@" word ] */
bool chk_callid_syntax(const struct rulectx *c, char **bad)
{
	const struct pl *v = hdr_first(c->m, "Call-ID");
	size_t i, at = 0, run = 0;
	bool ok = true;

	if (!v)
		return false;
	for (i = 0; i < v->l && ok; i++) {
		if (v->p[i] == '@') {
			ok = run > 0 && ++at == 1;
			run = 0;
		}
		else if (word_char(v->p[i]))
			++run;
		else
			ok = false;
	}
	if (ok && run > 0)
		return false;
	re_sdprintf(bad, "Call-ID: %r", v);
	return true;
}


bool chk_maxfwd_present(const struct rulectx *c, char **bad)
{
	(void)bad;
	return c->m->req && missing(c->m, "Max-Forwards");
}


bool chk_maxfwd_range(const struct rulectx *c, char **bad)
{
	const struct pl *v = hdr_first(c->m, "Max-Forwards");

	if (!v)
		return false;
	if (decimal(v, 3) && pl_u32(v) <= 255)
		return false;
	re_sdprintf(bad, "Max-Forwards: %r", v);
	return true;
}


bool chk_from_tag(const struct rulectx *c, char **bad)
{
	if (!c->m->req || missing(c->m, "From") || pl_isset(&c->m->from.tag))
		return false;
	bad_hdr(bad, c->m, "From");
	return true;
}


bool chk_cseq_method(const struct rulectx *c, char **bad)
{
	if (!c->m->req || missing(c->m, "CSeq") ||
	    !pl_cmp(&c->m->cseq.met, &c->m->met))
		return false;
	bad_hdr(bad, c->m, "CSeq");
	return true;
}


bool chk_contact_invite(const struct rulectx *c, char **bad)
{
	(void)bad;
	return is_method(c->m, "INVITE") && missing(c->m, "Contact");
}


bool chk_contact_single(const struct rulectx *c, char **bad)
{
	if (!is_method(c->m, "INVITE") && !is_method(c->m, "SUBSCRIBE") &&
	    !is_method(c->m, "REFER"))
		return false;
	if (hdr_count(c->m, "Contact") <= 1)
		return false;
	re_sdprintf(bad, "%u Contact values", hdr_count(c->m, "Contact"));
	return true;
}


/* a request of method met without exactly one header name */
static bool not_one(const struct rulectx *c, const char *met,
		    const char *name, char **bad)
{
	unsigned n;

	if (!is_method(c->m, met))
		return false;
	n = hdr_count(c->m, name);
	if (n == 1)
		return false;
	re_sdprintf(bad, "%u %s headers", n, name);
	return true;
}


bool chk_refer_to(const struct rulectx *c, char **bad)
{
	return not_one(c, "REFER", "Refer-To", bad);
}


bool chk_subscribe_event(const struct rulectx *c, char **bad)
{
	return not_one(c, "SUBSCRIBE", "Event", bad);
}


bool chk_notify_event(const struct rulectx *c, char **bad)
{
	(void)bad;
	return is_method(c->m, "NOTIFY") && missing(c->m, "Event");
}


bool chk_notify_substate(const struct rulectx *c, char **bad)
{
	(void)bad;
	return is_method(c->m, "NOTIFY") &&
	       missing(c->m, "Subscription-State");
}


bool chk_notify_sipfrag(const struct rulectx *c, char **bad)
{
	const struct pl *ev = hdr_first(c->m, "Event");

	const char *p = ev ? ev->p : NULL;

	if (!is_method(c->m, "NOTIFY") || !ev ||
	    !word(&p, ev->p + ev->l, "refer") ||
	    (p < ev->p + ev->l && *p != ' ' && *p != '\t' && *p != ';'))
		return false;
	if (!pl_strcasecmp(&c->m->ctyp.type, "message") &&
	    !pl_strcasecmp(&c->m->ctyp.subtype, "sipfrag"))
		return false;
	if (hdr_first(c->m, "Content-Type"))
		bad_hdr(bad, c->m, "Content-Type");
	return true;
}


bool chk_indialog_totag(const struct rulectx *c, char **bad)
{
	if (!is_method(c->m, "BYE") && !is_method(c->m, "PRACK") &&
	    !is_method(c->m, "UPDATE"))
		return false;
	if (pl_isset(&c->m->to.tag))
		return false;
	bad_hdr(bad, c->m, "To");
	return true;
}


bool chk_totag_response(const struct rulectx *c, char **bad)
{
	if (c->m->req || c->m->scode == 100 || missing(c->m, "To") ||
	    pl_isset(&c->m->to.tag))
		return false;
	bad_hdr(bad, c->m, "To");
	return true;
}


static bool resp_to(const struct sip_msg *m, const char *met,
		    uint16_t lo, uint16_t hi)
{
	return !m->req && m->scode >= lo && m->scode <= hi &&
	       (!met || !pl_strcmp(&m->cseq.met, met));
}


bool chk_contact_2xx_invite(const struct rulectx *c, char **bad)
{
	(void)bad;
	return resp_to(c->m, "INVITE", 200, 299) && missing(c->m, "Contact");
}


bool chk_contact_3xx(const struct rulectx *c, char **bad)
{
	(void)bad;
	return resp_to(c->m, NULL, 301, 302) && missing(c->m, "Contact");
}


bool chk_allow_405(const struct rulectx *c, char **bad)
{
	(void)bad;
	return resp_to(c->m, NULL, 405, 405) && missing(c->m, "Allow");
}


bool chk_www_auth_401(const struct rulectx *c, char **bad)
{
	(void)bad;
	return resp_to(c->m, NULL, 401, 401) &&
	       missing(c->m, "WWW-Authenticate");
}


bool chk_proxy_auth_407(const struct rulectx *c, char **bad)
{
	(void)bad;
	return resp_to(c->m, NULL, 407, 407) &&
	       missing(c->m, "Proxy-Authenticate");
}


bool chk_min_expires_423(const struct rulectx *c, char **bad)
{
	(void)bad;
	return (resp_to(c->m, "REGISTER", 423, 423) ||
		resp_to(c->m, "SUBSCRIBE", 423, 423)) &&
	       missing(c->m, "Min-Expires");
}


bool chk_unsupported_420(const struct rulectx *c, char **bad)
{
	(void)bad;
	return resp_to(c->m, NULL, 420, 420) && missing(c->m, "Unsupported");
}
