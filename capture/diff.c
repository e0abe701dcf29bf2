/* capture/diff.c — regression comparison of two captures
 *
 * Calls are paired by their order of first appearance, and messages
 * within a call by a longest-common-subsequence alignment of their shape:
 * sender and receiver by participant position (not address), request
 * method or the response's CSeq method. Call-IDs, tags, branches, digest
 * values, CSeq numbers, addresses and ports differ between any two runs,
 * so they are masked (diff_mask.c: a volatile value by where it was
 * first seen, so its consistency is still compared); dates and product
 * versions are not compared. What remains is compared: status codes, the
 * set of headers, header values, SDP codecs, directions and o= version
 * steps, and timing within a call (beyond a tolerance). See
 * docs/pcap.md.
 *
 * A capture of a million messages is not held whole: diff_load.c keeps
 * of each message only what is compared.
 */
#include <string.h>
#include <stdlib.h>
#include <ctype.h>
#include <re.h>
#include "esc.h"
#include "hdr.h"
#include "pcapr.h"
#include "trace.h"
#include "diff.h"
#include "diff_priv.h"


static const char *str_of(const struct diff_capture *dc, uint32_t id)
{
	const char *s = trace_strs_get(dc->strs, id, NULL);

	return s ? s : "";
}


static void item_destructor(void *data)
{
	struct diff_item *d = data;

	list_unlink(&d->le);
	mem_deref(d->where);
	mem_deref(d->what);
	mem_deref(d->old);
	mem_deref(d->new);
}


/** A copy of text from a capture, valid UTF-8 (for --json): what every
 *  text of a difference is */
int diff_text(char **out, const char *s)
{
	return s ? esc_utf8_dup(out, (const uint8_t *)s, strlen(s), NULL) : 0;
}


/* a difference, appended to items; its text is a peer's, so it is kept
 * valid UTF-8 and printed escaped */
int diff_add(struct list *items, unsigned call, const char *where,
	     const char *what, const char *old, const char *new)
{
	struct diff_item *d = mem_zalloc(sizeof(*d), item_destructor);
	int err = 0;

	if (!d)
		return ENOMEM;
	d->call = call;
	err |= diff_text(&d->where, where);
	err |= diff_text(&d->what, what);
	err |= diff_text(&d->old, old);
	err |= diff_text(&d->new, new);
	list_append(items, &d->le, d);

	return err;
}


/* a message's place in the report: "F5 302 Moved Temporarily 3->2" */
static void where(char *out, size_t sz, const struct diff_capture *dc,
		  const struct dmsg *m, unsigned fnum)
{
	const char *line = str_of(dc, m->line);

	re_snprintf(out, sz, "F%u %s %u->%u", fnum,
		    !strncmp(line, "SIP/2.0 ", 8) ? line + 8
						  : str_of(dc, m->method),
		    m->from, m->to);
}


static bool same_shape(const struct diff_capture *ca, const struct dmsg *a,
		       const struct diff_capture *cb, const struct dmsg *b)
{
	return a->from == b->from && a->to == b->to && a->req == b->req &&
	       !strcmp(str_of(ca, a->method), str_of(cb, b->method)) &&
	       (a->req || a->scode / 100 == b->scode / 100 ||
		(a->scode >= 200 && b->scode >= 200));
}


static void unpack(struct hdrs *h, const struct diff_capture *dc,
		   const struct dmsg *m)
{
	size_t len, i;
	const char *p = trace_strs_get(dc->strs, m->hdrs, &len);

	h->n = 0;
	for (i = 0; p && i + 8 <= len && h->n < MAX_HDRS; i += 8) {
		uint32_t id[2];

		memcpy(id, p + i, sizeof(id));
		h->nid[h->n] = id[0];
		h->name[h->n].p = trace_strs_get(dc->strs, id[0],
						 &h->name[h->n].l);
		h->val[h->n].p = trace_strs_get(dc->strs, id[1],
						&h->val[h->n].l);
		h->n++;
	}
}


static unsigned count_name(const struct hdrs *h, const struct pl *name)
{
	unsigned i, n = 0;

	for (i = 0; i < h->n; i++)
		n += hdr_name_eq_pl(name, &h->name[i]);

	return n;
}


/* a difference whose value is shown as it is: the value is fetched
 * from the capture once every call is compared */
static int add_fetch(struct list *items, struct diff_capture *dc,
		     const struct dmsg *m, uint32_t name, unsigned k,
		     bool old, unsigned call, const char *w,
		     const char *what)
{
	struct fetch *f;
	int err;

	err = diff_add(items, call, w, what, NULL, NULL);
	if (err)
		return err;

	err = diff_grow((void **)&dc->fv, &dc->fcap, dc->nf + 1,
			sizeof(*dc->fv));
	if (err)
		return err;

	f = &dc->fv[dc->nf++];
	f->d = items->tail->data;
	f->ord = m->ord;
	f->name = name;
	f->k = k;
	f->old = old;

	return 0;
}


