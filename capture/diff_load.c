/* capture/diff_load.c — read a capture for comparison: the headers of
 * each message are walked where they lie as it is read (as libre would
 * list them, pcapr_hdrs_next) and only what is compared is kept (its
 * shape; its masked header values and SDP summary as ids into a table of
 * strings kept once). A value shown unmasked is read again at the end
 * (diff_fetch_all). The comparison itself is diff.c. */
#include <string.h>
#include <stdlib.h>
#include <ctype.h>
#include <re.h>
#include "hdr.h"
#include "pcapr.h"
#include "trace.h"
#include "diff.h"
#include "diff_priv.h"


/* headers that always differ between runs: not compared by default */
static const char *const volatile_hdrs[] = {
	"Call-ID", "Content-Length", "Date", "Timestamp", "User-Agent",
	"Server", "Via",
};

static bool listed(const char *const *v, size_t n, const struct pl *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (hdr_name_eq(v[i], name))
			return true;
	}

	return false;
}

/* the length of an IPv4 address (with its port) at p, or 0 */
static size_t addr_len(const char *p, size_t left)
{
	size_t j = 0, dots = 0;

	while (j < left && (isdigit((unsigned char)p[j]) || p[j] == '.')) {
		dots += p[j] == '.';
		j++;
	}
	if (dots != 3)
		return 0;
	if (j < left && p[j] == ':') {
		j++;
		while (j < left && isdigit((unsigned char)p[j]))
			j++;
	}

	return j;
}


/* p starts with lit (lower case, as strncasecmp compares) */
static bool starts_icase(const char *p, size_t left, const char *lit,
			 size_t n)
{
	size_t i;

	if (left <= n)
		return false;
	for (i = 0; i < n; i++) {
		if (tolower((unsigned char)p[i]) != lit[i])
			return false;
	}

	return true;
}


/* the length of a parameter whose value is masked at p (its name's in
 * *nl), or 0 */
static size_t param_len(const char *p, size_t left, size_t *nl)
{
	static const struct {
		const char *name;
		size_t len;
	} params[] = {
		{";tag=", 5}, {"branch=", 7}, {"received=", 9}, {"rport=", 6},
	};
	size_t k, j;

	for (k = 0; k < ARRAY_SIZE(params); k++) {
		if (starts_icase(p, left, params[k].name, params[k].len))
			break;
	}
	if (k == ARRAY_SIZE(params))
		return 0;

	*nl = params[k].len;
	for (j = *nl; j < left && p[j] != ';' && p[j] != '>' && p[j] != ',';
	     j++)
		;

	return j;
}


