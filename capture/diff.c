/* capture/diff.c — regression comparison of two captures
 *
 * Calls are paired by their order of first appearance, and messages
 * within a call by a longest-common-subsequence alignment of their shape:
 * sender and receiver by participant position (not address), request
 * method or the response's CSeq method. Call-IDs, tags, branches, CSeq
 * numbers, addresses and ports differ between any two runs, so they are
 * masked; dates and product versions are not compared. What remains is
 * compared: status codes, the set of headers, header values, SDP codecs
 * and directions, and timing within a call (beyond a tolerance). See
 * docs/pcap.md.
 */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "hdr.h"
#include "trace.h"
#include "diff.h"


enum { MAX_CALL_MSGS = 512 };

/* headers that always differ between runs: not compared by default */
static const char *const volatile_hdrs[] = {
	"Call-ID", "Content-Length", "Date", "Timestamp", "User-Agent",
	"Server", "Via",
};


static void item_destructor(void *data)
{
	struct diff_item *d = data;

	list_unlink(&d->le);
	mem_deref(d->where);
	mem_deref(d->what);
	mem_deref(d->old);
	mem_deref(d->new);
}


static bool listed(const char *const *v, size_t n, const struct pl *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (hdr_name_eq(v[i], name))
			return true;
	}

	return false;
}


static int add(struct list *items, unsigned call, const char *where,
	       const char *what, const char *old, const char *new)
{
	struct diff_item *d = mem_zalloc(sizeof(*d), item_destructor);
	int err = 0;

	if (!d)
		return ENOMEM;
	d->call = call;
	err |= str_dup(&d->where, where);
	err |= str_dup(&d->what, what);
	if (old)
		err |= str_dup(&d->old, old);
	if (new)
		err |= str_dup(&d->new, new);
	list_append(items, &d->le, d);

	return err;
}


/* the value with what differs between runs replaced by a word:
 * addresses, ports, tags, branches, received/rport, CSeq numbers */
static void mask(char *out, size_t sz, const struct pl *v,
		 const struct pl *name)
{
	size_t i = 0, o = 0;

	while (i < v->l && o + 12 < sz) {
		const char *p = v->p + i;
		size_t left = v->l - i;

		if (isdigit((unsigned char)*p)) {
			size_t j = 0, dots = 0;

			while (j < left && (isdigit((unsigned char)p[j]) ||
					    p[j] == '.')) {
				dots += p[j] == '.';
				j++;
			}
			if (dots == 3) {
				if (j < left && p[j] == ':') {
					j++;
					while (j < left &&
					       isdigit((unsigned char)p[j]))
						j++;
				}
				o += (size_t)re_snprintf(out + o, sz - o,
							 "<addr>");
				i += j;
				continue;
			}
		}

		{
			static const char *const params[] = {
				";tag=", "branch=", "received=", "rport=",
			};
			size_t k;

			for (k = 0; k < ARRAY_SIZE(params); k++) {
				size_t pl = strlen(params[k]);

				if (left > pl &&
				    !strncasecmp(p, params[k], pl)) {
					size_t j = pl;

					while (j < left && p[j] != ';' &&
					       p[j] != '>' && p[j] != ',')
						j++;
					o += (size_t)re_snprintf(out + o,
						sz - o, "%b*", p, pl);
					i += j;
					break;
				}
			}
			if (k < ARRAY_SIZE(params))
				continue;
		}

		out[o++] = *p;
		i++;
	}
	out[o] = '\0';

	/* CSeq: the method counts, the number does not */
	if (hdr_name_eq("CSeq", name)) {
		char *sp = strchr(out, ' ');
		if (sp)
			memmove(out, sp + 1, strlen(sp));
	}
}


/* a message's place in the report: "F5 302 Moved Temporarily 3->2" */
static void where(char *out, size_t sz, const struct trace_msg *m,
		  unsigned fnum)
{
	re_snprintf(out, sz, "F%u %s %u->%u", fnum,
		    !strncmp(m->line, "SIP/2.0 ", 8) ? m->line + 8 : m->method,
		    m->from, m->to);
}


static bool same_shape(const struct trace_msg *a, const struct trace_msg *b)
{
	return a->from == b->from && a->to == b->to && a->req == b->req &&
	       !strcmp(a->method, b->method) &&
	       (a->req || a->scode / 100 == b->scode / 100 ||
		(a->scode >= 200 && b->scode >= 200));
}


