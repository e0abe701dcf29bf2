/* capture/scengen_step.c — the steps of a scenario written from a capture
 * (scengen.c reads it): one per message, a wait: where the capture
 * paused, any-order groups (scengen_groups) where no causality fixes the
 * order; each step with what makes a scripted role send the same message
 * and what is expected of it when it arrives. */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scengen.h"
#include "scengen_priv.h"


enum { GAP_MS = 250 };    /* a pause longer than this is a wait: */

/* what a scripted ua writes in Allow of a new INVITE (agents/ua.c) */
static const char ua_allow[] =
	"INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, OPTIONS, INFO, UPDATE";


/* a request outside any dialog, whose Route the UA sets itself (an
 * outbound proxy's preloaded Route): a new request, a CANCEL, the ACK
 * of a non-2xx final response */
static bool outside(const struct out *o, const struct sgm *m)
{
	const struct sip_msg *q = m->msg;
	const struct sgen *sg = o->sg;
	size_t j;

	if (scengen_ood(q) || !pl_strcmp(&q->met, "CANCEL"))
		return true;
	if (pl_strcmp(&q->met, "ACK"))
		return false;
	for (j = 0; j < sg->n; j++) {
		const struct sgm *r = &sg->mv[j];

		if (!r->g.req && r->g.dst == m->g.src &&
		    r->g.call == m->g.call && r->g.cseq == m->g.cseq &&
		    r->g.scode >= 300)
			return true;
	}

	return false;
}


/* a REGISTER that keeps the From tag of an earlier one of its role's
 * where a scripted ua would take a new one: its REGISTER before it was
 * not challenged (a resubmission keeps the tag by itself) */
static bool reg_keeps_tag(const struct out *o, const struct sgm *m)
{
	const struct sgen *sg = o->sg;
	const struct sgm *last = NULL;
	bool kept = false;
	size_t j;

	if (pl_strcmp(&m->msg->met, "REGISTER") || !scengen_ood(m->msg))
		return false;
	for (j = 0; j < sg->n && &sg->mv[j] != m; j++) {
		const struct sgm *r = &sg->mv[j];

		if (r->rtx_of >= 0 || r->g.src != m->g.src ||
		    r->g.dst != m->g.dst || !r->g.req ||
		    strcmp(r->g.met, "REGISTER"))
			continue;
		last = r;
		kept |= !pl_cmp(&r->msg->from.tag, &m->msg->from.tag);
	}

	return kept && last && !scengen_challenged(sg, last);
}


/* the header's default value, which a scripted role writes itself */
static bool hdr_default(const struct out *o, const struct sgm *m,
			const struct sip_hdr *h)
{
	const struct sip_msg *q = m->msg;
	const struct roleinfo *ri = &o->riv[m->g.src];
	const struct scengen_role *r = &o->sg->rv[m->g.src];

	if (h->id == SIP_HDR_WWW_AUTHENTICATE ||
	    h->id == SIP_HDR_PROXY_AUTHENTICATE)
		return scengen_chal_default(h);
	if (h->id == SIP_HDR_AUTHORIZATION ||
	    h->id == SIP_HDR_PROXY_AUTHORIZATION)
		return scengen_ood(q);
	if (h->id == SIP_HDR_FROM)
		return !q->req || r->proxy || m->relay || !reg_keeps_tag(o, m);
	if (scengen_listed(scengen_stack_hdrs, SCENGEN_NSTACK, &h->name))
		return true;
	if (!pl_strcasecmp(&h->name, "Content-Type"))
		return scengen_has_sdp(q);
	if (!pl_strcasecmp(&h->name, "Allow"))
		return q->req && !pl_strcmp(&q->met, "INVITE") &&
		       scengen_ood(q) && !r->proxy &&
		       !pl_strcmp(&h->val, ua_allow);
	if (h->id == SIP_HDR_ROUTE)
		return !q->req || r->proxy || !outside(o, m);
	if (!pl_strcasecmp(&h->name, "Expires"))
		return q->req && !pl_strcmp(&q->met, "REGISTER") &&
		       !pl_strcmp(&h->val, "3600");
	if (h->id == SIP_HDR_CONTACT && !r->proxy) {
		struct sip_addr a;
		struct sa sa;

		if (sip_addr_decode(&a, &h->val) || pl_isset(&a.params) ||
		    pl_strcmp(&a.uri.user, ri->user) ||
		    sa_set(&sa, &a.uri.host, a.uri.port))
			return false;
		return sa_cmp(&sa, &o->sg->epv[m->g.src], SA_ALL);
	}

	return false;
}


