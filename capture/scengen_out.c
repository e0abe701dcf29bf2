/* capture/scengen_out.c — write the scenario of a capture read by
 * scengen.c: a header naming the capture and the call, the roles (user,
 * display name, domain from the messages they sent), one step per
 * message with what makes a scripted role send it again (to-user, sdp,
 * headers, body, challenge, lose) and what is expected of it (the
 * headers that matter, the SDP's formats and direction); any-order
 * groups where no causality orders the capture's messages. Volatile
 * values (Call-ID, tags) become placeholders of the step that first
 * carried them, addresses the role's. docs/capture-to-scenario.md */
#include <string.h>
#include <ctype.h>
#include <stdlib.h>
#include <math.h>
#include <re.h>
#include "diff.h"
#include "diff_priv.h"
#include "scengen.h"
#include "scengen_priv.h"


/* headers every scripted role writes itself: never in headers: */
const char *const scengen_stack_hdrs[] = {
	"Via", "Max-Forwards", "From", "To", "Call-ID", "CSeq",
	"Content-Length", "User-Agent", "Server", "Record-Route",
	"Authorization", "Proxy-Authorization", "WWW-Authenticate",
	"Proxy-Authenticate", "Date", "Timestamp",
};


bool scengen_listed(const char *const *v, size_t n, const struct pl *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!pl_strcasecmp(name, v[i]))
			return true;
	}

	return false;
}


/* a YAML double-quoted string */
int scengen_yq(struct re_printf *pf, const char *p, size_t n)
{
	int err = re_hprintf(pf, "\"");
	size_t i;

	for (i = 0; i < n && !err; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '"' || c == '\\')
			err = re_hprintf(pf, "\\%c", c);
		else if (c == '\n')
			err = re_hprintf(pf, "\\n");
		else if (c == '\r')
			continue;
		else if (c == '\t')
			err = re_hprintf(pf, "\\t");
		else if (c < 0x20 || c == 0x7f)
			err = re_hprintf(pf, "\\x%02x", c);
		else
			err = re_hprintf(pf, "%c", c);
	}

	return err | re_hprintf(pf, "\"");
}


int scengen_yqs(struct re_printf *pf, const char *s)
{
	return scengen_yq(pf, s, strlen(s));
}


/* text as a POSIX extended regex matching it literally */
void scengen_rx_lit(char *d, size_t sz, const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 3 < sz; i++) {
		if (strchr(".[]()*+?{}|^$\\", s[i]))
			d[k++] = '\\';
		d[k++] = s[i];
	}
	d[k] = '\0';
}


static void tok_add(struct out *o, const struct pl *val, const char *fmt,
		    const char *a, unsigned n)
{
	struct tok *t;
	size_t i;

	if (!pl_isset(val) || val->l < 4 || val->l >= sizeof(t->val))
		return;
	for (i = 0; i < o->ntok; i++) {
		if (!pl_strcmp(val, o->tv[i].val))
			return;         /* the first to carry it names it */
	}
	o->err = diff_grow((void **)&o->tv, &o->cap, (uint32_t)o->ntok + 1,
			   sizeof(*o->tv));
	if (o->err)
		return;
	t = &o->tv[o->ntok++];
	pl_strcpy(val, t->val, sizeof(t->val));
	t->len = val->l;
	if (a)
		re_snprintf(t->ph, sizeof(t->ph), fmt, a);
	else
		re_snprintf(t->ph, sizeof(t->ph), fmt, n);
}


/* the roles' addresses: ip:port as {X.addr}, an IP only one role has as
 * {X.host} */
static void tok_roles(struct out *o)
{
	struct sgen *sg = o->sg;
	size_t i, j;

	for (i = 0; i < sg->nep; i++) {
		char buf[64];
		struct pl pl;
		unsigned same = 0;

		re_snprintf(buf, sizeof(buf), "%J", &sg->epv[i]);
		pl_set_str(&pl, buf);
		tok_add(o, &pl, "{%s.addr}", sg->rv[i].name, 0);
		for (j = 0; j < sg->nep; j++)
			same += sa_cmp(&sg->epv[i], &sg->epv[j], SA_ADDR);
		if (same != 1)
			continue;
		re_snprintf(buf, sizeof(buf), "%j", &sg->epv[i]);
		pl_set_str(&pl, buf);
		tok_add(o, &pl, "{%s.host}", sg->rv[i].name, 0);
	}
}