/* two strings by id, each in its capture's table, are the same */
static bool same_str(const struct diff_capture *ca, uint32_t a,
		     const struct diff_capture *cb, uint32_t b)
{
	size_t la, lb;
	const char *sa = trace_strs_get(ca->strs, a, &la);
	const char *sb = trace_strs_get(cb->strs, b, &lb);

	return sa && sb && la == lb && !memcmp(sa, sb, la);
}


/* the same headers in the same order, spelt alike, with the same values
 * as compared: nothing to report of them (most messages of two runs) */
static bool same_hdrs(const struct diff_capture *ca, const struct dmsg *a,
		      const struct diff_capture *cb, const struct dmsg *b)
{
	size_t la, lb, i;
	const char *pa = trace_strs_get(ca->strs, a->hdrs, &la);
	const char *pb = trace_strs_get(cb->strs, b->hdrs, &lb);

	if (!pa || !pb || la != lb)
		return false;

	for (i = 0; i < la / sizeof(uint32_t); i++) {
		uint32_t x, y;

		memcpy(&x, pa + i * sizeof(x), sizeof(x));
		memcpy(&y, pb + i * sizeof(y), sizeof(y));
		if (!same_str(ca, x, cb, y))
			return false;
	}

	return true;
}


/* the time into the call shifts by more than the tolerance */
static bool time_shifts(const struct diff_opts *o, uint64_t ta, uint64_t tb)
{
	int64_t d = ((int64_t)tb - (int64_t)ta) / 1000;

	return o->tolerance_ms && (d > (int64_t)o->tolerance_ms ||
				   -d > (int64_t)o->tolerance_ms);
}


static int compare(struct list *items, struct diff_capture *ca,
		   const struct dmsg *a, struct diff_capture *cb,
		   const struct dmsg *b, unsigned call, unsigned fnum,
		   const struct diff_opts *o, uint64_t ta, uint64_t tb)
{
	struct hdrs ha, hb;
	const char *sa, *sb;
	char w[160];
	unsigned i, k;
	int err = 0;

	if ((a->req || a->scode == b->scode) && same_hdrs(ca, a, cb, b) &&
	    same_str(ca, a->sdp, cb, b->sdp) && !time_shifts(o, ta, tb))
		return 0;

	where(w, sizeof(w), ca, a, fnum);

	if (!a->req && a->scode != b->scode) {
		char s1[8], s2[8];

		re_snprintf(s1, sizeof(s1), "%u", a->scode);
		re_snprintf(s2, sizeof(s2), "%u", b->scode);
		err |= diff_add(items, call, w, "status", s1, s2);
	}

	unpack(&ha, ca, a);
	unpack(&hb, cb, b);

	/* names: removed/added; values: changed, in order per name */
	for (i = 0; i < ha.n; i++) {
		const struct pl *name = &ha.name[i];
		unsigned na = count_name(&ha, name), nb;
		char what[96];

		if (diff_hdrs_nth(&ha, name, 0) != (int)i)
			continue; /* each name once */
		nb = count_name(&hb, name);
		re_snprintf(what, sizeof(what), "header %r", name);
		for (k = 0; k < na || k < nb; k++) {
			int va = diff_hdrs_nth(&ha, name, k);
			int vb = diff_hdrs_nth(&hb, name, k);

			if (va >= 0 && vb < 0)
				err |= add_fetch(items, ca, a, ha.nid[va], k,
						 true, call, w, what);
			else if (va < 0 && vb >= 0)
				err |= add_fetch(items, cb, b, hb.nid[vb], k,
						 false, call, w, what);
			else if (va >= 0 && vb >= 0 &&
				 pl_cmp(&ha.val[va], &hb.val[vb]))
				err |= diff_add(items, call, w, what,
						ha.val[va].p, hb.val[vb].p);
		}
	}
	for (i = 0; i < hb.n; i++) {
		const struct pl *name = &hb.name[i];
		char what[96];

		if (diff_hdrs_nth(&hb, name, 0) != (int)i ||
		    count_name(&ha, name))
			continue;
		re_snprintf(what, sizeof(what), "header %r", name);
		for (k = 0; k < count_name(&hb, name); k++)
			err |= add_fetch(items, cb, b,
					 hb.nid[diff_hdrs_nth(&hb, name, k)],
					 k, false, call, w, what);
	}

	/* SDP: media, codecs, directions, the version step */
	sa = str_of(ca, a->sdp);
	sb = str_of(cb, b->sdp);
	if (strcmp(sa, sb))
		err |= diff_sdp(items, call, w, sa, sb);

	/* timing within the call */
	if (time_shifts(o, ta, tb)) {
		char x[32], y[32];

		re_snprintf(x, sizeof(x), "%llu ms",
			    (unsigned long long)(ta / 1000));
		re_snprintf(y, sizeof(y), "%llu ms",
			    (unsigned long long)(tb / 1000));
		err |= diff_add(items, call, w, "time into the call", x, y);
	}

	return err;
}


