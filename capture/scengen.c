/* capture/scengen.c — read a capture for a scenario: every SIP message
 * decoded (libre), endpoints by address (a TCP connection's far port
 * folded into the address its Via names), calls by Call-ID, the call
 * asked for kept, retransmissions absorbed into the message they copy,
 * the relays marked; then the roles guessed (scengen_guess.c) and the
 * scenario written (scengen_out.c). docs/capture-to-scenario.md */
#include <string.h>
#include <re.h>
#include "pcapr.h"
#include "diff.h"
#include "diff_priv.h"
#include "scengen.h"
#include "scengen_priv.h"


static uint32_t endpoint(struct sgen *sg, const struct sa *sa)
{
	size_t i;

	for (i = 0; i < sg->nep; i++) {
		if (sa_cmp(&sg->epv[i], sa, SA_ALL))
			return (uint32_t)i;
	}

	sg->err = diff_grow((void **)&sg->epv, &sg->epcap,
			    (uint32_t)sg->nep + 1, sizeof(*sg->epv));
	if (sg->err)
		return 0;
	sg->epv[sg->nep] = *sa;
	return (uint32_t)sg->nep++;
}


/* a Call-ID seen, with its number in order of first sight */
struct callent {
	struct le he;
	char *id;
	uint32_t idx;
};


static void callent_destructor(void *data)
{
	struct callent *ce = data;

	hash_unlink(&ce->he);
	mem_deref(ce->id);
}


static bool callent_cmp(struct le *le, void *arg)
{
	const struct callent *ce = le->data;

	return !pl_strcmp(arg, ce->id);
}


/* the call's number (0-based) in order of first sight, kept in a hash:
 * a capture of many calls costs one lookup a message */
static uint32_t call_index(struct sgen *sg, const struct pl *callid)
{
	uint32_t key = hash_joaat_pl(callid);
	struct callent *ce;
	struct le *le;

	le = hash_lookup(sg->callht, key, callent_cmp, (void *)callid);
	if (le)
		return ((struct callent *)le->data)->idx;

	ce = mem_zalloc(sizeof(*ce), callent_destructor);
	if (!ce || pl_strdup(&ce->id, callid)) {
		mem_deref(ce);
		sg->err = ENOMEM;
		return 0;
	}
	ce->idx = (uint32_t)sg->ncalls++;
	hash_append(sg->callht, key, &ce->he, ce);
	if (ce->idx + 1 == sg->want)
		sg->callid = mem_ref(ce->id);

	return ce->idx;
}


static void msg_h(const struct pcapr_msg *pm, void *arg)
{
	struct sgen *sg = arg;
	struct sip_msg *msg = NULL;
	struct mbuf *mb;
	struct sgm *m;
	uint32_t call;

	if (sg->err || !pl_isset(&pm->sip.callid))
		return;

	/* the scanner's Call-ID picks the call before anything is decoded:
	 * a capture of many calls costs a lookup for the others */
	call = call_index(sg, &pm->sip.callid);
	if (sg->err || (sg->want && call + 1 != sg->want))
		return;
	if (sg->n >= SCENGEN_MAX_MSGS) {
		++sg->over;
		return;
	}

	mb = mbuf_alloc(pm->len);
	if (!mb) {
		sg->err = ENOMEM;
		return;
	}
	(void)mbuf_write_mem(mb, pm->p, pm->len);
	mb->pos = 0;
	if (sip_msg_decode(&msg, mb) || !pl_isset(&msg->cseq.met)) {
		mem_deref(msg);
		mem_deref(mb);
		return;        /* libre would not take it: nothing to play */
	}
	mem_deref(mb);

	sg->err = diff_grow((void **)&sg->mv, &sg->cap, (uint32_t)sg->n + 1,
			    sizeof(*sg->mv));
	if (sg->err) {
		mem_deref(msg);
		return;
	}

	if (!sg->n)
		sg->t0 = pm->ts;
	m = &sg->mv[sg->n++];
	memset(m, 0, sizeof(*m));
	m->msg = msg;
	m->g.call = call;
	m->frame = pm->frame;
	m->t = (double)(pm->ts.tv_sec - sg->t0.tv_sec) +
	       (double)(pm->ts.tv_usec - sg->t0.tv_usec) / 1e6;
	m->tcp = pm->tcp;
	m->rtx_of = -1;
	m->tlast = m->t;
	m->copies = 1;
	msg->src = pm->src;
	msg->dst = pm->dst;
}


/* a TCP connection's far end (the port its system chose) is the endpoint
 * its Via names when that has the same IP address: one role, not two */
static void fold_tcp(struct sgen *sg)
{
	size_t i, j;

	for (i = 0; i < sg->n; i++) {
		struct sip_msg *q = sg->mv[i].msg;
		struct sa via = q->via.addr, far;

		if (!sg->mv[i].tcp || !q->req)
			continue;
		if (!sa_port(&via))
			sa_set_port(&via, q->via.tp == SIP_TRANSP_TLS ?
				    5061 : 5060);
		if (!sa_cmp(&via, &q->src, SA_ADDR) ||
		    sa_cmp(&via, &q->src, SA_ALL))
			continue;
		/* every message from or to that port is the listener's */
		far = q->src;
		for (j = 0; j < sg->n; j++) {
			struct sip_msg *o = sg->mv[j].msg;

			if (!sg->mv[j].tcp)
				continue;
			if (sa_cmp(&o->src, &far, SA_ALL))
				o->src = via;
			if (sa_cmp(&o->dst, &far, SA_ALL))
				o->dst = via;
		}
	}
}