struct hdrs {
	const struct sip_hdr *v[128];
	unsigned n;
};


static void collect(struct hdrs *h, const struct sip_msg *m,
		    const struct diff_opts *o)
{
	struct le *le;

	h->n = 0;
	for (le = m->hdrl.head; le && h->n < ARRAY_SIZE(h->v); le = le->next) {
		const struct sip_hdr *x = le->data;

		if (listed(o->ignore, o->nignore, &x->name))
			continue;
		if (listed(volatile_hdrs, ARRAY_SIZE(volatile_hdrs),
			   &x->name) && !listed(o->keep, o->nkeep, &x->name))
			continue;
		h->v[h->n++] = x;
	}
}


static unsigned count_name(const struct hdrs *h, const struct pl *name)
{
	unsigned i, n = 0;

	for (i = 0; i < h->n; i++)
		n += hdr_name_eq_pl(name, &h->v[i]->name);

	return n;
}


/* the k-th value (0-based) of a header name */
static const struct sip_hdr *nth(const struct hdrs *h, const struct pl *name,
				 unsigned k)
{
	unsigned i;

	for (i = 0; i < h->n; i++) {
		if (hdr_name_eq_pl(name, &h->v[i]->name) && !k--)
			return h->v[i];
	}

	return NULL;
}


/* "PCMU PCMA telephone-event sendrecv" for each m= line */
static void sdp_summary(char *out, size_t sz, const struct sip_msg *m)
{
	const char *p = (const char *)mbuf_buf(m->mb);
	size_t len = mbuf_get_left(m->mb), o = 0;
	const char *end = p + len;

	out[0] = '\0';
	while (p < end && o + 40 < sz) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		struct pl line = {p, (size_t)((eol ? eol : end) - p)};

		if (line.l && line.p[line.l - 1] == '\r')
			line.l--;
		p = eol ? eol + 1 : end;

		if (line.l > 2 && !strncmp(line.p, "m=", 2)) {
			struct pl media, fmts;

			if (!re_regex(line.p, line.l, "m=[^ ]+ [^ ]+ [^ ]+ "
				      "[^]*", &media, NULL, NULL, &fmts))
				o += (size_t)re_snprintf(out + o, sz - o,
					"%s%r: %r", o ? "; " : "", &media,
					&fmts);
		}
		else if (line.l > 9 && !strncmp(line.p, "a=rtpmap:", 9)) {
			struct pl name;

			if (!re_regex(line.p, line.l, "a=rtpmap:[0-9]+ [^/]+",
				      NULL, &name))
				o += (size_t)re_snprintf(out + o, sz - o,
							 " %r", &name);
		}
		else if (!pl_strcmp(&line, "a=sendrecv") ||
			 !pl_strcmp(&line, "a=sendonly") ||
			 !pl_strcmp(&line, "a=recvonly") ||
			 !pl_strcmp(&line, "a=inactive")) {
			o += (size_t)re_snprintf(out + o, sz - o, " %r",
						 &line);
		}
	}
}


