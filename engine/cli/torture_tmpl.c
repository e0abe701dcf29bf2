/* engine/cli/torture_tmpl.c — the templates of sipflow torture: the
 * requests a play of the scenario sent the device, read back from its
 * capture, with what the play made fresh made fixed (an SDP's o= and
 * port, the To tag the device gave) or renewed for each mutation
 * (Call-ID, branch, From tag) from the seed and its number, so that the
 * same seed sends the same bytes (docs/robustness.md)
 */
#define _GNU_SOURCE 1  /* memmem */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "hdr.h"
#include "pcapr.h"
#include "torture.h"


/* what the baseline's capture gave: the requests to the device */
struct collect {
	struct scenario *sc;
	const struct role *dut;
	struct list *tmpls;
	int err;
};


static void tmpl_destructor(void *data)
{
	struct tort_tmpl *t = data;

	list_unlink(&t->le);
	mem_deref(t->mb);
	mem_deref(t->callid);
	mem_deref(t->branch);
	mem_deref(t->tag);
	mem_deref(t->totag);
}


/* one line of an SDP body with what a run makes fresh made fixed: o='s
 * session id and version, m='s port */
static int sdp_line(struct mbuf *mb, const struct pl *ln)
{
	static const struct {
		const char *pfx;
		unsigned skip, fix;     /* words kept, then words fixed */
		const char *val;
	} fixes[] = {
		{"o=", 1, 2, "1"},
		{"m=", 1, 1, "49170"},
	};
	struct pl rest = *ln;
	unsigned w, i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(fixes); i++) {
		if (ln->l > 2 && !memcmp(ln->p, fixes[i].pfx, 2))
			break;
	}
	if (i == ARRAY_SIZE(fixes))
		return mbuf_write_pl(mb, ln);

	for (w = 0; w < fixes[i].skip + fixes[i].fix && !err; w++) {
		const char *sp = pl_strchr(&rest, ' ');

		if (!sp)
			break;
		if (w < fixes[i].skip)
			err = mbuf_write_mem(mb, (const uint8_t *)rest.p,
					     (size_t)(sp - rest.p) + 1);
		else
			err = mbuf_printf(mb, "%s ", fixes[i].val);
		pl_advance(&rest, (size_t)(sp - rest.p) + 1);
	}

	return err | mbuf_write_pl(mb, &rest);
}


/*
 * The template with what the baseline made fresh in an SDP body made
 * fixed, and Content-Length set to the body's new length: so that the
 * same seed sends the same bytes, whichever run the template came from
 */
static int fix_sdp(struct mbuf **mbp, const uint8_t *p, size_t len)
{
	struct pl msg = {(const char *)p, len}, line, head, body;
	struct mbuf *nb = mbuf_alloc(len), *mb = mbuf_alloc(len + 16);
	const char *eoh = NULL;
	size_t i;
	int err = 0;

	for (i = 0; i + 3 < len && !eoh; i++) {
		if (!memcmp(p + i, "\r\n\r\n", 4))
			eoh = (const char *)p + i + 2;
	}
	if (!nb || !mb || !eoh) {
		mem_deref(nb);
		mem_deref(mb);
		return eoh ? ENOMEM : EBADMSG;
	}

	head.p = msg.p;
	head.l = (size_t)(eoh - msg.p);
	body.p = eoh + 2;
	body.l = len - head.l - 2;

	/* the body, line by line */
	while (body.l && !err) {
		const char *cr = pl_strchr(&body, '\r');

		line.p = body.p;
		line.l = cr ? (size_t)(cr - body.p) : body.l;
		err = sdp_line(nb, &line);
		pl_advance(&body, line.l);
		if (cr && body.l >= 2) {
			err |= mbuf_write_str(nb, "\r\n");
			pl_advance(&body, 2);
		}
	}

	/* the head, Content-Length (or l) its new value */
	while (head.l && !err) {
		const char *cr = pl_strchr(&head, '\r');
		struct pl name;

		line.p = head.p;
		line.l = cr ? (size_t)(cr - head.p) + 2 : head.l;
		name.p = line.p;
		name.l = 0;
		while (name.l < line.l && name.p[name.l] != ':' &&
		       name.p[name.l] != ' ')
			++name.l;
		if (hdr_name_eq("Content-Length", &name))
			err = mbuf_printf(mb, "%r: %zu\r\n", &name, nb->end);
		else
			err = mbuf_write_pl(mb, &line);
		pl_advance(&head, line.l);
	}

	err |= mbuf_write_str(mb, "\r\n");
	err |= mbuf_write_mem(mb, nb->buf, nb->end);
	mem_deref(nb);
	if (err) {
		mem_deref(mb);
		return ENOMEM;
	}

	mb->pos = 0;
	*mbp = mb;
	return 0;
}


/* the simulated role a message came from (a stream: its IP) */
static struct role *sender(const struct scenario *sc,
			   const struct pcapr_msg *m)
{
	struct le *le;

	for (le = sc->roles.head; le; le = le->next) {
		struct role *r = le->data;

		if (r->dut || r->kind == ROLE_PHONE)
			continue;
		if (sa_cmp(&r->addr, &m->src, SA_ALL) ||
		    (m->tcp && sa_cmp(&r->addr, &m->src, SA_ADDR)))
			return r;
	}

	return NULL;
}