static bool same_copy(const struct sgm *a, const struct sgm *b)
{
	const struct sip_msg *x = a->msg, *y = b->msg;

	if (a->g.src != b->g.src || a->g.dst != b->g.dst || x->req != y->req)
		return false;
	if (pl_cmp(&x->callid, &y->callid) || x->cseq.num != y->cseq.num ||
	    pl_cmp(&x->cseq.met, &y->cseq.met) ||
	    pl_cmp(&x->via.branch, &y->via.branch))
		return false;
	if (x->req)
		return !pl_cmp(&x->met, &y->met);

	return x->scode == y->scode && !pl_cmp(&x->to.tag, &y->to.tag);
}


/* whether b answers a: a response to request a, or the ACK of final
 * response a (what stops a's retransmissions) */
static bool answers(const struct sgm *a, const struct sgm *b)
{
	const struct sip_msg *x = a->msg, *y = b->msg;

	if (b->g.src != a->g.dst || b->g.dst != a->g.src ||
	    pl_cmp(&x->callid, &y->callid))
		return false;
	if (x->req)
		return !y->req && y->cseq.num == x->cseq.num &&
		       !pl_cmp(&y->cseq.met, &x->cseq.met);

	return x->scode >= 200 && y->req && !pl_strcmp(&y->met, "ACK") &&
	       y->cseq.num == x->cseq.num;
}


static void absorb(struct sgen *sg)
{
	size_t i, j;

	for (i = 0; i < sg->n; i++) {
		struct sgm *m = &sg->mv[i];

		for (j = i; j-- > 0;) {
			struct sgm *o = &sg->mv[j];

			if (o->rtx_of < 0 && !m->tcp && same_copy(o, m)) {
				m->rtx_of = (long)j;
				++o->copies;
				if (!o->answered)
					o->tlast = m->t;
				++sg->nrtx;
				break;
			}
		}
		if (m->rtx_of >= 0)
			continue;
		for (j = 0; j < i; j++) {
			struct sgm *o = &sg->mv[j];

			if (o->rtx_of < 0 && !o->answered && answers(o, m))
				o->answered = o->copies;
		}
	}
}


/* a proxy passing on what it received: a request relayed (one Via more,
 * the guess's test) or a response to such a request (one Via fewer) */
static void mark_relays(struct sgen *sg)
{
	size_t i, j;

	for (i = 0; i < sg->n; i++) {
		struct sgm *m = &sg->mv[i];

		if (m->rtx_of >= 0)
			continue;
		for (j = i; j-- > 0;) {
			const struct sgm *o = &sg->mv[j];

			if (o->rtx_of >= 0 || o->g.dst != m->g.src ||
			    o->g.src == m->g.dst || o->g.req != m->g.req ||
			    o->g.call != m->g.call || o->g.cseq != m->g.cseq ||
			    strcmp(o->g.met, m->g.met))
				continue;
			if (m->g.req ? m->g.nvia == o->g.nvia + 1
			    : (m->g.nvia + 1 == o->g.nvia &&
			       m->g.scode == o->g.scode)) {
				m->relay = true;
				break;
			}
		}
	}
}


static int given_roles(struct sgen *sg, const struct scengen_opts *o,
		       char **why)
{
	size_t i, k;

	for (i = 0; i < o->nroles; i++) {
		const struct scengen_given *gv = &o->roles[i];
		bool found = false;

		for (k = 0; k < sg->nep; k++) {
			if (!sa_cmp(&sg->epv[k], &gv->addr,
				    gv->port ? SA_ALL : SA_ADDR))
				continue;
			str_ncpy(sg->rv[k].name, gv->name,
				 sizeof(sg->rv[k].name));
			sg->rv[k].given = true;
			sg->rv[k].why = "given by --roles";
			found = true;
		}
		if (!found) {
			(void)re_sdprintf(why, "--roles %s=%J: no message of "
					  "the capture%s comes from or goes "
					  "to that address", gv->name,
					  &gv->addr,
					  sg->call ? "'s call" : "");
			return ENOENT;
		}
	}

	return 0;
}


static void sgen_destructor(void *data)
{
	struct sgen *sg = data;
	size_t i;

	for (i = 0; i < sg->n; i++)
		mem_deref(sg->mv[i].msg);
	hash_flush(sg->callht);
	mem_deref(sg->callht);
	mem_deref(sg->callid);
	mem_deref(sg->mv);
	mem_deref(sg->epv);
	mem_deref(sg->rv);
}