/* headers: what the capture's message has beyond the defaults, with
 * placeholders for the values of earlier steps and the roles' addresses;
 * a name said more than once has its values joined, in order */
static int print_headers(struct out *o, const char *ind, const struct sgm *m)
{
	const struct sip_msg *q = m->msg;
	struct re_printf *pf = o->pf;
	struct le *le, *l2;
	unsigned n = 0;
	int err = 0;

	for (le = q->hdrl.head; le && !err; le = le->next) {
		const struct sip_hdr *h = le->data;
		struct mbuf *mb;
		char *v = NULL;
		bool first = true;

		if (hdr_default(o, m, h))
			continue;
		for (l2 = q->hdrl.head; l2 != le; l2 = l2->next) {
			const struct sip_hdr *e = l2->data;

			if (!pl_casecmp(&e->name, &h->name))
				first = false;
		}
		if (!first)
			continue;
		mb = mbuf_alloc(128);
		if (!mb)
			return ENOMEM;
		for (l2 = le; l2 && !err; l2 = l2->next) {
			const struct sip_hdr *e = l2->data;

			if (pl_casecmp(&e->name, &h->name))
				continue;
			err = scengen_subst(&v, o, e->val.p, e->val.l);
			if (!err)
				err = mbuf_printf(mb, "%s%s",
						  mb->end ? ", " : "", v);
			v = mem_deref(v);
		}
		err |= re_hprintf(pf, n++ ? ", " : "%sheaders: {", ind);
		err |= re_hprintf(pf, "%r: ", &h->name);
		err |= scengen_yq(pf, (char *)mb->buf, mb->end);
		mem_deref(mb);
	}
	/* a default the message does not have: removed */
	if (q->req && !pl_strcmp(&q->met, "REGISTER") &&
	    !o->sg->rv[m->g.src].proxy && !sip_msg_hdr(q, SIP_HDR_EXPIRES))
		err |= re_hprintf(pf, n++ ? ", Expires: null"
				  : "%sheaders: {Expires: null", ind);
	if (n)
		err |= re_hprintf(pf, "}\n");

	return err;
}


/* body: a body other than SDP, as sent (placeholders for values) */
static int print_body(struct out *o, const char *ind, const struct sgm *m)
{
	const struct sip_msg *q = m->msg;
	char *v = NULL;
	int err;

	if (!mbuf_get_left(q->mb) || scengen_has_sdp(q))
		return 0;
	err = scengen_subst(&v, o, (const char *)mbuf_buf(q->mb),
			    mbuf_get_left(q->mb));
	if (!err)
		err = re_hprintf(o->pf, "%sbody: ", ind) |
		      scengen_yqs(o->pf, v) | re_hprintf(o->pf, "\n");
	mem_deref(v);
	return err;
}


static bool uri_at_ip(const struct sip_msg *q)
{
	struct sa sa;

	return !sa_set(&sa, &q->uri.host, 0);
}


/* to-user: who a new request calls — the role whose user the
 * Request-URI names, else the user as written */
static int print_to_user(struct out *o, const char *ind, const struct sgm *m)
{
	const struct sip_msg *q = m->msg;
	const struct sgen *sg = o->sg;
	size_t i;

	if (!scengen_ood(q) || !pl_strcmp(&q->met, "REGISTER") ||
	    !pl_isset(&q->uri.user))
		return 0;
	/* at an address, not a domain: the user at the receiver's address
	 * (sip:service@PROXY), which a role's name would not give */
	for (i = 0; i < sg->nep && !uri_at_ip(q); i++) {
		if (i != m->g.src && !pl_strcmp(&q->uri.user, o->riv[i].user))
			return re_hprintf(o->pf, "%sto-user: %s\n", ind,
					  sg->rv[i].name);
	}

	return re_hprintf(o->pf, "%sto-user: ", ind) |
	       scengen_yq(o->pf, q->uri.user.p, q->uri.user.l) |
	       re_hprintf(o->pf, "\n");
}


