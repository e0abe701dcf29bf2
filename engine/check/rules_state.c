/* engine/check/rules_state.c — rule checks that compare a message with the one
 * it answers or forwards, or with earlier ones (RFC 3261 §8.2.6, §9.1,
 * §12, §16). The table that names them is in rules.c. */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "hdr.h"
#include "ledger.h"
#include "rules.h"
#include "rules_checks.h"


/* every value of a header, in message order: an array sized by their
 * number (no cut: a long list is read to its end) */
struct vals {
	const struct pl **v;
	unsigned n, size;
};


static bool collect_h(const struct pl *val, void *arg)
{
	struct vals *vs = arg;

	if (vs->n < vs->size)
		vs->v[vs->n++] = val;
	return false;
}


/* 0, or ENOMEM; vs->v is the caller's to mem_deref */
static int values(struct vals *vs, const struct sip_msg *m,
		  const char *name)
{
	vs->n = 0;
	vs->size = hdr_count(m, name);
	vs->v = vs->size ? mem_zalloc(vs->size * sizeof(*vs->v), NULL) : NULL;
	if (vs->size && !vs->v)
		return ENOMEM;

	hdr_apply(m, name, collect_h, vs);
	return 0;
}


/* the values of a header in two messages; 0, or ENOMEM with nothing
 * left to free (the rule then says nothing of the message) */
static int values2(struct vals *a, const struct sip_msg *ma,
		   struct vals *b, const struct sip_msg *mb,
		   const char *name)
{
	int err = values(a, ma, name);

	if (!err)
		err = values(b, mb, name);
	if (err) {
		a->v = mem_deref(a->v);
		a->n = b->n = 0;
	}

	return err;
}


/* the same Via, but for received/rport a next hop may have added */
static bool same_via(const struct pl *a, const struct pl *b)
{
	struct sip_via va, vb;

	/* the same bytes: the same Via, decoded or not (see below) */
	if (!pl_cmp(a, b))
		return true;
	if (sip_via_decode(&va, a) || sip_via_decode(&vb, b))
		return !pl_cmp(a, b);

	return va.tp == vb.tp && !pl_cmp(&va.sentby, &vb.sentby) &&
	       !pl_cmp(&va.branch, &vb.branch);
}


/* §8.2.6.2, §16.7 step 3: the response's Vias are the request's */
bool chk_resp_via(const struct rulectx *c, char **bad)
{
	struct vals a, b;
	bool hit = false;
	unsigned i;

	if (c->m->req || !c->req ||
	    values2(&a, c->req->msg, &b, c->m, "Via"))
		return false;

	for (i = 0; i < a.n && i < b.n && !hit; i++) {
		if (!same_via(a.v[i], b.v[i])) {
			re_sdprintf(bad, "Via: %r (the request had %r)",
				    b.v[i], a.v[i]);
			hit = true;
		}
	}
	if (!hit && a.n != b.n) {
		re_sdprintf(bad, "%u Via values (the request had %u)", b.n,
			    a.n);
		hit = true;
	}

	mem_deref(a.v);
	mem_deref(b.v);
	return hit;
}


/* the same URI, but for the case of scheme and host (RFC 3261 §19.1.4
 * compares them case-insensitively); the URIs as written */
static bool same_uri(const struct pl *a, const struct pl *b)
{
	struct uri ua, ub;

	if (!pl_cmp(a, b))
		return true;
	if (uri_decode(&ua, a) || uri_decode(&ub, b))
		return false;

	return !pl_casecmp(&ua.scheme, &ub.scheme) &&
	       !pl_cmp(&ua.user, &ub.user) &&
	       !pl_casecmp(&ua.host, &ub.host) && ua.port == ub.port &&
	       !pl_cmp(&ua.params, &ub.params) &&
	       !pl_cmp(&ua.headers, &ub.headers);
}


/* §8.2.6.2: Call-ID, CSeq, From and To copied from the request; From and
 * To are equal when their URIs and tags are (§20.20: display name and
 * angle brackets do not matter) */