/* the values step n's message gives placeholders to the steps after it */
void scengen_tok_step(struct out *o, const struct sgm *m)
{
	const struct sip_msg *q = m->msg;
	char buf[300];
	struct pl pl;

	tok_add(o, &q->callid, "{F%u.call-id}", NULL, m->step);
	/* the Call-ID as a URI header escapes its '@' (Refer-To) */
	if (pl_isset(&q->callid) && q->callid.l < 250 &&
	    pl_strchr(&q->callid, '@')) {
		const char *at = pl_strchr(&q->callid, '@');

		re_snprintf(buf, sizeof(buf), "%b%%40%b", q->callid.p,
			    (size_t)(at - q->callid.p), at + 1,
			    (size_t)(q->callid.p + q->callid.l - at - 1));
		pl_set_str(&pl, buf);
		tok_add(o, &pl, "{F%u.call-id}", NULL, m->step);
	}
	tok_add(o, &q->from.tag, "{F%u.from-tag}", NULL, m->step);
	tok_add(o, &q->to.tag, "{F%u.to-tag}", NULL, m->step);
}


/* a value with placeholders for what the tokens stand for, into *sp */
int scengen_subst(char **sp, struct out *o, const char *p, size_t n)
{
	struct mbuf *mb = mbuf_alloc(n + 16);
	size_t i, k;
	int err;

	if (!mb)
		return ENOMEM;
	for (i = 0; i < n;) {
		const struct tok *best = NULL;

		for (k = 0; k < o->ntok; k++) {
			const struct tok *t = &o->tv[k];

			if (t->len <= n - i &&
			    !memcmp(p + i, t->val, t->len) &&
			    (!best || t->len > best->len))
				best = t;
		}
		if (best) {
			(void)mbuf_write_str(mb, best->ph);
			i += best->len;
		}
		else {
			(void)mbuf_write_u8(mb, (uint8_t)p[i++]);
		}
	}
	mb->pos = 0;
	err = mbuf_strdup(mb, sp, mb->end);
	mem_deref(mb);
	return err;
}


static bool is_ip(const struct pl *host)
{
	struct sa sa;

	return !sa_set(&sa, host, 0);
}


bool scengen_ood(const struct sip_msg *q)
{
	return q->req && !pl_isset(&q->to.tag) &&
	       pl_strcmp(&q->met, "ACK") && pl_strcmp(&q->met, "CANCEL");
}


bool scengen_has_sdp(const struct sip_msg *q)
{
	return mbuf_get_left(q->mb) &&
	       msg_ctype_cmp(&q->ctyp, "application", "sdp");
}


static void set_once(char *d, size_t sz, const struct pl *v)
{
	if (!d[0] && pl_isset(v))
		pl_strcpy(v, d, sz);
}