/* a reason phrase a plain YAML scalar holds as it is */
static bool plain(const struct pl *r)
{
	size_t i;

	for (i = 0; i < r->l; i++) {
		if (!isalnum((unsigned char)r->p[i]) &&
		    !strchr(" .'()/-", r->p[i]))
			return false;
	}

	return r->l > 0 && r->p[0] != ' ';
}


/* the request step (index into sv) that a response answers or a relayed
 * request passes on: the latest of its transaction that came the other
 * way (a response) or into the proxy (a relay); -1 if none */
static long txn_of(const struct sgm *const *sv, size_t i)
{
	const struct sgm *m = sv[i];
	size_t j;

	for (j = i; j-- > 0;) {
		const struct sgm *r = sv[j];

		if (!r->g.req || r->g.call != m->g.call ||
		    r->g.cseq != m->g.cseq || strcmp(r->g.met, m->g.met))
			continue;
		if (!m->g.req && r->g.src == m->g.dst &&
		    r->g.dst == m->g.src)
			return (long)j;
		if (m->g.req && r->g.dst == m->g.src &&
		    r->g.src != m->g.dst)
			return (long)j;
	}

	return -1;
}


/* the request step a response step i would answer without answers:
 * (engine/load/assoc.c: the latest request the other way its status
 * fits that no final response closed, else, for a 2xx, the latest such
 * INVITE); -1 if none */
static long default_assoc(const struct sgm *const *sv, size_t i)
{
	const struct sgm *m = sv[i];
	long fallback = -1;
	size_t j, k;

	for (j = i; j-- > 0;) {
		const struct sgm *r = sv[j];
		bool closed = false;

		if (!r->g.req || r->g.src != m->g.dst ||
		    r->g.dst != m->g.src ||
		    !strcmp(r->g.met, "ACK") ||
		    (m->g.scode > 100 && m->g.scode < 200 &&
		     strcmp(r->g.met, "INVITE")) ||
		    (m->g.scode == 487 && !strcmp(r->g.met, "CANCEL")))
			continue;
		for (k = j + 1; k < i && !closed; k++)
			closed = !sv[k]->g.req && sv[k]->g.scode >= 200 &&
				 txn_of(sv, k) == (long)j;
		if (!closed)
			return (long)j;
		if (fallback < 0 && m->g.scode >= 200 && m->g.scode < 300 &&
		    !strcmp(r->g.met, "INVITE"))
			fallback = (long)j;
	}

	return fallback;
}


/* the latest request step before i into 'to' from another endpoint than
 * 'next', -1 if none */
static long last_in(const struct sgm *const *sv, size_t i, uint32_t to,
		    uint32_t next)
{
	size_t j;

	for (j = i; j-- > 0;) {
		if (sv[j]->g.req && sv[j]->g.dst == to &&
		    sv[j]->g.src != next && strcmp(sv[j]->g.met, "ACK"))
			return (long)j;
	}

	return -1;
}


/* has a step before i passed request step t on? */
static bool relayed_before(const struct sgm *const *sv, size_t i, long t)
{
	size_t j;

	for (j = (size_t)t + 1; j < i; j++) {
		if (sv[j]->g.req && sv[j]->relay &&
		    sv[j]->g.src == sv[t]->g.dst &&
		    txn_of(sv, j) == t)
			return true;
	}

	return false;
}


/* answers: or forwards: where the loader's default (the latest request
 * that way) would pick another request */
static int print_txn(struct out *o, const char *ind,
		     const struct sgm *const *sv, size_t i)
{
	const struct sgm *m = sv[i];
	long t = txn_of(sv, i), l;

	if (t < 0 || (m->g.req && (!m->relay || !strcmp(m->g.met, "ACK"))))
		return 0;
	if (m->g.req && relayed_before(sv, i, t))
		return re_hprintf(o->pf, "%sforwards: F%u\n", ind,
				  sv[t]->step);
	if (!m->g.req && !m->relay && o->sg->rv[m->g.src].proxy &&
	    relayed_before(sv, i, t))
		return re_hprintf(o->pf, "%sanswers: F%u\n", ind,
				  sv[t]->step);
	if (m->g.req) {
		l = last_in(sv, i, m->g.src, m->g.dst);
		return l == t ? 0 : re_hprintf(o->pf, "%sforwards: F%u\n",
					       ind, sv[t]->step);
	}
	l = default_assoc(sv, i);

	return l == t ? 0 : re_hprintf(o->pf, "%sanswers: F%u\n", ind,
				       sv[t]->step);
}


