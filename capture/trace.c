/* capture/trace.c — the SIP messages of a capture, numbered for reading:
 * participants by address and calls by Call-ID (each in order of first
 * appearance); the ladder printed while the capture is read
 *
 * The ladder's head (participants, counts, columns) needs the whole
 * capture, its lines only the numbers: so the capture is read twice, once
 * to number and once to print, and nothing is kept per message — only
 * the Call-IDs and the participants.
 */
#include <string.h>
#include <re.h>
#include "esc.h"
#include "pcapr.h"
#include "trace.h"


enum {
	MAX_PARTS = 4096,
	PIDX = 2 * MAX_PARTS,  /* participant hash slots, a power of two */
	OUTBUF = 16384,
};


/* the ladder being printed: lines gathered and written in blocks */
struct ladder {
	struct re_printf *pf;
	struct trace *tr;
	unsigned nmsgs;
	bool draw;
	int err;
	size_t n;
	char buf[OUTBUF];
};


static void destructor(void *data)
{
	struct trace *tr = data;

	list_flush(&tr->rtp);
	mem_deref(tr->parts);
	mem_deref(tr->pidx);
	mem_deref(tr->calls);
}


/** A trace with nothing numbered yet */
int trace_alloc(struct trace **trp)
{
	struct trace *tr;
	int err;

	if (!trp)
		return EINVAL;

	tr = mem_zalloc(sizeof(*tr), destructor);
	if (!tr)
		return ENOMEM;

	tr->pidx = mem_zalloc(PIDX * sizeof(*tr->pidx), NULL);
	err = tr->pidx ? trace_strs_alloc(&tr->calls) : ENOMEM;
	if (err) {
		mem_deref(tr);
		return err;
	}

	*trp = tr;
	return 0;
}


/* the participant number of an address (MAX_PARTS for all beyond) */
static unsigned part(struct trace *tr, const struct sa *sa)
{
	uint32_t i = sa_hash(sa, SA_ALL) & (PIDX - 1);

	for (; tr->pidx[i]; i = (i + 1) & (PIDX - 1)) {
		if (sa_cmp(&tr->parts[tr->pidx[i] - 1], sa, SA_ALL))
			return tr->pidx[i];
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
	tr->pidx[i] = (uint16_t)tr->nparts;

	return tr->nparts;
}


/**
 * Read a capture into h (each message once, in frame order); h places
 * the messages it keeps with trace_place.
 */
int trace_read(struct trace *tr, const char *path, pcapr_msg_h *h,
	       void *arg, char **why)
{
	struct pcapr_stats st;
	int err;

	if (!tr || !path || !h)
		return EINVAL;

	if (tr->nreads) {
		char *w = NULL;

		err = pcapr_read(path, h, arg, &st, why ? &w : NULL);
		if (err && why && !*why)
			*why = w;
		else
			mem_deref(w);
		return err;
	}

	err = pcapr_read_rtp(path, h, arg, &tr->st, &tr->rtp, why);
	if (!err)
		++tr->nreads;

	return err;
}


/** Number a message: its participants, its call, its time */
int trace_place(struct trace *tr, struct trace_msg *m,
		const struct pcapr_msg *pm)
{
	uint64_t t;
	uint32_t id;
	int err;

	if (!tr || !m || !pm)
		return EINVAL;

	t = (uint64_t)pm->ts.tv_sec * 1000000 + (uint64_t)pm->ts.tv_usec;
	if (!tr->have_t0) {
		tr->t0 = t;
		tr->have_t0 = true;
	}

	err = trace_strs_add(tr->calls, &id, pm->sip.callid.p,
			     pm->sip.callid.l);
	if (err)
		return err;
	if (id >= tr->ncalls)
		tr->ncalls = id + 1;

	m->frame = pm->frame;
	m->t_us = t >= tr->t0 ? t - tr->t0 : 0;
	m->from = part(tr, &pm->src);
	m->to = part(tr, &pm->dst);
	m->call = id + 1;
	m->req = pm->sip.req;
	m->scode = pm->sip.scode;
	m->method = pm->sip.req ? pm->sip.met : pm->sip.cseq_met;
	m->line = pm->sip.line;
	m->pm = pm;

	return m->from && m->to ? 0 : ENOMEM;
}


static void out_flush(struct ladder *ld)
{
	if (ld->n && !ld->err)
		ld->err = ld->pf->vph(ld->buf, ld->n, ld->pf->arg);
	ld->n = 0;
}


static void out_put(struct ladder *ld, const void *p, size_t len)
{
	if (ld->n + len > sizeof(ld->buf)) {
		out_flush(ld);
		if (len > sizeof(ld->buf)) {
			if (!ld->err)
				ld->err = ld->pf->vph(p, len, ld->pf->arg);
			return;
		}
	}

	memcpy(ld->buf + ld->n, p, len);
	ld->n += len;
}


/* a number, right-aligned in width, padded with pad */
static void out_u(struct ladder *ld, uint64_t v, size_t width, char pad)
{
	char d[24];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i > 0 && sizeof(d) - i < width)
		d[--i] = pad;

	out_put(ld, d + i, sizeof(d) - i);
}