/* the messages of a capture grouped by call, built once: call c's
 * messages are idx[start[c - 1] .. start[c]), each a message index (its
 * F-number less one) */
struct bycall {
	uint32_t *start;
	uint32_t *idx;
};


static void bycall_free(struct bycall *bc)
{
	bc->start = mem_deref(bc->start);
	bc->idx = mem_deref(bc->idx);
}


static int bycall_init(struct bycall *bc, const struct diff_capture *dc)
{
	unsigned ncalls = dc->tr->ncalls, c;
	uint32_t *fill, i;

	bc->start = mem_zalloc((ncalls + 1) * sizeof(*bc->start), NULL);
	bc->idx = mem_zalloc((dc->n + 1) * sizeof(*bc->idx), NULL);
	fill = mem_zalloc((ncalls + 1) * sizeof(*fill), NULL);
	if (!bc->start || !bc->idx || !fill) {
		mem_deref(fill);
		bycall_free(bc);
		return ENOMEM;
	}

	/* counts, then running starts, then fill in capture order */
	for (i = 0; i < dc->n; i++)
		++bc->start[dc->v[i].call];
	for (c = 1; c <= ncalls; c++)
		bc->start[c] += bc->start[c - 1];
	for (i = 0; i < dc->n; i++) {
		unsigned call = dc->v[i].call;

		bc->idx[bc->start[call - 1] + fill[call]++] = i;
	}

	mem_deref(fill);
	return 0;
}


/* a call's messages side by side, aligned by shape */
struct work {
	const struct dmsg *va[MAX_CALL_MSGS], *vb[MAX_CALL_MSGS];
	unsigned fa[MAX_CALL_MSGS], fb[MAX_CALL_MSGS];
	uint16_t lcs[MAX_CALL_MSGS + 1][MAX_CALL_MSGS + 1];
};


/* the messages of call c (at most MAX_CALL_MSGS) */
static unsigned call_msgs(const struct bycall *bc,
			  const struct diff_capture *dc, unsigned c,
			  const struct dmsg **v, unsigned *fnum)
{
	unsigned n = 0;
	uint32_t i;

	if (c > dc->tr->ncalls)
		return 0;

	for (i = bc->start[c - 1]; i < bc->start[c] && n < MAX_CALL_MSGS;
	     i++, n++) {
		v[n] = &dc->v[bc->idx[i]];
		fnum[n] = bc->idx[i] + 1;
	}

	return n;
}


static int diff_call(struct list *items, struct work *wk,
		     struct diff_capture *ca, const struct bycall *ba,
		     struct diff_capture *cb, const struct bycall *bb,
		     unsigned c, const struct diff_opts *o)
{
	const struct dmsg **va = wk->va, **vb = wk->vb;
	unsigned na, nb, i, j, *fa = wk->fa, *fb = wk->fb;
	uint64_t a0, b0;
	char w[160];
	int err = 0;

	na = call_msgs(ba, ca, c, va, fa);
	nb = call_msgs(bb, cb, c, vb, fb);
	a0 = na ? va[0]->t_us : 0;
	b0 = nb ? vb[0]->t_us : 0;

	for (i = na + 1; i-- > 0;) {
		for (j = nb + 1; j-- > 0;) {
			if (i == na || j == nb)
				wk->lcs[i][j] = 0;
			else if (same_shape(ca, va[i], cb, vb[j]))
				wk->lcs[i][j] =
					(uint16_t)(wk->lcs[i + 1][j + 1] + 1);
			else
				wk->lcs[i][j] =
					wk->lcs[i + 1][j] > wk->lcs[i][j + 1]
						? wk->lcs[i + 1][j]
						: wk->lcs[i][j + 1];
		}
	}

	i = j = 0;
	while (i < na || j < nb) {
		if (i < na && j < nb && same_shape(ca, va[i], cb, vb[j])) {
			err |= compare(items, ca, va[i], cb, vb[j], c, fa[i],
				       o, va[i]->t_us - a0, vb[j]->t_us - b0);
			i++;
			j++;
		}
		else if (j == nb ||
			 (i < na && wk->lcs[i + 1][j] >= wk->lcs[i][j + 1])) {
			where(w, sizeof(w), ca, va[i], fa[i]);
			err |= diff_add(items, c, w, "message",
					str_of(ca, va[i]->line), NULL);
			i++;
		}
		else {
			where(w, sizeof(w), cb, vb[j], fb[j]);
			err |= diff_add(items, c, w, "message", NULL,
					str_of(cb, vb[j]->line));
			j++;
		}
	}

	return err;
}


