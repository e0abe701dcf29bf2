/* capture/diff_load.c — read a capture for comparison: each message is
 * decoded once as it is read and only what is compared is kept (its
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

void diff_hdrs_collect(struct hdrs *h, const struct sip_msg *m,
		    const struct diff_opts *o)
{
	struct le *le;

	h->n = 0;
	for (le = m->hdrl.head; le && h->n < MAX_HDRS; le = le->next) {
		const struct sip_hdr *x = le->data;

		if (listed(o->ignore, o->nignore, &x->name))
			continue;
		if (listed(volatile_hdrs, ARRAY_SIZE(volatile_hdrs),
			   &x->name) && !listed(o->keep, o->nkeep, &x->name))
			continue;
		h->name[h->n] = x->name;
		h->val[h->n] = x->val;
		h->n++;
	}
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


static struct sip_msg *decode(struct diff_capture *dc,
			      const struct pcapr_msg *pm)
{
	struct sip_msg *msg = NULL;

	mbuf_rewind(dc->mb);
	if (mbuf_write_mem(dc->mb, pm->p, pm->len))
		return NULL;
	dc->mb->pos = 0;
	if (sip_msg_decode(&msg, dc->mb))
		return NULL;

	return msg;
}


static uint32_t keep_str(struct diff_capture *dc, const char *p, size_t len)
{
	uint32_t id = 0;

	if (!dc->err)
		dc->err = trace_strs_add(dc->strs, &id, p, len);

	return id;
}


/* a message as the comparison needs it: its place and shape, and its
 * headers and SDP summary as compared (masked), each string kept once */
static void load_h(const struct pcapr_msg *pm, void *arg)
{
	struct diff_capture *dc = arg;
	uint32_t ord = dc->nread++, pairs[2 * MAX_HDRS];
	const struct diff_opts *o = dc->o;
	struct sip_msg *msg;
	struct trace_msg m;
	struct dmsg *dm;
	struct hdrs h;
	char x[VAL_MAX];
	unsigned i;

	if (dc->err)
		return;

	/* what libre does not decode is not part of the flow compared */
	msg = decode(dc, pm);
	if (!msg) {
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
			goto out;
		}
		dc->v = v;
		dc->cap = cap;
	}

	dc->err = trace_place(dc->tr, &m, pm);
	if (dc->err)
		goto out;

	dm = &dc->v[dc->n++];
	memset(dm, 0, sizeof(*dm));
	dm->t_us = m.t_us;
	dm->ord = ord;
	dm->call = m.call;
	dm->from = (uint16_t)m.from;
	dm->to = (uint16_t)m.to;
	dm->req = msg->req;
	dm->scode = msg->scode;
	dm->line = keep_str(dc, m.line.p, strnlen(m.line.p, m.line.l));
	{
		const struct pl *met = msg->req ? &msg->met : &msg->cseq.met;

		dm->method = keep_str(dc, met->p, strnlen(met->p, met->l));
	}

	diff_hdrs_collect(&h, msg, o);
	for (i = 0; i < h.n; i++) {
		if (listed(o->keep, o->nkeep, &h.name[i]))
			re_snprintf(x, sizeof(x), "%r", &h.val[i]);
		else
			mask(x, sizeof(x), &h.val[i], &h.name[i]);
		pairs[2 * i] = keep_str(dc, h.name[i].p, h.name[i].l);
		pairs[2 * i + 1] = keep_str(dc, x, strlen(x));
	}
	dm->hdrs = keep_str(dc, (const char *)pairs, h.n * 2 * sizeof(*pairs));

	sdp_summary(x, sizeof(x), msg);
	dm->sdp = keep_str(dc, x, strlen(x));

 out:
	mem_deref(msg);
}


static void capture_destructor(void *data)
{
	struct diff_capture *dc = data;

	mem_deref(dc->path);
	mem_deref(dc->tr);
	mem_deref(dc->strs);
	mem_deref(dc->v);
	mem_deref(dc->fv);
	mem_deref(dc->mb);
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
	dc->mb = mbuf_alloc(2048);
	err = dc->mb ? str_dup(&dc->path, path) : ENOMEM;
	if (!err)
		err = trace_alloc(&dc->tr);
	if (!err)
		err = trace_strs_alloc(&dc->strs);
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
	struct sip_msg *msg;
	struct hdrs h;
	char x[VAL_MAX];

	if (dc->err || dc->fi >= dc->nf || dc->fv[dc->fi].ord != ord)
		return;

	msg = decode(dc, pm);
	if (!msg)
		return;

	diff_hdrs_collect(&h, msg, dc->o);
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

	mem_deref(msg);
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