static int out_h(const char *p, size_t size, void *arg)
{
	out_put(arg, p, size);
	return 0;
}


/* text from the capture (a peer's bytes): every control byte and byte
 * not UTF-8 escaped, NUL and all (engine/model/esc.c) */
static void out_text(struct ladder *ld, const char *p, size_t n)
{
	struct re_printf pf = {out_h, ld};

	(void)esc_term(&pf, (const uint8_t *)p, n);
}


/* |----INVITE---->| drawn between two of at most 6 columns */
static void arrow(struct ladder *ld, const struct trace_msg *m)
{
	enum { W = 22 };
	char row[6 * W + 2];
	unsigned a = m->from - 1, b = m->to - 1, lo, hi, i;
	char label[W * 5];
	struct pl text;
	size_t n, start;

	memset(row, ' ', sizeof(row));
	row[sizeof(row) - 1] = '\0';
	for (i = 0; i < ld->tr->nparts; i++)
		row[i * W + W / 2] = '|';

	lo = a < b ? a : b;
	hi = a < b ? b : a;
	for (i = lo * W + W / 2 + 1; i < hi * W + W / 2; i++)
		row[i] = '-';
	if (a < b)
		row[hi * W + W / 2 - 1] = '>';
	else
		row[lo * W + W / 2 + 1] = '<';

	/* " INVITE " or " 180 Ringing " (the status line less its
	 * version), its control bytes escaped */
	if (m->req) {
		text.p = m->method.p;
		text.l = m->method.l;
	}
	else {
		text.p = m->line.p;
		text.l = m->line.l;
		if (text.l >= 8 && !memcmp(text.p, "SIP/2.0 ", 8))
			pl_advance(&text, 8);
	}
	re_snprintf(label, sizeof(label), " %H ", esc_term_pl, &text);
	n = strlen(label);

	if (lo == hi) {
		/* to itself (loopback, a B2BUA's own leg): "|<- INVITE"
		 * beside its column, as far as the row goes */
		start = lo * W + W / 2 + 2;
		row[start] = '-';
		if (n > sizeof(row) - 2 - start)
			n = sizeof(row) - 2 - start;
		memcpy(row + start + 1, label, n);
	}
	else {
		/* the label sits on the shaft, clear of both ends */
		if (n > (hi - lo) * W - 6)
			n = (hi - lo) * W - 6;
		start = lo * W + W / 2 + 3 + ((hi - lo) * W - 6 - n) / 2;
		memcpy(row + start, label, n);
	}

	/* without trailing spaces */
	for (n = sizeof(row) - 1; n > 0 && row[n - 1] == ' '; n--)
		;

	out_put(ld, row, n);
}


/* a frame's comments (a run's verdicts), a line each under its
 * message: "                    # F1 INVITE A -> P: pass" */
static void comments(struct ladder *ld, const struct pl *c)
{
	const char *p = c->p, *end;

	/* no comments: p may be NULL, and NULL + 0 is undefined */
	if (!c->l)
		return;

	end = p + c->l;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		out_put(ld, "                    # ", 22);
		out_text(ld, p, n);
		out_put(ld, "\n", 1);
		p += n + 1;
	}
}


/* one line per message: time, frame, arrow or addresses, call; the
 * frame's comments under it */