static bool known(const struct list *tmpls, const struct mbuf *mb)
{
	struct le *le;

	for (le = tmpls->head; le; le = le->next) {
		const struct tort_tmpl *t = le->data;

		if (t->mb->end == mb->end &&
		    !memcmp(t->mb->buf, mb->buf, mb->end))
			return true;
	}

	return false;
}


static void collect_h(const struct pcapr_msg *m, void *arg)
{
	struct collect *c = arg;
	struct sip_msg *msg = NULL;
	struct mbuf *mb = NULL;
	struct tort_tmpl *t;
	struct role *from;

	if (c->err || !m->sip.req || !sa_cmp(&m->dst, &c->dut->addr, SA_ALL))
		return;
	from = sender(c->sc, m);
	if (!from)
		return;

	if (fix_sdp(&mb, m->p, m->len)) {
		mb = mbuf_alloc(m->len);
		if (!mb) {
			c->err = ENOMEM;
			return;
		}
		(void)mbuf_write_mem(mb, m->p, m->len);
		mb->pos = 0;
	}
	if (known(c->tmpls, mb)) {
		mem_deref(mb);
		return;
	}

	t = mem_zalloc(sizeof(*t), tmpl_destructor);
	if (!t) {
		mem_deref(mb);
		c->err = ENOMEM;
		return;
	}
	t->from = from;
	t->mb = mb;

	/* its own values, renewed in each mutation */
	if (!sip_msg_decode(&msg, t->mb)) {
		if (pl_isset(&msg->callid))
			(void)pl_strdup(&t->callid, &msg->callid);
		if (pl_isset(&msg->via.branch))
			(void)pl_strdup(&t->branch, &msg->via.branch);
		if (pl_isset(&msg->from.tag))
			(void)pl_strdup(&t->tag, &msg->from.tag);
		if (pl_isset(&msg->to.tag))
			(void)pl_strdup(&t->totag, &msg->to.tag);
		mem_deref(msg);
	}
	t->mb->pos = 0;
	list_append(c->tmpls, &t->le, t);
}


/**
 * The values a mutation's message carries instead of the original's:
 * made from the seed and its number, so that the same seed sends the
 * same bytes and no mutation is a retransmission of another
 */
void tort_ids(char *callid, char *branch, char *tag, size_t sz,
	      uint64_t seed, uint64_t n)
{
	re_snprintf(callid, sz, "torture-%llu-%llu", seed, n);
	re_snprintf(branch, sz, "z9hG4bK-torture-%llu-%llu", seed, n);
	re_snprintf(tag, sz, "torture%llux%llu", seed, n);
}


/* mb's bytes with every old replaced by nw */
static int replace(struct mbuf **mbp, const struct mbuf *in,
		   const char *old, const char *nw)
{
	const uint8_t *p = in->buf, *end = in->buf + in->end;
	size_t ol = old ? strlen(old) : 0;
	struct mbuf *mb = mbuf_alloc(in->end + 64);
	int err = 0;

	if (!mb)
		return ENOMEM;

	while (p < end && !err) {
		const uint8_t *f = ol ? memmem(p, (size_t)(end - p), old, ol)
			: NULL;

		if (!f) {
			err = mbuf_write_mem(mb, p, (size_t)(end - p));
			break;
		}
		err  = mbuf_write_mem(mb, p, (size_t)(f - p));
		err |= mbuf_write_str(mb, nw);
		p = f + ol;
	}

	if (err) {
		mem_deref(mb);
		return ENOMEM;
	}

	mb->pos = 0;
	*mbp = mb;
	return 0;
}


/** Template t as mutation n of seed starts from: its Call-ID, branch and
 *  From tag renewed (tort_ids), the device's To tag made "torture-to" */
int tort_renew(struct mbuf **mbp, const struct tort_tmpl *t,
	       uint64_t seed, uint64_t n)
{
	char cid[64], br[64], tag[64];
	const char *olds[4], *news[4];
	struct mbuf *mb, *nx;
	size_t i;
	int err;

	tort_ids(cid, br, tag, sizeof(cid), seed, n);
	olds[0] = t->callid;
	olds[1] = t->branch;
	olds[2] = t->tag;
	olds[3] = t->totag;
	news[0] = cid;
	news[1] = br;
	news[2] = tag;
	news[3] = "torture-to";

	mb = mem_ref(t->mb);
	for (i = 0; i < ARRAY_SIZE(olds); i++) {
		err = replace(&nx, mb, olds[i], news[i]);
		mem_deref(mb);
		if (err)
			return err;
		mb = nx;
	}

	*mbp = mb;
	return 0;
}


/**
 * The templates: the requests the simulated ua and proxy roles of sc sent
 * dut in the capture pcap, each once, appended to tmpls (struct
 * tort_tmpl). *why (allocated) when the capture cannot be read
 */
int tort_tmpls_read(struct list *tmpls, const char *pcap,
		    struct scenario *sc, const struct role *dut, char **why)
{
	struct collect col = {sc, dut, tmpls, 0};
	int err;

	err = pcapr_read(pcap, collect_h, &col, NULL, why);
	return err ? err : col.err;
}