static int compare(struct list *items, const struct trace_msg *a,
		   const struct trace_msg *b, unsigned call, unsigned fnum,
		   const struct diff_opts *o, uint64_t ta, uint64_t tb)
{
	struct sip_msg *ma = trace_decode(a), *mb = trace_decode(b);
	struct hdrs ha, hb;
	char w[160], x[512], y[512];
	unsigned i, k;
	int err = 0;

	where(w, sizeof(w), a, fnum);
	if (!ma || !mb) {
		mem_deref(ma);
		mem_deref(mb);
		return 0;
	}

	if (!a->req && a->scode != b->scode) {
		char s1[8], s2[8];

		re_snprintf(s1, sizeof(s1), "%u", a->scode);
		re_snprintf(s2, sizeof(s2), "%u", b->scode);
		err |= add(items, call, w, "status", s1, s2);
	}

	collect(&ha, ma, o);
	collect(&hb, mb, o);

	/* names: removed/added; values: changed, in order per name */
	for (i = 0; i < ha.n; i++) {
		const struct pl *name = &ha.v[i]->name;
		unsigned na = count_name(&ha, name), nb;

		if (nth(&ha, name, 0) != ha.v[i])
			continue; /* each name once */
		nb = count_name(&hb, name);
		for (k = 0; k < na || k < nb; k++) {
			const struct sip_hdr *va = nth(&ha, name, k);
			const struct sip_hdr *vb = nth(&hb, name, k);
			bool exact = listed(o->keep, o->nkeep, name);
			char what[96];

			re_snprintf(what, sizeof(what), "header %r", name);
			if (va && !vb) {
				re_snprintf(x, sizeof(x), "%r", &va->val);
				err |= add(items, call, w, what, x, NULL);
				continue;
			}
			if (!va && vb) {
				re_snprintf(y, sizeof(y), "%r", &vb->val);
				err |= add(items, call, w, what, NULL, y);
				continue;
			}
			if (exact) {
				re_snprintf(x, sizeof(x), "%r", &va->val);
				re_snprintf(y, sizeof(y), "%r", &vb->val);
			}
			else {
				mask(x, sizeof(x), &va->val, name);
				mask(y, sizeof(y), &vb->val, name);
			}
			if (strcmp(x, y))
				err |= add(items, call, w, what, x, y);
		}
	}
	for (i = 0; i < hb.n; i++) {
		const struct pl *name = &hb.v[i]->name;
		char what[96];

		if (nth(&hb, name, 0) != hb.v[i] || count_name(&ha, name))
			continue;
		re_snprintf(what, sizeof(what), "header %r", name);
		for (k = 0; k < count_name(&hb, name); k++) {
			re_snprintf(y, sizeof(y), "%r",
				    &nth(&hb, name, k)->val);
			err |= add(items, call, w, what, NULL, y);
		}
	}

	/* SDP: codecs and directions */
	sdp_summary(x, sizeof(x), ma);
	sdp_summary(y, sizeof(y), mb);
	if (strcmp(x, y))
		err |= add(items, call, w, "sdp", x[0] ? x : NULL,
			   y[0] ? y : NULL);

	/* timing within the call */
	if (o->tolerance_ms) {
		int64_t d = ((int64_t)tb - (int64_t)ta) / 1000;

		if (d > (int64_t)o->tolerance_ms ||
		    -d > (int64_t)o->tolerance_ms) {
			re_snprintf(x, sizeof(x), "%llu ms",
				    (unsigned long long)(ta / 1000));
			re_snprintf(y, sizeof(y), "%llu ms",
				    (unsigned long long)(tb / 1000));
			err |= add(items, call, w, "time into the call", x,
				   y);
		}
	}

	mem_deref(ma);
	mem_deref(mb);
	return err;
}


/* the messages of a trace grouped by call, with their F-numbers, built
 * once: call c's messages are v[start[c - 1] .. start[c]) */
struct bycall {
	unsigned *start;
	const struct trace_msg **v;
	unsigned *fnum;
};


static void bycall_free(struct bycall *bc)
{
	bc->start = mem_deref(bc->start);
	bc->v = mem_deref(bc->v);
	bc->fnum = mem_deref(bc->fnum);
}


static int bycall_init(struct bycall *bc, const struct trace *tr)
{
	unsigned n = list_count(&tr->msgs), c, f = 0;
	unsigned *fill;
	struct le *le;

	bc->start = mem_zalloc((tr->ncalls + 1) * sizeof(unsigned), NULL);
	bc->v = mem_zalloc((n + 1) * sizeof(*bc->v), NULL);
	bc->fnum = mem_zalloc((n + 1) * sizeof(unsigned), NULL);
	fill = mem_zalloc((tr->ncalls + 1) * sizeof(unsigned), NULL);
	if (!bc->start || !bc->v || !bc->fnum || !fill) {
		mem_deref(fill);
		bycall_free(bc);
		return ENOMEM;
	}

	/* counts, then running starts, then fill in capture order */
	for (le = tr->msgs.head; le; le = le->next) {
		const struct trace_msg *m = le->data;
		++bc->start[m->call];
	}
	for (c = 1; c <= tr->ncalls; c++)
		bc->start[c] += bc->start[c - 1];
	for (le = tr->msgs.head; le; le = le->next) {
		const struct trace_msg *m = le->data;
		unsigned i = bc->start[m->call - 1] + fill[m->call]++;

		bc->v[i] = m;
		bc->fnum[i] = ++f;
	}

	mem_deref(fill);
	return 0;
}


