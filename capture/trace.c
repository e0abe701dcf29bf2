/* capture/trace.c — the SIP messages of a capture, grouped for reading:
 * participants by address (numbered in order of first appearance), calls
 * by Call-ID (likewise), each message numbered within its call */
#include <string.h>
#include <re.h>
#include "pcapr.h"
#include "trace.h"


enum { MAX_PARTS = 4096 };

struct callid {
	struct le he;
	char *id;
	unsigned num;
	unsigned nmsg;
};

struct loader {
	struct trace *tr;
	struct hash *calls;
	uint64_t t0;
	bool have_t0;
	int err;
};


static void msg_destructor(void *data)
{
	struct trace_msg *m = data;

	list_unlink(&m->le);
	mem_deref(m->method);
	mem_deref(m->line);
	mem_deref(m->mb);
}


static void callid_destructor(void *data)
{
	struct callid *c = data;

	hash_unlink(&c->he);
	mem_deref(c->id);
}


static void destructor(void *data)
{
	struct trace *tr = data;

	list_flush(&tr->msgs);
	list_flush(&tr->rtp);
	mem_deref(tr->parts);
	mem_deref(tr->st);
}


static unsigned part(struct trace *tr, const struct sa *sa)
{
	unsigned i;

	for (i = 0; i < tr->nparts; i++) {
		if (sa_cmp(&tr->parts[i], sa, SA_ALL))
			return i + 1;
	}

	if (tr->nparts >= MAX_PARTS)
		return MAX_PARTS;

	if (!(tr->nparts & 15)) {
		size_t sz = (tr->nparts + 16) * sizeof(struct sa);
		struct sa *v = tr->parts ? mem_realloc(tr->parts, sz)
					 : mem_zalloc(sz, NULL);
		if (!v)
			return 0;
		tr->parts = v;
	}
	tr->parts[tr->nparts++] = *sa;

	return tr->nparts;
}


static bool callid_cmp(struct le *le, void *arg)
{
	const struct callid *c = le->data;

	return !pl_strcmp(arg, c->id);
}


static struct callid *call(struct loader *ld, const struct pl *id)
{
	uint32_t key = hash_joaat_pl(id);
	struct le *le = hash_lookup(ld->calls, key, callid_cmp, (void *)id);
	struct callid *c;

	if (le)
		return le->data;

	c = mem_zalloc(sizeof(*c), callid_destructor);
	if (!c || pl_strdup(&c->id, id)) {
		mem_deref(c);
		return NULL;
	}
	c->num = ++ld->tr->ncalls;
	hash_append(ld->calls, key, &c->he, c);

	return c;
}


static void msg_h(const struct pcapr_msg *pm, void *arg)
{
	struct loader *ld = arg;
	const struct sip_msg *s = pm->msg;
	uint64_t t = (uint64_t)pm->ts.tv_sec * 1000000 + pm->ts.tv_usec;
	struct trace_msg *m;
	struct callid *c;
	size_t eol;

	if (ld->err)
		return;

	if (!ld->have_t0) {
		ld->t0 = t;
		ld->have_t0 = true;
	}

	m = mem_zalloc(sizeof(*m), msg_destructor);
	c = call(ld, &s->callid);
	if (!m || !c) {
		mem_deref(m);
		ld->err = ENOMEM;
		return;
	}

	m->frame = pm->frame;
	m->t_us = t >= ld->t0 ? t - ld->t0 : 0;
	m->from = part(ld->tr, &pm->src);
	m->to = part(ld->tr, &pm->dst);
	m->call = c->num;
	m->seq = ++c->nmsg;
	m->req = s->req;
	m->scode = s->scode;

	for (eol = 0; eol < pm->len && pm->p[eol] != '\r' &&
		      pm->p[eol] != '\n'; eol++)
		;

	ld->err |= pl_strdup(&m->method, s->req ? &s->met : &s->cseq.met);
	ld->err |= re_sdprintf(&m->line, "%b", pm->p, eol);
	m->mb = mbuf_alloc(pm->len);
	if (m->mb) {
		(void)mbuf_write_mem(m->mb, pm->p, pm->len);
		m->mb->pos = 0;
	}
	else {
		ld->err = ENOMEM;
	}

	list_append(&ld->tr->msgs, &m->le, m);
}


/** Load the SIP messages of a capture */
int trace_load(struct trace **trp, const char *path, char **why)
{
	struct loader ld;
	struct trace *tr;
	int err;

	if (!trp || !path)
		return EINVAL;

	tr = mem_zalloc(sizeof(*tr), destructor);
	if (!tr)
		return ENOMEM;
	tr->st = mem_zalloc(sizeof(*tr->st), NULL);

	memset(&ld, 0, sizeof(ld));
	ld.tr = tr;
	err = hash_alloc(&ld.calls, 1024);
	if (!err && !tr->st)
		err = ENOMEM;
	if (!err)
		err = pcapr_read_rtp(path, msg_h, &ld, tr->st, &tr->rtp,
				     why);
	if (!err)
		err = ld.err;

	hash_flush(ld.calls);
	mem_deref(ld.calls);

	if (err)
		mem_deref(tr);
	else
		*trp = tr;

	return err;
}