/* dialog: where a UA has more than one dialog to choose from (a
 * capture with INVITEs in several calls, or a re-INVITE): its INVITEs
 * name the call's dialog, its requests inside one name the one they
 * belong to */
static int print_dialog(struct out *o, const char *ind,
			const struct sgm *const *sv, size_t i, size_t n)
{
	const struct sgm *m = sv[i];
	const struct sip_msg *q = m->msg;
	uint32_t calls = 0, last = UINT32_MAX;
	bool reinv = false, invited = false;
	size_t j;

	/* a relayed INVITE names it too: its receiver's side of the
	 * dialog takes the name from the request it answers */
	if (!m->g.req || !strcmp(m->g.met, "ACK") ||
	    !strcmp(m->g.met, "CANCEL") ||
	    (scengen_ood(q) && strcmp(m->g.met, "INVITE")) ||
	    (!scengen_ood(q) && (m->relay || o->sg->rv[m->g.src].proxy)))
		return 0;
	for (j = 0; j < n; j++) {
		const struct sip_msg *r = sv[j]->msg;

		if (!r->req || pl_strcmp(&r->met, "INVITE") || sv[j]->relay ||
		    o->sg->rv[sv[j]->g.src].proxy)
			continue;
		if (sv[j]->g.call != last) {
			++calls;
			last = sv[j]->g.call;
		}
		reinv |= sv[j]->g.call == m->g.call && pl_isset(&r->to.tag);
		invited |= sv[j]->g.call == m->g.call;
	}
	if ((calls < 2 && !reinv) || !invited)
		return 0;

	return re_hprintf(o->pf, "%sdialog: d%u\n", ind, m->g.call + 1);
}


static int print_step(struct out *o, const struct sgm *const *sv, size_t i,
		      size_t n, bool grouped, uint32_t timeout_ms)
{
	const struct sgm *m = sv[i];
	const char *ind = grouped ? "        " : "    ";
	const struct sip_msg *q = m->msg;
	const struct sgen *sg = o->sg;
	struct re_printf *pf = o->pf;
	int err;

	err = re_hprintf(pf, "%s- F%u: ", grouped ? "      " : "  ", m->step);
	if (q->req)
		err |= re_hprintf(pf, "%r", &q->met);
	else if (plain(&q->reason))
		err |= re_hprintf(pf, "%u %r", q->scode, &q->reason);
	else
		err |= re_hprintf(pf, "%u", q->scode);
	err |= re_hprintf(pf, " %s -> %s", sg->rv[m->g.src].name,
			  sg->rv[m->g.dst].name);
	if (m->copies > 1)
		err |= re_hprintf(pf, "    # frame %u, %u copies", m->frame,
				  m->copies);
	else
		err |= re_hprintf(pf, "    # frame %u", m->frame);
	err |= re_hprintf(pf, "\n");

	if (!m->relay && !sg->rv[m->g.src].proxy)
		err |= print_to_user(o, ind, m);
	err |= print_txn(o, ind, sv, i);
	err |= print_dialog(o, ind, sv, i, n);
	if (!q->req && q->scode < 200)
		err |= re_hprintf(pf, "%soptional: true\n", ind);
	if (timeout_ms)
		err |= re_hprintf(pf, "%stimeout: %ums\n", ind, timeout_ms);
	if (m->answered > 1)
		err |= re_hprintf(pf, "%slose: %u\n", ind,
				  min(m->answered - 1, 64u));
	if (!m->relay) {
		err |= scengen_print_auth(o, ind, sv, i);
		err |= scengen_print_sdp(o, ind, m);
		err |= print_headers(o, ind, m);
		err |= print_body(o, ind, m);
	}

	return err | scengen_print_expect(o, ind, m);
}


static int mb_print(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}


/* step i as written (an any-order: line first, the wait: of wait_ms
 * before the next step after it) into a chunk of its own: a repeated
 * exchange starts with its first message and ends with its pause */