static void role_info(struct roleinfo *ri, const struct sgen *sg,
		      uint32_t k)
{
	size_t i;

	memset(ri, 0, sizeof(*ri));
	/* what it says of itself first: Contact, From, credentials */
	for (i = 0; i < sg->n; i++) {
		const struct sgm *m = &sg->mv[i];
		const struct sip_msg *q = m->msg;
		const struct sip_hdr *h;
		struct sip_addr ct;
		struct pl user;

		if (m->rtx_of >= 0 || m->g.src != k || m->relay ||
		    sg->rv[k].proxy)
			continue;
		h = sip_msg_hdr(q, SIP_HDR_CONTACT);
		if (h && !sip_addr_decode(&ct, &h->val))
			set_once(ri->user, sizeof(ri->user), &ct.uri.user);
		if (scengen_ood(q)) {
			set_once(ri->user, sizeof(ri->user),
				 &q->from.uri.user);
			set_once(ri->display, sizeof(ri->display),
				 &q->from.dname);
			if (!is_ip(&q->from.uri.host))
				set_once(ri->domain, sizeof(ri->domain),
					 &q->from.uri.host);
		}
		h = sip_msg_hdr(q, SIP_HDR_AUTHORIZATION);
		if (!h)
			h = sip_msg_hdr(q, SIP_HDR_PROXY_AUTHORIZATION);
		if (h && !re_regex(h->val.p, h->val.l, "username=\"[^\"]*\"",
				   &user))
			set_once(ri->auth, sizeof(ri->auth), &user);
	}
	/* then what others call it */
	for (i = 0; i < sg->n; i++) {
		const struct sgm *m = &sg->mv[i];
		const struct sip_msg *q = m->msg;

		if (m->rtx_of >= 0 || m->g.dst != k || !scengen_ood(q))
			continue;
		if (sg->rv[k].proxy && !m->relay && !is_ip(&q->uri.host))
			set_once(ri->domain, sizeof(ri->domain),
				 &q->uri.host);
		if (!sg->rv[k].proxy && pl_strcmp(&q->met, "REGISTER")) {
			set_once(ri->user, sizeof(ri->user), &q->to.uri.user);
			if (!is_ip(&q->to.uri.host))
				set_once(ri->domain, sizeof(ri->domain),
					 &q->to.uri.host);
		}
	}
}


/* the transport of the endpoint's hops: a request's top Via names the
 * one it travelled on (RFC 3261 §18.1.1); UDP when none shows */
static enum sip_transp role_tp(const struct sgen *sg, size_t ep)
{
	size_t i;

	for (i = 0; i < sg->n; i++) {
		const struct sgm *m = &sg->mv[i];

		if (m->g.req && m->msg && (m->g.src == ep || m->g.dst == ep))
			return m->msg->via.tp;
	}

	return SIP_TRANSP_UDP;
}


/* how many roles answered a challenge (their auth: user) */
static size_t nauth(const struct sgen *sg, const struct roleinfo *riv)
{
	size_t i, n = 0;

	for (i = 0; i < sg->nep; i++)
		n += riv[i].auth[0] != '\0';

	return n;
}


/* the variable a role's password is: password, or password-A when
 * several roles have one */
static const char *pw_var(char *buf, size_t sz, const struct sgen *sg,
			  const struct roleinfo *riv,
			  const struct scengen_role *r)
{
	if (nauth(sg, riv) > 1)
		(void)re_snprintf(buf, sz, "password-%s", r->name);
	else
		str_ncpy(buf, "password", sz);

	return buf;
}


/*
 * A capture has no passwords: each role that answered a challenge gets
 * a variable for its own (vars:), 'secret' by default, which self-play
 * accepts (the scripted registrar checks against the same role) and
 * `sipflow run --var password=…` (or a testbed's auth:) replaces.
 */
static int print_vars(struct out *o, const struct roleinfo *riv)
{
	struct re_printf *pf = o->pf;
	struct sgen *sg = o->sg;
	char pw[48];
	size_t i;
	int err;

	if (!nauth(sg, riv))
		return 0;

	err = re_hprintf(pf, "vars:    # not in the capture: sipflow run "
			 "--var NAME=VALUE, or a testbed's auth:\n");
	for (i = 0; i < sg->nep && !err; i++) {
		if (riv[i].auth[0])
			err = re_hprintf(pf, "  %s: secret    # %s's "
					 "password\n",
					 pw_var(pw, sizeof(pw), sg, riv,
						&sg->rv[i]), sg->rv[i].name);
	}

	return err;
}