static void print_msg(struct ladder *ld, const struct trace_msg *m)
{
	out_u(ld, m->t_us / 1000000, 4, ' ');
	out_put(ld, ".", 1);
	out_u(ld, m->t_us % 1000000, 6, '0');
	out_put(ld, " ", 1);
	out_u(ld, m->frame, 6, ' ');
	out_put(ld, "  ", 2);

	if (ld->draw) {
		arrow(ld, m);
	}
	else {
		size_t n = m->line.l;

		out_u(ld, m->from, 0, ' ');
		out_put(ld, " -> ", 4);
		out_u(ld, m->to, 0, ' ');
		out_put(ld, "  ", 2);
		out_text(ld, m->line.p, n);
		for (; n < 40; n++)
			out_put(ld, " ", 1);
	}

	out_put(ld, "  call ", 7);
	out_u(ld, m->call, 0, ' ');
	out_put(ld, "\n", 1);
	comments(ld, &m->pm->comment);
}


static void count_h(const struct pcapr_msg *pm, void *arg)
{
	struct ladder *ld = arg;
	struct trace_msg m;

	if (ld->err)
		return;

	ld->err = trace_place(ld->tr, &m, pm);
	++ld->nmsgs;
}


static void print_h(const struct pcapr_msg *pm, void *arg)
{
	struct ladder *ld = arg;
	struct trace_msg m;

	if (ld->err)
		return;

	ld->err = trace_place(ld->tr, &m, pm);
	if (!ld->err)
		print_msg(ld, &m);
}


static int print_head(struct re_printf *pf, const struct ladder *ld)
{
	const struct trace *tr = ld->tr;
	unsigned i;
	int err = 0;

	err |= re_hprintf(pf, "participants:");
	for (i = 0; i < tr->nparts; i++)
		err |= re_hprintf(pf, " %u=%J", i + 1, &tr->parts[i]);
	err |= re_hprintf(pf, "\n%u SIP messages in %u calls\n\n",
			  ld->nmsgs, tr->ncalls);

	if (!ld->draw)
		return err;

	err |= re_hprintf(pf, "%-20s", "");
	for (i = 0; i < tr->nparts; i++) {
		char h[24], cell[23];
		size_t pad;

		re_snprintf(h, sizeof(h), "%J", &tr->parts[i]);
		pad = strlen(h) < 22 ? (22 - strlen(h)) / 2 + 1 : 0;
		memset(cell, ' ', sizeof(cell) - 1);
		cell[sizeof(cell) - 1] = '\0';
		memcpy(cell + pad, h, strlen(h) + pad > 22 ? 22 - pad
							   : strlen(h));
		err |= re_hprintf(pf, "%s", cell);
	}
	err |= re_hprintf(pf, "\n");

	return err;
}


static int print_rtp(struct re_printf *pf, const struct trace *tr)
{
	struct le *le;
	int err;

	if (list_isempty(&tr->rtp))
		return 0;

	err = re_hprintf(pf, "\n%u RTP streams:\n", list_count(&tr->rtp));
	for (le = tr->rtp.head; le && !err; le = le->next) {
		const struct pcapr_rtp *r = le->data;

		err = re_hprintf(pf, "  %J -> %J  ssrc 0x%08x  pt %u  %u "
				 "packets  lost %d  jitter %.1f ms\n",
				 &r->src, &r->dst, r->ssrc, r->pt, r->packets,
				 r->lost, r->jitter_ms);
	}

	return err;
}


/**
 * The ladder of a capture: participants, then one line per message with
 * time, frame, direction, start line and call number (arrows between
 * columns when there are at most six participants), then the RTP
 * streams. tr is a fresh trace; it holds the numbers and figures after.
 */
int trace_ladder(struct re_printf *pf, struct trace *tr, const char *path,
		 char **why)
{
	struct ladder *ld;
	int err;

	if (!pf || !tr || !path)
		return EINVAL;

	ld = mem_zalloc(sizeof(*ld), NULL);
	if (!ld)
		return ENOMEM;
	ld->pf = pf;
	ld->tr = tr;

	err = trace_read(tr, path, count_h, ld, why);
	if (err || ld->err)
		goto out;

	ld->draw = tr->nparts >= 2 && tr->nparts <= 6;
	err = print_head(pf, ld);
	if (err)
		goto out;

	err = trace_read(tr, path, print_h, ld, why);
	out_flush(ld);
	if (!err)
		err = print_rtp(pf, tr);

 out:
	if (!err)
		err = ld->err;
	mem_deref(ld);
	return err;
}