bool chk_resp_ids(const struct rulectx *c, char **bad)
{
	const struct sip_msg *q;

	if (c->m->req || !c->req)
		return false;
	q = c->req->msg;

	if (pl_cmp(&q->callid, &c->m->callid)) {
		re_sdprintf(bad, "Call-ID: %r (the request had %r)",
			    &c->m->callid, &q->callid);
		return true;
	}
	if (!same_uri(&q->from.auri, &c->m->from.auri) ||
	    pl_cmp(&q->from.tag, &c->m->from.tag)) {
		re_sdprintf(bad, "From: %r (the request had %r)",
			    &c->m->from.val, &q->from.val);
		return true;
	}
	if (q->cseq.num != c->m->cseq.num ||
	    pl_cmp(&q->cseq.met, &c->m->cseq.met)) {
		re_sdprintf(bad, "CSeq: %u %r (the request had %u %r)",
			    c->m->cseq.num, &c->m->cseq.met, q->cseq.num,
			    &q->cseq.met);
		return true;
	}
	if (!same_uri(&q->to.auri, &c->m->to.auri) ||
	    (pl_isset(&q->to.tag) && pl_cmp(&q->to.tag, &c->m->to.tag))) {
		re_sdprintf(bad, "To: %r (the request had %r)", &c->m->to.val,
			    &q->to.val);
		return true;
	}

	return false;
}


/* a value as written, without the blanks around it */
static struct pl trimmed(const struct pl *v)
{
	struct pl t = *v;

	while (t.l && (t.p[0] == ' ' || t.p[0] == '\t')) {
		t.p++;
		t.l--;
	}
	while (t.l && (t.p[t.l - 1] == ' ' || t.p[t.l - 1] == '\t'))
		t.l--;

	return t;
}


/*
 * §12.1.1: a UAS copies every Record-Route value of the request into a
 * response that establishes a dialog (1xx with a To tag, 2xx, to
 * INVITE: §12.1), keeping their order. The receiver compares with the
 * request it sent: proxies past it added their values above those
 * (§16.6 step 4), so the response's values end with the request's, in
 * order (RFC 3665 §3.2 F10, F13).
 */
bool chk_rr_echo(const struct rulectx *c, char **bad)
{
	struct vals a, b;
	bool hit = false;
	unsigned i, off;

	if (c->m->req || !c->req || c->m->scode <= 100 ||
	    c->m->scode >= 300 || pl_strcmp(&c->m->cseq.met, "INVITE") ||
	    !pl_isset(&c->m->to.tag) ||
	    values2(&a, c->req->msg, &b, c->m, "Record-Route"))
		return false;

	if (b.n < a.n) {
		re_sdprintf(bad, "%u Record-Route values (the request had "
			    "%u)", b.n, a.n);
		hit = true;
	}
	off = hit ? 0 : b.n - a.n;
	for (i = 0; i < a.n && !hit; i++) {
		struct pl x = trimmed(a.v[i]), y = trimmed(b.v[off + i]);

		hit = pl_cmp(&x, &y) != 0;
		if (hit)
			re_sdprintf(bad, "Record-Route value %u is %r (the "
				    "request's value %u was %r)", off + i + 1,
				    &y, i + 1, &x);
	}

	mem_deref(a.v);
	mem_deref(b.v);
	return hit;
}


/* a request a proxy forwards (§16.6), not one it makes: a CANCEL is
 * made hop by hop (§16.10 builds it as §9.1 does) */
static bool forwarded(const struct rulectx *c)
{
	return c->m->req && c->ant && pl_strcmp(&c->m->met, "CANCEL");
}


/* §16.6 step 3 */
bool chk_proxy_maxfwd(const struct rulectx *c, char **bad)
{
	uint32_t in, out;

	if (!forwarded(c) || !pl_isset(&c->ant->msg->maxfwd))
		return false;

	in = pl_u32(&c->ant->msg->maxfwd);
	out = pl_u32(&c->m->maxfwd);
	if (pl_isset(&c->m->maxfwd) && in && out == in - 1)
		return false;

	re_sdprintf(bad, "Max-Forwards: %r (received %u)", &c->m->maxfwd,
		    in);
	return true;
}