/* keep the messages of the call asked for; give the rest their numbers */
static int analyse(struct sgen *sg, const struct scengen_opts *o, char **why)
{
	struct scengen_msg *gv;
	size_t i, k = 0;
	int err;

	fold_tcp(sg);
	if (o->call > sg->ncalls) {
		(void)re_sdprintf(why, "--call %u: the capture has %zu "
				  "call%s (by Call-ID, 1 to %zu)", o->call,
				  sg->ncalls, sg->ncalls == 1 ? "" : "s",
				  sg->ncalls);
		return ERANGE;
	}
	sg->call = o->call;

	for (i = 0; i < sg->n; i++) {
		struct sgm *m = &sg->mv[i];
		struct sip_msg *q = m->msg;

		m->g.src = endpoint(sg, &q->src);
		m->g.dst = endpoint(sg, &q->dst);
		m->g.req = q->req;
		m->g.scode = q->scode;
		m->g.cseq = q->cseq.num;
		m->g.nvia = sip_msg_hdr_count(q, SIP_HDR_VIA);
		m->g.nrr = sip_msg_hdr_count(q, SIP_HDR_RECORD_ROUTE);
		m->g.t_ms = (uint32_t)(m->t * 1000 + 0.5);
		m->g.initial = q->req && !pl_isset(&q->to.tag);
	}
	if (sg->err)
		return sg->err;

	/* the method names the guesses read: strings of their own */
	for (i = 0; i < sg->n; i++) {
		static const char *const mets[] = {
			"INVITE", "ACK", "BYE", "CANCEL", "REGISTER",
			"OPTIONS", "REFER", "NOTIFY", "SUBSCRIBE", "INFO",
			"UPDATE", "PRACK", "MESSAGE", "PUBLISH"};
		const struct pl *met = &sg->mv[i].msg->cseq.met;
		size_t j;

		sg->mv[i].g.met = "?";
		for (j = 0; j < ARRAY_SIZE(mets); j++) {
			if (!pl_strcmp(met, mets[j]))
				sg->mv[i].g.met = mets[j];
		}
	}

	absorb(sg);
	mark_relays(sg);

	sg->rv = mem_zalloc((sg->nep + 1) * sizeof(*sg->rv), NULL);
	gv = mem_zalloc((sg->n + 1) * sizeof(*gv), NULL);
	if (!sg->rv || !gv) {
		mem_deref(gv);
		return ENOMEM;
	}
	err = given_roles(sg, o, why);
	for (i = 0, k = 0; !err && i < sg->n; i++) {
		if (sg->mv[i].rtx_of < 0)
			gv[k++] = sg->mv[i].g;
	}
	if (!err)
		err = scengen_roles(sg->rv, sg->nep, gv, k);
	mem_deref(gv);

	return err;
}


/**
 * Write to pf a scenario played from the capture at path: every call, or
 * the one o->call names. EINVAL/ENOENT/ERANGE with *why for a capture that
 * cannot be read, holds no SIP, or has no such call.
 */
int scengen_write(struct re_printf *pf, const char *path,
		  const struct scengen_opts *o, char **why)
{
	struct pcapr_stats st;
	struct sgen *sg;
	int err;

	if (!pf || !path || !o || !why)
		return EINVAL;

	sg = mem_zalloc(sizeof(*sg), sgen_destructor);
	if (!sg)
		return ENOMEM;
	sg->path = path;
	sg->want = o->call;
	err = hash_alloc(&sg->callht, 256);
	if (err)
		goto out;

	err = pcapr_read(path, msg_h, sg, &st, why);
	if (err) {
		char *w = *why;

		*why = NULL;
		/* the reader's reason names the file, or it is added */
		if (w && !strncmp(w, path, strlen(path)))
			*why = mem_ref(w);
		else
			(void)re_sdprintf(why, "%s: %s", path, w ? w :
					  "cannot read the capture");
		mem_deref(w);
		goto out;
	}
	/* what the reader said of a capture it read to the end (frames cut
	 * short) is told below, in this command's words */
	*why = mem_deref(*why);
	if (sg->err) {
		err = sg->err;
		goto out;
	}
	if (sg->over) {
		(void)re_sdprintf(why, "%s: %zu SIP messages%s (%zu calls): "
				  "a scenario of more than %u steps is no "
				  "call flow; pick a call with --call N",
				  path, sg->n + sg->over,
				  sg->want ? " in the call" : "", sg->ncalls,
				  SCENGEN_MAX_MSGS);
		err = EFBIG;
		goto out;
	}
	if (!sg->n && !sg->ncalls) {
		(void)re_sdprintf(why, "%s: no SIP message in the capture "
				  "(%u frames, %u malformed SIP, %u cut "
				  "short)", path, st.frames, st.malformed,
				  st.truncated);
		err = ENOENT;
		goto out;
	}
	/* a flow written from a capture that lost messages would be wrong
	 * where nothing shows it */
	if (st.truncated) {
		(void)re_sdprintf(why, "%s: %u of %u frames are cut short (a "
				  "truncated capture, or a snap length below "
				  "the messages'): a scenario from it would "
				  "miss what they held", path, st.truncated,
				  st.frames);
		err = EBADMSG;
		goto out;
	}

	err = analyse(sg, o, why);
	if (err)
		goto out;

	err = scengen_out(pf, sg);

 out:
	mem_deref(sg);
	return err;
}
