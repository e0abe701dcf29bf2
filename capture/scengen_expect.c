/* capture/scengen_expect.c — the expectations of a step written from a
 * captured message: the headers that matter (Record-Route by the proxy's
 * host, Contact's user where it sets a target, Refer-To's user, Replaces
 * present, Event / Subscription-State / Content-Type by their leading
 * token) and the SDP's formats and direction; never a volatile value */
#include <string.h>
#include <re.h>
#include "scengen.h"
#include "scengen_priv.h"


/* one expectation header: SPEC, flow style */
static int exp_add(struct mbuf *mb, const char *name, const char *spec)
{
	int err = mbuf_printf(mb, "%s%s: \"", mb->end ? ", " : "", name);
	size_t i;

	for (i = 0; spec[i] && !err; i++) {
		if (spec[i] == '"' || spec[i] == '\\')
			err = mbuf_write_u8(mb, '\\');
		err |= mbuf_write_u8(mb, (uint8_t)spec[i]);
	}

	return err | mbuf_write_u8(mb, '"');
}


/* the role whose address a Record-Route names, as a regex of its host */
static void rr_spec(char *spec, size_t sz, const struct out *o,
		    const struct pl *val)
{
	const struct sgen *sg = o->sg;
	struct sip_addr a;
	struct sa sa;
	size_t i;

	str_ncpy(spec, "present", sz);
	if (sip_addr_decode(&a, val) ||
	    sa_set(&sa, &a.uri.host, a.uri.port ? a.uri.port : 5060))
		return;
	for (i = 0; i < sg->nep; i++) {
		if (sa_cmp(&sg->epv[i], &sa, SA_ADDR) &&
		    (sa_port(&sg->epv[i]) == sa_port(&sa) || !a.uri.port)) {
			re_snprintf(spec, sz, "~{%s.host}", sg->rv[i].name);
			return;
		}
	}
}


/* the user of the URI in a name-addr value, as "~USER@" */
static void user_spec(char *spec, size_t sz, const struct pl *val,
		      bool anchored)
{
	struct sip_addr a;
	char u[80];

	str_ncpy(spec, "present", sz);
	if (sip_addr_decode(&a, val) || !pl_isset(&a.uri.user))
		return;
	scengen_rx_lit(u, sizeof(u), a.uri.user.p, a.uri.user.l);
	re_snprintf(spec, sz, anchored ? "~^([^<]*<)?sips?:%s@" : "~%s@", u);
}


/* a digest header by its scheme and one stable parameter (realm,
 * username): "~^Digest .*realm=\"a\.example\.test\"" */
static void auth_spec(char *spec, size_t sz, const struct pl *val,
		      const char *param)
{
	char rx[32], v[120];
	struct pl p;

	re_snprintf(rx, sizeof(rx), "%s=\"[^\"]*\"", param);
	if (re_regex(val->p, val->l, rx, &p)) {
		str_ncpy(spec, "~^Digest ", sz);
		return;
	}
	scengen_rx_lit(v, sizeof(v), p.p, p.l);
	re_snprintf(spec, sz, "~^Digest .*%s=\"%s\"", param, v);
}


/* a token at the start of a value (Event's package, the subscription's
 * state, the media type) as "~^TOKEN" up to ; or the end */
static void lead_spec(char *spec, size_t sz, const struct pl *val)
{
	char t[80];
	struct pl tok;

	if (re_regex(val->p, val->l, "[^; \t]+", &tok)) {
		str_ncpy(spec, "present", sz);
		return;
	}
	scengen_rx_lit(t, sizeof(t), tok.p, tok.l);
	re_snprintf(spec, sz, "~^%s([ ;]|$)", t);
}


/* where Contact sets the remote target or a registration (RFC 3261
 * §8.1.1.8, §12.1.1, §10.2.1): a target-refresh request or REGISTER, a
 * response that makes or refreshes a dialog, a 3xx (where to go). A
 * Contact elsewhere (a 200 to BYE) is not expected. */
static bool contact_matters(const struct sip_msg *q)
{
	static const char *const mets[] = {
		"INVITE", "SUBSCRIBE", "NOTIFY", "REFER", "UPDATE",
		"REGISTER"};
	const struct pl *met = q->req ? &q->met : &q->cseq.met;
	size_t i;

	if (!q->req && (q->scode < 101 || q->scode >= 400))
		return false;
	if (!q->req && q->scode >= 300)
		return true;
	for (i = 0; i < ARRAY_SIZE(mets); i++) {
		if (!pl_strcmp(met, mets[i]))
			return true;
	}

	return false;
}