/* the messages of call c (at most MAX_CALL_MSGS) */
static unsigned call_msgs(const struct bycall *bc, unsigned ncalls,
			  unsigned c, const struct trace_msg **v,
			  unsigned *fnum)
{
	unsigned i, n = 0;

	if (c > ncalls)
		return 0;

	for (i = bc->start[c - 1]; i < bc->start[c] && n < MAX_CALL_MSGS;
	     i++, n++) {
		v[n] = bc->v[i];
		fnum[n] = bc->fnum[i];
	}

	return n;
}


static int diff_call(struct list *items, const struct trace *ta,
		     const struct bycall *ba, const struct trace *tb,
		     const struct bycall *bb, unsigned c,
		     const struct diff_opts *o)
{
	static const struct trace_msg *va[MAX_CALL_MSGS], *vb[MAX_CALL_MSGS];
	static unsigned fa[MAX_CALL_MSGS], fb[MAX_CALL_MSGS];
	static uint16_t lcs[MAX_CALL_MSGS + 1][MAX_CALL_MSGS + 1];
	unsigned na, nb, i, j;
	uint64_t a0, b0;
	char w[160];
	int err = 0;

	na = call_msgs(ba, ta->ncalls, c, va, fa);
	nb = call_msgs(bb, tb->ncalls, c, vb, fb);
	a0 = na ? va[0]->t_us : 0;
	b0 = nb ? vb[0]->t_us : 0;

	for (i = na + 1; i-- > 0;) {
		for (j = nb + 1; j-- > 0;) {
			if (i == na || j == nb)
				lcs[i][j] = 0;
			else if (same_shape(va[i], vb[j]))
				lcs[i][j] = (uint16_t)(lcs[i + 1][j + 1] + 1);
			else
				lcs[i][j] = lcs[i + 1][j] > lcs[i][j + 1]
						    ? lcs[i + 1][j]
						    : lcs[i][j + 1];
		}
	}

	i = j = 0;
	while (i < na || j < nb) {
		if (i < na && j < nb && same_shape(va[i], vb[j])) {
			err |= compare(items, va[i], vb[j], c, fa[i], o,
				       va[i]->t_us - a0, vb[j]->t_us - b0);
			i++;
			j++;
		}
		else if (j == nb || (i < na && lcs[i + 1][j] >= lcs[i][j + 1])) {
			where(w, sizeof(w), va[i], fa[i]);
			err |= add(items, c, w, "message", va[i]->line, NULL);
			i++;
		}
		else {
			where(w, sizeof(w), vb[j], fb[j]);
			err |= add(items, c, w, "message", NULL, vb[j]->line);
			j++;
		}
	}

	return err;
}


/**
 * Compare two captures; every difference is appended to items. The
 * captures are equivalent when items stays empty.
 */
int diff_traces(struct list *items, const struct trace *a,
		const struct trace *b, const struct diff_opts *o)
{
	struct bycall ba, bb;
	unsigned c, n;
	int err;

	if (!items || !a || !b || !o)
		return EINVAL;

	err = bycall_init(&ba, a);
	if (err)
		return err;
	err = bycall_init(&bb, b);
	if (err) {
		bycall_free(&ba);
		return err;
	}

	n = a->ncalls > b->ncalls ? a->ncalls : b->ncalls;
	for (c = 1; c <= n && !err; c++)
		err = diff_call(items, a, &ba, b, &bb, c, o);

	bycall_free(&ba);
	bycall_free(&bb);

	if (a->nparts != b->nparts) {
		char x[16], y[16];

		re_snprintf(x, sizeof(x), "%u", a->nparts);
		re_snprintf(y, sizeof(y), "%u", b->nparts);
		err |= add(items, 0, "capture", "participants", x, y);
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

		if (!strcmp(d->what, "message"))
			err = re_hprintf(pf, "call %u  %-36s %s\n", d->call,
					 d->where, d->old ? "missing in NEW"
					 : "added in NEW");
		else
			err = re_hprintf(pf, "call %u  %-36s %s: %s%s%s -> "
					 "%s%s%s\n", d->call, d->where,
					 d->what, d->old ? "\"" : "",
					 d->old ? d->old : "(none)",
					 d->old ? "\"" : "", d->new ? "\"" : "",
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