/** Decode a message again (the caller derefs the result) */
struct sip_msg *trace_decode(const struct trace_msg *m)
{
	struct sip_msg *msg = NULL;
	struct mbuf *mb;

	mb = mbuf_alloc(m->mb->end);
	if (!mb)
		return NULL;
	(void)mbuf_write_mem(mb, m->mb->buf, m->mb->end);
	mb->pos = 0;
	(void)sip_msg_decode(&msg, mb);
	mem_deref(mb);

	return msg;
}


/* |----INVITE---->| drawn between two of at most 6 columns */
static int arrow(struct re_printf *pf, const struct trace *tr,
		 const struct trace_msg *m)
{
	enum { W = 22 };
	char row[6 * W + 2];
	unsigned a = m->from - 1, b = m->to - 1, lo, hi, i;
	char label[W * 5];
	size_t n, start;

	memset(row, ' ', sizeof(row));
	row[sizeof(row) - 1] = '\0';
	for (i = 0; i < tr->nparts; i++)
		row[i * W + W / 2] = '|';

	lo = a < b ? a : b;
	hi = a < b ? b : a;
	for (i = lo * W + W / 2 + 1; i < hi * W + W / 2; i++)
		row[i] = '-';
	if (a < b)
		row[hi * W + W / 2 - 1] = '>';
	else
		row[lo * W + W / 2 + 1] = '<';

	if (m->req)
		re_snprintf(label, sizeof(label), " %s ", m->method);
	else
		re_snprintf(label, sizeof(label), " %s ",
			    !strncmp(m->line, "SIP/2.0 ", 8) ? m->line + 8
							     : m->line);
	/* the label sits on the shaft, clear of both ends */
	n = strlen(label);
	if (n > (hi - lo) * W - 6)
		n = (hi - lo) * W - 6;
	start = lo * W + W / 2 + 3 + ((hi - lo) * W - 6 - n) / 2;
	memcpy(row + start, label, n);

	/* trim trailing spaces */
	for (i = sizeof(row) - 2; i > 0 && row[i] == ' '; i--)
		row[i] = '\0';

	return re_hprintf(pf, "%s", row);
}


/**
 * The ladder: participants, then one line per message with time, frame,
 * direction, start line and call number; arrows between columns when
 * there are at most six participants.
 */
int trace_print_ladder(struct re_printf *pf, const struct trace *tr)
{
	bool draw = tr->nparts >= 2 && tr->nparts <= 6;
	struct le *le;
	unsigned i;
	int err = 0;

	err |= re_hprintf(pf, "participants:");
	for (i = 0; i < tr->nparts; i++)
		err |= re_hprintf(pf, " %u=%J", i + 1, &tr->parts[i]);
	err |= re_hprintf(pf, "\n%u SIP messages in %u calls\n\n",
			  list_count(&tr->msgs), tr->ncalls);

	if (draw) {
		err |= re_hprintf(pf, "%-20s", "");
		for (i = 0; i < tr->nparts; i++) {
			char h[24];
			size_t pad;

			char cell[23];

			re_snprintf(h, sizeof(h), "%J", &tr->parts[i]);
			pad = strlen(h) < 22 ? (22 - strlen(h)) / 2 + 1 : 0;
			memset(cell, ' ', sizeof(cell) - 1);
			cell[sizeof(cell) - 1] = '\0';
			memcpy(cell + pad, h, strlen(h) + pad > 22
			       ? 22 - pad : strlen(h));
			err |= re_hprintf(pf, "%s", cell);
		}
		err |= re_hprintf(pf, "\n");
	}

	for (le = tr->msgs.head; le && !err; le = le->next) {
		const struct trace_msg *m = le->data;

		err = re_hprintf(pf, "%4llu.%06llu %6u  ",
				 (unsigned long long)(m->t_us / 1000000),
				 (unsigned long long)(m->t_us % 1000000),
				 m->frame);
		if (draw) {
			err |= arrow(pf, tr, m);
			err |= re_hprintf(pf, "  call %u\n", m->call);
		}
		else {
			err |= re_hprintf(pf, "%u -> %u  %-40s  call %u\n",
					  m->from, m->to, m->line, m->call);
		}
	}

	if (!err && !list_isempty(&tr->rtp)) {
		err = re_hprintf(pf, "\n%u RTP streams:\n",
				 list_count(&tr->rtp));
		for (le = tr->rtp.head; le && !err; le = le->next) {
			const struct pcapr_rtp *r = le->data;

			err = re_hprintf(pf, "  %J -> %J  ssrc 0x%08x  pt %u"
					 "  %u packets  lost %d  jitter "
					 "%.1f ms\n", &r->src, &r->dst,
					 r->ssrc, r->pt, r->packets, r->lost,
					 r->jitter_ms);
		}
	}

	return err;
}