/* §16.6 step 8: one Via pushed, the received ones kept below it */
bool chk_proxy_via(const struct rulectx *c, char **bad)
{
	struct vals a, b;
	struct sip_via top;
	bool hit;

	if (!forwarded(c) || values2(&a, c->ant->msg, &b, c->m, "Via"))
		return false;

	hit = !(b.n == a.n + 1 && a.n &&
		!sip_via_decode(&top, b.v[1]) &&
		!pl_cmp(&top.branch, &c->ant->msg->via.branch) &&
		pl_cmp(&c->m->via.branch, &c->ant->msg->via.branch));
	if (hit)
		re_sdprintf(bad, "%u Via values, top branch %r (received %u, "
			    "top branch %r)", b.n, &c->m->via.branch, a.n,
			    &c->ant->msg->via.branch);

	mem_deref(a.v);
	mem_deref(b.v);
	return hit;
}


/* §9.1: CANCEL has the INVITE's Request-URI and branch */
bool chk_cancel(const struct rulectx *c, char **bad)
{
	struct le *le;

	if (!c->m->req || pl_strcmp(&c->m->met, "CANCEL") || !c->rcv)
		return false;

	for (le = c->rcv->rx.tail; le; le = le->prev) {
		const struct msgrec *o = le->data;

		if (!o->msg || !o->msg->req || o->from != c->r->from ||
		    pl_strcmp(&o->msg->met, "INVITE") ||
		    pl_cmp(&o->msg->callid, &c->m->callid) ||
		    o->msg->cseq.num != c->m->cseq.num)
			continue;

		if (!pl_cmp(&o->msg->via.branch, &c->m->via.branch) &&
		    !pl_cmp(&o->msg->ruri, &c->m->ruri))
			return false;

		re_sdprintf(bad, "CANCEL %r branch %r (INVITE %r branch %r)",
			    &c->m->ruri, &c->m->via.branch, &o->msg->ruri,
			    &o->msg->via.branch);
		return true;
	}

	return false;
}


/* §12.2.1.1: each new request in a dialog has a higher CSeq */
bool chk_cseq_increase(const struct rulectx *c, char **bad)
{
	struct le *le;

	if (!c->m->req || !pl_isset(&c->m->to.tag) || !c->rcv ||
	    !pl_strcmp(&c->m->met, "ACK") ||
	    !pl_strcmp(&c->m->met, "CANCEL"))
		return false;

	for (le = c->rcv->rx.tail; le; le = le->prev) {
		const struct msgrec *o = le->data;

		if (o == c->r || !o->msg || !o->msg->req || o->retrans ||
		    o->from != c->r->from)
			continue;
		if (pl_cmp(&o->msg->callid, &c->m->callid) ||
		    pl_cmp(&o->msg->from.tag, &c->m->from.tag) ||
		    !pl_strcmp(&o->msg->met, "ACK") ||
		    !pl_strcmp(&o->msg->met, "CANCEL"))
			continue;

		if (c->m->cseq.num > o->msg->cseq.num)
			return false;

		re_sdprintf(bad, "CSeq: %u %r (an earlier %r had %u)",
			    c->m->cseq.num, &c->m->cseq.met, &o->msg->met,
			    o->msg->cseq.num);
		return true;
	}

	return false;
}


/* §16.6 step 4: the Record-Route values a proxy put above those of the
 * request it received: sip or sips URIs with lr */
bool chk_rr_lr(const struct rulectx *c, char **bad)
{
	struct vals a, b;
	bool hit = false;
	unsigned i;

	if (!forwarded(c) ||
	    values2(&a, c->ant->msg, &b, c->m, "Record-Route"))
		return false;

	for (i = 0; b.n > a.n && i < b.n - a.n && !hit; i++) {
		struct sip_addr addr;
		struct pl lr;

		hit = sip_addr_decode(&addr, b.v[i]) ||
		      (pl_strcasecmp(&addr.uri.scheme, "sip") &&
		       pl_strcasecmp(&addr.uri.scheme, "sips")) ||
		      msg_param_exists(&addr.uri.params, "lr", &lr);
		if (hit)
			re_sdprintf(bad, "Record-Route: %r", b.v[i]);
	}

	mem_deref(a.v);
	mem_deref(b.v);
	return hit;
}
