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
#include "textline.h"
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

/**
 * Grow a vector *vp of *capp elements of size bytes to hold need (at
 * least doubling it)
 */
int diff_grow(void **vp, uint32_t *capp, uint32_t need, size_t size)
{
	uint32_t cap = *capp ? 2 * *capp : 64;
	void *v;

	if (need <= *capp)
		return 0;
	if (cap < need)
		cap = need;
	v = *vp ? mem_realloc(*vp, cap * size) : mem_alloc(cap * size, NULL);
	if (!v)
		return ENOMEM;
	*vp = v;
	*capp = cap;

	return 0;
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

	dc->err = diff_grow((void **)&dc->namev, &dc->namecap,
			    dc->nnames + 1, sizeof(*dc->namev));
	if (dc->err)
		return NULL;

	dn = &dc->namev[dc->nnames++];
	memset(dn, 0, sizeof(*dn));
	dn->keep = listed(o->keep, o->nkeep, name);
	dn->skip = listed(o->ignore, o->nignore, name) ||
		   (listed(volatile_hdrs, ARRAY_SIZE(volatile_hdrs), name) &&
		    !dn->keep);
	dn->cseq = hdr_name_eq("CSeq", name);
	dn->dialog = hdr_name_eq("Replaces", name) ||
		     hdr_name_eq("Join", name) ||
		     hdr_name_eq("Target-Dialog", name);
	dn->countdown = hdr_name_eq("Subscription-State", name);
	dn->digest = hdr_name_eq("Authorization", name) ||
		     hdr_name_eq("Proxy-Authorization", name) ||
		     hdr_name_eq("WWW-Authenticate", name) ||
		     hdr_name_eq("Proxy-Authenticate", name);
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
		h->flags[h->n] = (uint8_t)(
			(dn->keep ? HDR_KEEP : 0) | (dn->cseq ? HDR_CSEQ : 0) |
			(dn->dialog ? HDR_DIALOG : 0) |
			(dn->countdown ? HDR_COUNTDOWN : 0) |
			(dn->digest ? HDR_DIGEST : 0));
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


/* how the o= version moved since the last SDP of the same origin
 * (username and session id) in call c: "" the first, "=" the same, "+1"
 * up by one (RFC 3264 8), "+" up by more, "-" down */
static const char *origin_step(struct diff_capture *dc,
			       const struct pl *line, unsigned c)
{
	struct pl user, sid, ver;
	char key[160];
	uint64_t v, *last;
	uint32_t id;
	int n;

	if (re_regex(line->p, line->l, "o=[^ ]+ [^ ]+ [0-9]+", &user, &sid,
		     &ver))
		return "";
	n = re_snprintf(key, sizeof(key), "%u %r %r", c, &user, &sid);
	if (n < 0 || dc->err)
		return "";
	dc->err = trace_strs_add(dc->origins, &id, key, (size_t)n);
	if (!dc->err && id == dc->norig)
		dc->err = diff_grow((void **)&dc->origv, &dc->origcap,
				    dc->norig + 1, sizeof(*dc->origv));
	if (dc->err)
		return "";

	v = pl_u64(&ver);
	last = &dc->origv[id];
	if (id == dc->norig) {
		dc->norig++;
		*last = v;
		return "";
	}
	if (v == *last)
		return "o= ";
	n = v < *last ? -1 : v == *last + 1 ? 1 : 2;
	*last = v;

	return n < 0 ? "o- " : n == 1 ? "o+1 " : "o+ ";
}


/* "PCMU PCMA telephone-event sendrecv" for each m= line, after how the
 * o= version moved */
static void sdp_summary(struct diff_capture *dc, char *out, size_t sz,
			const char *p, const char *end, unsigned c)
{
	size_t o = 0;
	bool media = false;
	struct pl line;

	out[0] = '\0';
	while (o + 40 < sz && text_line(&p, end, &line)) {

		if (line.l > 2 && !strncmp(line.p, "o=", 2)) {
			o += (size_t)re_snprintf(out + o, sz - o, "%s",
						 origin_step(dc, &line, c));
		}
		else if (line.l > 2 && !strncmp(line.p, "m=", 2)) {
			struct pl mt, fmts;

			if (m_line(&line, &mt, &fmts)) {
				o += (size_t)re_snprintf(out + o, sz - o,
					"%s%r: %r", media ? "; " : "", &mt,
					&fmts);
				media = true;
			}
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

	dc->err = diff_grow((void **)&dc->v, &dc->cap, dc->n + 1,
			    sizeof(*dc->v));
	if (!dc->err)
		dc->err = trace_place(dc->tr, &m, pm);
	while (!dc->err && dc->ncallsmasked < m.call)
		dc->err = diff_mask_call(dc, ++dc->ncallsmasked);
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
			diff_mask(dc, x, sizeof(x), &h.val[i], h.flags[i],
				  m.call);
		pairs[2 * i] = h.nid[i];
		pairs[2 * i + 1] = keep_str(dc, x, strlen(x));
	}
	dm->hdrs = keep_str(dc, (const char *)pairs, h.n * 2 * sizeof(*pairs));

	sdp_summary(dc, x, sizeof(x), (const char *)it.p,
		    (const char *)pm->p + pm->len, m.call);
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
	mem_deref(dc->toks);
	mem_deref(dc->tokv);
	mem_deref(dc->kcount);
	mem_deref(dc->origins);
	mem_deref(dc->origv);
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
		err = trace_strs_alloc(&dc->toks);
	if (!err)
		err = trace_strs_alloc(&dc->origins);
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
		dc->err |= diff_text(f->old ? &f->d->old : &f->d->new, x);
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