static int chunk_step(struct out *o, struct scengen_chunk *c,
		      const struct sgm *const *sv, size_t i, size_t n,
		      bool grouped, unsigned wait_ms, bool starts,
		      uint32_t timeout_ms)
{
	struct mbuf *mb = mbuf_alloc(512);
	struct re_printf pf = {mb_print, mb}, *top = o->pf;
	int err;

	if (!mb)
		return ENOMEM;
	o->pf = &pf;
	err = grouped && starts ? re_hprintf(&pf, "  - any-order:\n") : 0;
	err |= print_step(o, sv, i, n, grouped, timeout_ms);
	if (wait_ms)
		err |= re_hprintf(&pf, "  - wait: %ums\n", wait_ms);
	o->pf = top;
	c->step = sv[i]->step;
	c->grouped = grouped;
	if (!err) {
		mbuf_set_pos(mb, 0);
		err = mbuf_strdup(mb, &c->text, mb->end);
	}
	mem_deref(mb);

	return err;
}


/**
 * The steps: a wait: where the capture paused longer than GAP_MS (a
 * timeout: instead where the pause followed a message resent for want
 * of an answer: the timers made it), any-order groups by scengen_groups.
 */
int scengen_steps(struct out *o)
{
	struct sgen *sg = o->sg;
	struct scengen_msg *gv;
	const struct sgm **sv;
	struct scengen_chunk *cv = NULL;
	uint32_t *first, *tmo;
	double *gapv;
	bool *brk;
	size_t i, n = 0;
	int err = 0;

	gv = mem_zalloc((sg->n + 1) * sizeof(*gv), NULL);
	sv = mem_zalloc((sg->n + 1) * sizeof(*sv), NULL);
	first = mem_zalloc((sg->n + 1) * sizeof(*first), NULL);
	tmo = mem_zalloc((sg->n + 1) * sizeof(*tmo), NULL);
	brk = mem_zalloc((sg->n + 1) * sizeof(*brk), NULL);
	gapv = mem_zalloc((sg->n + 1) * sizeof(*gapv), NULL);
	if (!gv || !sv || !first || !tmo || !brk || !gapv) {
		err = ENOMEM;
		goto out;
	}

	for (i = 0; i < sg->n; i++) {
		if (sg->mv[i].rtx_of >= 0)
			continue;
		sv[n] = &sg->mv[i];
		gv[n] = sg->mv[i].g;
		n++;
	}
	for (i = 1; i < n; i++) {
		/* after a copy lost and resent, from the copy answered */
		double gap = sv[i]->t - (sv[i - 1]->answered ?
					 sv[i - 1]->tlast : sv[i - 1]->t);

		if (gap * 1000 < GAP_MS)
			continue;
		brk[i] = true;
		gapv[i] = gap;
		/* a device may take longer than the capture's peer */
		if (gap > 4)
			tmo[i] = (uint32_t)(gap * 1000) * 5 / 4 + 1000;
	}
	scengen_groups(first, gv, brk, n);

	cv = mem_zalloc((n + 1) * sizeof(*cv), NULL);
	if (!cv) {
		err = ENOMEM;
		goto out;
	}
	err = re_hprintf(o->pf, "steps:\n");
	for (i = 0; i < n && !err; i++) {
		bool grouped = (i + 1 < n && first[i + 1] == first[i]) ||
			       first[i] != i;

		if (i == 0 && brk[0])
			err = re_hprintf(o->pf, "  - wait: %ums\n",
					 (unsigned)(gapv[0] * 1000 + 0.5));
		err |= chunk_step(o, &cv[i], sv, i, n, grouped,
				  i + 1 < n && brk[i + 1] ?
				  (unsigned)(gapv[i + 1] * 1000 + 0.5) : 0,
				  first[i] == i, tmo[i]);
		scengen_tok_step(o, sv[i]);
	}
	if (!err)
		err = scengen_print_repeats(o->pf, cv, n);
	for (i = 0; cv && i < n; i++)
		mem_deref(cv[i].text);
	mem_deref(cv);

 out:
	mem_deref(gv);
	mem_deref(sv);
	mem_deref(first);
	mem_deref(tmo);
	mem_deref(brk);
	mem_deref(gapv);
	return err ? err : o->err;
}