static int print_roles(struct out *o, struct roleinfo *riv)
{
	struct re_printf *pf = o->pf;
	struct sgen *sg = o->sg;
	int err = re_hprintf(pf, "roles:\n");
	char pw[48];
	size_t i;

	for (i = 0; i < sg->nep && !err; i++) {
		const struct scengen_role *r = &sg->rv[i];
		const struct roleinfo *ri = &riv[i];

		err = re_hprintf(pf, "  %s: {kind: %s", r->name,
				 r->proxy ? "proxy" : "ua");
		if (ri->user[0])
			err |= re_hprintf(pf, ", user: ") |
			       scengen_yqs(pf, ri->user);
		if (ri->display[0])
			err |= re_hprintf(pf, ", display: ") |
			       scengen_yqs(pf, ri->display);
		if (ri->domain[0])
			err |= re_hprintf(pf, ", domain: ") |
			       scengen_yqs(pf, ri->domain);
		if (r->rr)
			err |= re_hprintf(pf, ", record-route: true");
		if (role_tp(sg, i) != SIP_TRANSP_UDP)
			err |= re_hprintf(pf, ", transport: %s",
					  role_tp(sg, i) == SIP_TRANSP_TLS ?
					  "tls" : "tcp");
		if (ri->auth[0])
			err |= re_hprintf(pf, ",\n      auth: {user: ") |
			       scengen_yqs(pf, ri->auth) |
			       re_hprintf(pf, ", password: \"${%s}\"}",
					  pw_var(pw, sizeof(pw), sg, riv, r));
		err |= re_hprintf(pf, "}    # %J %s\n", &sg->epv[i], r->why);
	}

	return err;
}


/* the header of the file: what it came from and how it was guessed */
static int print_head(struct out *o)
{
	struct re_printf *pf = o->pf;
	struct sgen *sg = o->sg;
	const char *base = strrchr(sg->path, '/');
	char name[128];
	size_t i, nsteps = 0;
	int err;

	base = base ? base + 1 : sg->path;
	str_ncpy(name, base, sizeof(name));
	for (i = 0; name[i]; i++) {
		if (name[i] == '.')
			name[i] = '\0';
		else if (!isalnum((unsigned char)name[i]) && name[i] != '-')
			name[i] = '-';
	}
	for (i = 0; i < sg->n; i++)
		nsteps += sg->mv[i].rtx_of < 0;

	err = re_hprintf(pf, "# Written by sipflow scenario from the capture "
			 "%s, ", sg->path);
	if (sg->call)
		err |= re_hprintf(pf, "call %u of %zu (Call-ID %s):\n",
				  sg->call, sg->ncalls, sg->callid);
	else
		err |= re_hprintf(pf, "all %zu call%s:\n", sg->ncalls,
				  sg->ncalls == 1 ? "" : "s");
	err |= re_hprintf(pf, "# %zu steps, one per message; %zu "
			  "retransmission%s absorbed.\n", nsteps, sg->nrtx,
			  sg->nrtx == 1 ? "" : "s");
	err |= re_hprintf(pf,
		"# Roles by address: the sender of the first INVITE is A, an "
		"endpoint that\n# relays requests (or registers, or "
		"challenges) a proxy, the others B, C ...\n"
		"# in order of appearance (sipflow scenario --roles "
		"NAME=ADDR overrides).\n"
		"# Call-IDs, tags, branches and nonces are not expected: "
		"they change\n# from run to run. A role's password is not in "
		"a capture: the\n# variable ${password} stands for it "
		"(vars: below).\n");
	err |= re_hprintf(pf, "scenario: %s\n", name);
	err |= re_hprintf(pf, "title: ") |
	       scengen_yqs(pf, name) | re_hprintf(pf, "\n");
	err |= re_hprintf(pf, "source: ") | scengen_yqs(pf, sg->path) |
	       re_hprintf(pf, "\n");
	err |= re_hprintf(pf, "tags: [captured]\n");

	return err;
}


int scengen_out(struct re_printf *pf, struct sgen *sg)
{
	struct out o = {.pf = pf, .sg = sg};
	struct roleinfo *riv;
	size_t i, k = 0;
	int err;

	for (i = 0; i < sg->n; i++)
		sg->mv[i].step = sg->mv[i].rtx_of < 0 ? (uint32_t)++k : 0;

	riv = mem_zalloc((sg->nep + 1) * sizeof(*riv), NULL);
	if (!riv)
		return ENOMEM;
	for (i = 0; i < sg->nep; i++)
		role_info(&riv[i], sg, (uint32_t)i);

	o.riv = riv;
	tok_roles(&o);
	err = print_head(&o);
	err |= print_vars(&o, riv);
	err |= print_roles(&o, riv);
	if (!err)
		err = scengen_steps(&o);
	mem_deref(riv);
	mem_deref(o.tv);

	return err ? err : o.err;
}