/* expect: the headers that matter, as they were; the SDP's formats and
 * direction. Volatile values (Call-ID, tags, nonces) are not expected. */
int scengen_print_expect(struct out *o, const char *ind,
			 const struct sgm *m)
{
	static const char *const lead[] = {
		"Event", "Subscription-State", "Content-Type"};
	/* a challenge by its realm, an answer by its user: the nonce and
	 * the response change from run to run */
	static const struct {
		enum sip_hdrid id;
		const char *name, *param;
	} auth[] = {
		{SIP_HDR_WWW_AUTHENTICATE, "WWW-Authenticate", "realm"},
		{SIP_HDR_PROXY_AUTHENTICATE, "Proxy-Authenticate", "realm"},
		{SIP_HDR_AUTHORIZATION, "Authorization", "username"},
		{SIP_HDR_PROXY_AUTHORIZATION, "Proxy-Authorization",
		 "username"},
	};
	const struct sip_msg *q = m->msg;
	const struct sip_hdr *h;
	struct mbuf *mb = mbuf_alloc(128);
	char spec[200], body[260] = "";
	size_t i;
	int err = 0;

	if (!mb)
		return ENOMEM;

	h = sip_msg_hdr(q, SIP_HDR_RECORD_ROUTE);
	if (h) {
		rr_spec(spec, sizeof(spec), o, &h->val);
		err |= exp_add(mb, "Record-Route", spec);
	}
	h = contact_matters(q) ? sip_msg_hdr(q, SIP_HDR_CONTACT) : NULL;
	if (h && !pl_strcmp(&h->val, "*"))
		err |= exp_add(mb, "Contact", "*");
	else if (h) {
		user_spec(spec, sizeof(spec), &h->val, true);
		err |= exp_add(mb, "Contact", spec);
	}
	for (i = 0; i < ARRAY_SIZE(auth); i++) {
		/* credentials where a request asks anew (not an ACK or a
		 * request inside a dialog, which some UAs send them with
		 * and some not), and not on a relay: a proxy may take its
		 * own out (RFC 3261 §22.3 leaves it to it) */
		h = sip_msg_hdr(q, auth[i].id);
		if (!h || (!strcmp(auth[i].param, "username") &&
			   (m->relay || !scengen_ood(q))))
			continue;
		auth_spec(spec, sizeof(spec), &h->val, auth[i].param);
		err |= exp_add(mb, auth[i].name, spec);
	}
	h = sip_msg_hdr(q, SIP_HDR_REFER_TO);
	if (h) {
		user_spec(spec, sizeof(spec), &h->val, false);
		err |= exp_add(mb, "Refer-To", spec);
	}
	if (sip_msg_xhdr(q, "Replaces"))
		err |= exp_add(mb, "Replaces", "present");
	for (i = 0; i < ARRAY_SIZE(lead); i++) {
		h = sip_msg_xhdr(q, lead[i]);
		if (!h)
			continue;
		lead_spec(spec, sizeof(spec), &h->val);
		err |= exp_add(mb, lead[i], spec);
	}
	if (scengen_has_sdp(q)) {
		struct sdpinfo si;
		char f[140];

		scengen_sdp_read(&si, q);
		scengen_rx_lit(f, sizeof(f), si.fmts, strlen(si.fmts));
		if (si.media[0])
			re_snprintf(body, sizeof(body),
				    "~m=%s [0-9]+ [^ ]+ %s([[:space:]]|$)%s%s",
				    si.media, f, si.dir[0] ? ".*a=" : "",
				    si.dir);
	}

	if (mb->end || body[0]) {
		err |= re_hprintf(o->pf, "%sexpect: {", ind);
		if (mb->end)
			err |= re_hprintf(o->pf, "header: {%b}", mb->buf,
					  mb->end);
		if (body[0])
			err |= re_hprintf(o->pf, "%sbody: ",
					  mb->end ? ", " : "") |
			       scengen_yqs(o->pf, body);
		err |= re_hprintf(o->pf, "}\n");
	}
	mem_deref(mb);

	return err;
}