/**
 * Compare two captures loaded with the same options; every difference
 * is appended to items. The captures are equivalent when items stays
 * empty.
 */
int diff_captures(struct list *items, struct diff_capture *a,
		  struct diff_capture *b, const struct diff_opts *o)
{
	struct bycall ba, bb;
	struct work *wk;
	unsigned c, n;
	int err;

	if (!items || !a || !b || !o)
		return EINVAL;

	wk = mem_zalloc(sizeof(*wk), NULL);
	if (!wk)
		return ENOMEM;
	err = bycall_init(&ba, a);
	if (err) {
		mem_deref(wk);
		return err;
	}
	err = bycall_init(&bb, b);
	if (err) {
		bycall_free(&ba);
		mem_deref(wk);
		return err;
	}

	n = a->tr->ncalls > b->tr->ncalls ? a->tr->ncalls : b->tr->ncalls;
	for (c = 1; c <= n && !err; c++)
		err = diff_call(items, wk, a, &ba, b, &bb, c, o);

	bycall_free(&ba);
	bycall_free(&bb);
	mem_deref(wk);

	if (!err)
		err = diff_fetch_all(a);
	if (!err)
		err = diff_fetch_all(b);

	if (a->tr->nparts != b->tr->nparts) {
		char x[16], y[16];

		re_snprintf(x, sizeof(x), "%u", a->tr->nparts);
		re_snprintf(y, sizeof(y), "%u", b->tr->nparts);
		err |= diff_add(items, 0, "capture", "participants", x, y);
	}

	return err;
}


/** One line per difference */
int diff_print(struct re_printf *pf, const struct list *items)
{
	struct le *le;
	int err = 0;

	for (le = items->head; le && !err; le = le->next) {
		const struct diff_item *d = le->data;
		char w[128];

		/* padded: %H takes no width */
		re_snprintf(w, sizeof(w), "%H", esc_term_str, d->where);
		if (!strcmp(d->what, "message"))
			err = re_hprintf(pf, "call %u  %-36s %s\n", d->call,
					 w, d->old ? "missing in NEW"
					 : "added in NEW");
		else
			err = re_hprintf(pf, "call %u  %-36s %H: %s%H%s -> "
					 "%s%H%s\n", d->call, w,
					 esc_term_str, d->what,
					 d->old ? "\"" : "", esc_term_str,
					 d->old ? d->old : "(none)",
					 d->old ? "\"" : "",
					 d->new ? "\"" : "", esc_term_str,
					 d->new ? d->new : "(none)",
					 d->new ? "\"" : "");
	}

	return err;
}


/** The differences as a JSON array */
int diff_print_json(struct re_printf *pf, const struct list *items)
{
	struct odict *arr = NULL;
	struct le *le;
	unsigned i = 0;
	int err;

	err = odict_alloc(&arr, 8);
	for (le = items->head; le && !err; le = le->next, i++) {
		const struct diff_item *d = le->data;
		struct odict *o = NULL;
		char key[16];

		err = odict_alloc(&o, 8);
		if (err)
			break;
		err |= odict_entry_add(o, "call", ODICT_INT, (int64_t)d->call);
		err |= odict_entry_add(o, "where", ODICT_STRING, d->where);
		err |= odict_entry_add(o, "what", ODICT_STRING, d->what);
		err |= d->old ? odict_entry_add(o, "old", ODICT_STRING, d->old)
			      : odict_entry_add(o, "old", ODICT_NULL);
		err |= d->new ? odict_entry_add(o, "new", ODICT_STRING, d->new)
			      : odict_entry_add(o, "new", ODICT_NULL);
		re_snprintf(key, sizeof(key), "%u", i);
		err |= odict_entry_add(arr, key, ODICT_OBJECT, o);
		mem_deref(o);
	}

	if (!err) {
		struct odict *top = NULL;

		err = odict_alloc(&top, 4);
		err |= odict_entry_add(top, "differences", ODICT_INT,
				       (int64_t)i);
		err |= odict_entry_add(top, "items", ODICT_ARRAY, arr);
		if (!err)
			err = json_encode_odict(pf, top);
		mem_deref(top);
	}

	mem_deref(arr);
	return err;
}