/* what may start a masked part: a digit (an address), ';', 'b', 'r' */
static const bool mask_start[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
	['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	[';'] = 1, ['b'] = 1, ['B'] = 1, ['r'] = 1, ['R'] = 1,
};


/* the value with what differs between runs replaced by a word:
 * addresses, ports, tags, branches, received/rport, CSeq numbers;
 * at most sz - 12 characters kept before the last word */
static void mask(char *out, size_t sz, const struct pl *v, bool cseq)
{
	size_t i = 0, o = 0, j, nl;

	while (i < v->l && o + 12 < sz) {
		const char *p = v->p + i;
		size_t left = v->l - i;

		if (isdigit((unsigned char)*p) && (j = addr_len(p, left))) {
			memcpy(out + o, "<addr>", 6);
			o += 6;
			i += j;
			continue;
		}
		if ((j = param_len(p, left, &nl))) {
			memcpy(out + o, p, nl);
			out[o + nl] = '*';
			o += nl + 1;
			i += j;
			continue;
		}

		/* up to what may start a masked part, as it is */
		for (j = 1; j < left && o + j + 12 < sz &&
			    !mask_start[(unsigned char)p[j]];
		     j++)
			;
		memcpy(out + o, p, j);
		o += j;
		i += j;
	}
	out[o] = '\0';

	/* CSeq: the method counts, the number does not */
	if (cseq) {
		char *sp = strchr(out, ' ');
		if (sp)
			memmove(out, sp + 1, strlen(sp));
	}
}


/* how a header name is compared: what its spelling says, found once.
 * The last spelling seen for each libre id is tried first (a header is
 * mostly spelt one way in a capture); else the names as spelt. */
static const struct dname *dname_of(struct diff_capture *dc,
				    const struct pcapr_hdr *x)
{
	const struct diff_opts *o = dc->o;
	const struct pl *name = &x->name;
	uint32_t *last = &dc->byid[(uint32_t)x->id & 0xfff]; /* none: 0xfff */
	struct dname *dn;
	const char *s;
	uint32_t id;
	size_t l;

	if (*last) {
		s = trace_strs_get(dc->names, *last - 1, &l);
		if (l == name->l && !memcmp(s, name->p, l))
			return &dc->namev[*last - 1];
	}

	dc->err = trace_strs_add(dc->names, &id, name->p, name->l);
	if (dc->err)
		return NULL;
	*last = id + 1;
	if (id < dc->nnames)
		return &dc->namev[id];

	if (dc->nnames == dc->namecap) {
		uint32_t cap = dc->namecap ? 2 * dc->namecap : 64;
		struct dname *v = dc->namev
			? mem_realloc(dc->namev, cap * sizeof(*v))
			: mem_alloc(cap * sizeof(*v), NULL);
		if (!v) {
			dc->err = ENOMEM;
			return NULL;
		}
		dc->namev = v;
		dc->namecap = cap;
	}

	dn = &dc->namev[dc->nnames++];
	memset(dn, 0, sizeof(*dn));
	dn->keep = listed(o->keep, o->nkeep, name);
	dn->skip = listed(o->ignore, o->nignore, name) ||
		   (listed(volatile_hdrs, ARRAY_SIZE(volatile_hdrs), name) &&
		    !dn->keep);
	dn->cseq = hdr_name_eq("CSeq", name);
	if (!dn->skip)
		dc->err = trace_strs_add(dc->strs, &dn->sid, name->p,
					 name->l);

	return dc->err ? NULL : dn;
}


/* the headers compared of a message, as libre lists them; EBADMSG where
 * libre would not decode the message, whose headers are then not
 * compared. it->p is then where the body starts. */
static int collect(struct diff_capture *dc, struct hdrs *h,
		   struct pcapr_hdrs *it, const struct pcapr_msg *pm)
{
	struct pcapr_hdr x;
	int err;

	h->n = 0;
	pcapr_hdrs_init(it, pm->p, pm->len);
	while (!(err = pcapr_hdrs_next(it, &x))) {
		const struct dname *dn;

		if (h->n == MAX_HDRS)
			continue;
		dn = dname_of(dc, &x);
		if (!dn)
			return dc->err;
		if (dn->skip)
			continue;
		h->name[h->n] = x.name;
		h->val[h->n] = x.val;
		h->nid[h->n] = dn->sid;
		h->flags[h->n] = (uint8_t)((dn->keep ? HDR_KEEP : 0) |
					   (dn->cseq ? HDR_CSEQ : 0));
		h->n++;
	}

	return err == ENOENT ? 0 : err;
}


/* the index of the k-th value (0-based) of a header name, or -1 */
int diff_hdrs_nth(const struct hdrs *h, const struct pl *name, unsigned k)
{
	unsigned i;

	for (i = 0; i < h->n; i++) {
		if (hdr_name_eq_pl(name, &h->name[i]) && !k--)
			return (int)i;
	}

	return -1;
}

/*
 * The SDP lines summarised are matched as libre's re_regex matches them
 * (case-insensitive literals, greedy runs without backtracking, tried
 * from each position of the line in turn, and given up at once where the
 * line ends before a literal), so the summary is the one a decode made.
 */

/* the literal lit (lower case) at p[i]: 1, else 0; -1 where the line
 * ends first */
static int lit_at(const struct pl *line, size_t i, const char *lit)
{
	for (; *lit; lit++, i++) {
		if (i == line->l)
			return -1;
		if (tolower((unsigned char)line->p[i]) != *lit)
			return 0;
	}

	return 1;
}


/* re_regex(line, "m=[^ ]+ [^ ]+ [^ ]+ [^]*", &media, , , &fmts) */
static bool m_line(const struct pl *line, struct pl *media, struct pl *fmts)
{
	size_t s, i, j, k;
	int lit;

	for (s = 0; s < line->l; s++) {
		lit = lit_at(line, s, "m=");
		if (lit < 0)
			return false;
		if (!lit)
			continue;
		for (i = s + 2, k = 0; k < 3; k++, i = j + 1) {
			for (j = i; j < line->l && line->p[j] != ' '; j++)
				;
			if (j == i)
				break;
			if (j == line->l)
				return false;
			if (!k) {
				media->p = line->p + i;
				media->l = j - i;
			}
		}
		if (k < 3)
			continue;
		fmts->p = line->p + i;
		fmts->l = line->l - i;
		return true;
	}

	return false;
}


/* re_regex(line, "a=rtpmap:[0-9]+ [^/]+", , &name) */
static bool rtpmap(const struct pl *line, struct pl *name)
{
	size_t s, i, j;
	int lit;

	for (s = 0; s < line->l; s++) {
		lit = lit_at(line, s, "a=rtpmap:");
		if (lit < 0)
			return false;
		if (!lit)
			continue;
		for (i = j = s + 9; j < line->l && isdigit((unsigned char)
							    line->p[j]); j++)
			;
		if (j == i)
			continue;
		if (j == line->l)
			return false;
		if (line->p[j] != ' ')
			continue;
		for (i = j = j + 1; j < line->l && line->p[j] != '/'; j++)
			;
		if (j == i)
			continue;
		name->p = line->p + i;
		name->l = j - i;
		return true;
	}

	return false;
}


/* "PCMU PCMA telephone-event sendrecv" for each m= line */
static void sdp_summary(char *out, size_t sz, const char *p,
			const char *end)
{
	size_t o = 0;

	out[0] = '\0';
	while (p < end && o + 40 < sz) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		struct pl line = {p, (size_t)((eol ? eol : end) - p)};

		if (line.l && line.p[line.l - 1] == '\r')
			line.l--;
		p = eol ? eol + 1 : end;

		if (line.l > 2 && !strncmp(line.p, "m=", 2)) {
			struct pl media, fmts;

			if (m_line(&line, &media, &fmts))
				o += (size_t)re_snprintf(out + o, sz - o,
					"%s%r: %r", o ? "; " : "", &media,
					&fmts);
		}
		else if (line.l > 9 && !strncmp(line.p, "a=rtpmap:", 9)) {
			struct pl name;

			if (rtpmap(&line, &name))
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


static uint32_t keep_str(struct diff_capture *dc, const char *p, size_t len)
{
	uint32_t id = 0;

	if (!dc->err)
		dc->err = trace_strs_add(dc->strs, &id, p, len);

	return id;
}


/* a pl kept once (an empty one for none) */
static uint32_t keep_pl(struct diff_capture *dc, const struct pl *pl)
{
	return pl->p ? keep_str(dc, pl->p, strnlen(pl->p, pl->l))
		     : keep_str(dc, "", 0);
}


/* a message as the comparison needs it: its place and shape, and its
 * headers and SDP summary as compared (masked), each string kept once */
static void load_h(const struct pcapr_msg *pm, void *arg)
{
	struct diff_capture *dc = arg;
	uint32_t ord = dc->nread++, pairs[2 * MAX_HDRS];
	const struct pcapr_sip *s = &pm->sip;
	struct pcapr_hdrs it;
	struct trace_msg m;
	struct dmsg *dm;
	struct hdrs h;
	char x[VAL_MAX];
	unsigned i;

	if (dc->err)
		return;

	/* what libre does not decode is not part of the flow compared */
	if (collect(dc, &h, &it, pm)) {
		if (dc->err)
			return;
		++dc->tr->st.malformed;
		--dc->tr->st.sip;
		return;
	}

	if (dc->n == dc->cap) {
		uint32_t cap = dc->cap ? 2 * dc->cap : 1024;
		struct dmsg *v = dc->v ? mem_realloc(dc->v, cap * sizeof(*v))
				       : mem_alloc(cap * sizeof(*v), NULL);
		if (!v) {
			dc->err = ENOMEM;
			return;
		}
		dc->v = v;
		dc->cap = cap;
	}

	dc->err = trace_place(dc->tr, &m, pm);
	if (dc->err)
		return;

	dm = &dc->v[dc->n++];
	memset(dm, 0, sizeof(*dm));
	dm->t_us = m.t_us;
	dm->ord = ord;
	dm->call = m.call;
	dm->from = (uint16_t)m.from;
	dm->to = (uint16_t)m.to;
	dm->req = s->req;
	dm->scode = s->scode;
	dm->line = keep_pl(dc, &m.line);
	dm->method = keep_pl(dc, s->req ? &s->met : &it.cseq_met);

	for (i = 0; i < h.n; i++) {
		if (h.flags[i] & HDR_KEEP)
			re_snprintf(x, sizeof(x), "%r", &h.val[i]);
		else
			mask(x, sizeof(x), &h.val[i], h.flags[i] & HDR_CSEQ);
		pairs[2 * i] = h.nid[i];
		pairs[2 * i + 1] = keep_str(dc, x, strlen(x));
	}
	dm->hdrs = keep_str(dc, (const char *)pairs, h.n * 2 * sizeof(*pairs));

	sdp_summary(x, sizeof(x), (const char *)it.p,
		    (const char *)pm->p + pm->len);
	dm->sdp = keep_str(dc, x, strlen(x));
}


static void capture_destructor(void *data)
{
	struct diff_capture *dc = data;

	mem_deref(dc->path);
	mem_deref(dc->tr);
	mem_deref(dc->strs);
	mem_deref(dc->v);
	mem_deref(dc->fv);
	mem_deref(dc->names);
	mem_deref(dc->namev);
}


/**
 * Read a capture for comparison. Options o must stay valid until the
 * capture is compared: what is masked is decided here.
 */
int diff_load(struct diff_capture **dcp, const char *path,
	      const struct diff_opts *o, char **why)
{
	struct diff_capture *dc;
	int err;

	if (!dcp || !path || !o)
		return EINVAL;

	dc = mem_zalloc(sizeof(*dc), capture_destructor);
	if (!dc)
		return ENOMEM;

	dc->o = o;
	err = str_dup(&dc->path, path);
	if (!err)
		err = trace_alloc(&dc->tr);
	if (!err)
		err = trace_strs_alloc(&dc->strs);
	if (!err)
		err = trace_strs_alloc(&dc->names);
	if (!err)
		err = trace_read(dc->tr, path, load_h, dc, why);
	if (!err)
		err = dc->err;

	if (err)
		mem_deref(dc);
	else
		*dcp = dc;

	return err;
}


unsigned diff_capture_msgs(const struct diff_capture *dc)
{
	return dc ? dc->n : 0;
}


unsigned diff_capture_calls(const struct diff_capture *dc)
{
	return dc ? dc->tr->ncalls : 0;
}

static int fetch_cmp(const void *a, const void *b)
{
	const struct fetch *x = a, *y = b;

	return x->ord < y->ord ? -1 : x->ord > y->ord;
}


static void fetch_h(const struct pcapr_msg *pm, void *arg)
{
	struct diff_capture *dc = arg;
	uint32_t ord = dc->nread++;
	struct pcapr_hdrs it;
	struct hdrs h;
	char x[VAL_MAX];

	if (dc->err || dc->fi >= dc->nf || dc->fv[dc->fi].ord != ord)
		return;

	if (collect(dc, &h, &it, pm))
		return;
	for (; dc->fi < dc->nf && dc->fv[dc->fi].ord == ord; dc->fi++) {
		const struct fetch *f = &dc->fv[dc->fi];
		struct pl name;
		int i;

		name.p = trace_strs_get(dc->strs, f->name, &name.l);
		i = diff_hdrs_nth(&h, &name, f->k);
		if (i < 0)
			continue;
		re_snprintf(x, sizeof(x), "%r", &h.val[i]);
		dc->err |= str_dup(f->old ? &f->d->old : &f->d->new, x);
	}
}


/* the values to show as they are, read again from the capture */
int diff_fetch_all(struct diff_capture *dc)
{
	uint32_t i;
	int err;

	if (!dc->nf)
		return 0;

	qsort(dc->fv, dc->nf, sizeof(*dc->fv), fetch_cmp);
	dc->nread = 0;
	dc->fi = 0;
	err = trace_read(dc->tr, dc->path, fetch_h, dc, NULL);
	if (!err)
		err = dc->err;

	/* the capture changed since it was read */
	for (i = 0; i < dc->nf && !err; i++) {
		const struct fetch *f = &dc->fv[i];

		if (!(f->old ? f->d->old : f->d->new))
			err = ESTALE;
	}

	dc->nf = 0;
	return err;
}
