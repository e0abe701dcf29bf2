/* capture/diff_sdp.c — two SDP summaries compared by structure: media
 * added or removed, and per media line its formats, codecs and direction;
 * the o= version step and the session's direction. A summary is what
 * diff_load.c keeps of a message's SDP: "o+1 a=sendrecv audio: 0 8 101
 * PCMU PCMA telephone-event a=sendonly; video: …" (the version step, the
 * session's attributes, then each m= line: its media, formats, rtpmap
 * names and direction). */
#include <stddef.h>
#include <string.h>
#include <re.h>
#include "pcapr.h"
#include "trace.h"
#include "diff.h"
#include "diff_priv.h"


enum { SDP_MEDIA_MAX = 16, SDP_FIELD = 160 };

/* one section of a summary: the session's (media empty) or a media
 * line's */
struct sdp_part {
	char media[32];
	char fmts[SDP_FIELD];
	char codecs[SDP_FIELD];
	char dir[32];
};

struct sdp_sum {
	char ver[8];
	struct sdp_part s;                 /* session level */
	struct sdp_part m[SDP_MEDIA_MAX];
	unsigned n;
};


static void append(char *f, size_t sz, const char *w, size_t n)
{
	size_t l = strlen(f);

	if (l + n + 2 > sz)
		return;
	if (l)
		f[l++] = ' ';
	memcpy(f + l, w, n);
	f[l + n] = '\0';
}


static bool numeric(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return false;
	}

	return n > 0;
}


/* the summary s, word by word, into its parts */
static void sdp_parse(struct sdp_sum *sum, const char *s)
{
	struct sdp_part *p = &sum->s;

	memset(sum, 0, sizeof(*sum));
	while (*s) {
		size_t n = strcspn(s, " ;");

		if (n && s[n - 1] == ':') {
			if (sum->n == SDP_MEDIA_MAX)
				break;
			p = &sum->m[sum->n++];
			append(p->media, sizeof(p->media), s, n - 1);
		}
		else if (n > 1 && s[0] == 'o' && strchr("=+-", s[1]) &&
			 n < sizeof(sum->ver) && !sum->ver[0] && p == &sum->s)
			append(sum->ver, sizeof(sum->ver), s, n);
		else if (n > 2 && !strncmp(s, "a=", 2))
			append(p->dir, sizeof(p->dir), s + 2, n - 2);
		else if (numeric(s, n))
			append(p->fmts, sizeof(p->fmts), s, n);
		else if (n)
			append(p->codecs, sizeof(p->codecs), s, n);

		s += n;
		s += strspn(s, " ;");
	}
}


/* the fields of a part that differ, what is "sdp MEDIA FIELD" */
static int part_cmp(struct list *items, unsigned call, const char *w,
		    const struct sdp_part *a, const struct sdp_part *b)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{"formats", offsetof(struct sdp_part, fmts)},
		{"codecs", offsetof(struct sdp_part, codecs)},
		{"direction", offsetof(struct sdp_part, dir)},
	};
	char what[96];
	size_t k;
	int err = 0;

	for (k = 0; k < ARRAY_SIZE(fields); k++) {
		const char *x = (const char *)a + fields[k].off;
		const char *y = (const char *)b + fields[k].off;

		if (!strcmp(x, y))
			continue;
		re_snprintf(what, sizeof(what), "sdp %s %s",
			    a->media[0] ? a->media : "session",
			    fields[k].name);
		err |= diff_add(items, call, w, what, x[0] ? x : NULL,
				y[0] ? y : NULL);
	}

	return err;
}


/**
 * The differences between two SDP summaries sa and sb (unequal) of a
 * message at w: an SDP present on one side only as a whole, else media
 * added or removed (m= lines paired by position, RFC 3264 §8), formats,
 * codecs and directions, the o= version step
 */
int diff_sdp(struct list *items, unsigned call, const char *w,
	     const char *sa, const char *sb)
{
	struct sdp_sum *a, *b;
	uint32_t n0 = list_count(items);
	unsigned i;
	int err = 0;

	if (!sa[0] || !sb[0])
		return diff_add(items, call, w, "sdp", sa[0] ? sa : NULL,
				sb[0] ? sb : NULL);

	a = mem_alloc(2 * sizeof(*a), NULL);
	if (!a)
		return ENOMEM;
	b = a + 1;
	sdp_parse(a, sa);
	sdp_parse(b, sb);

	if (strcmp(a->ver, b->ver))
		err |= diff_add(items, call, w, "sdp version step",
				a->ver[0] ? a->ver : NULL,
				b->ver[0] ? b->ver : NULL);
	err |= part_cmp(items, call, w, &a->s, &b->s);

	for (i = 0; i < a->n || i < b->n; i++) {
		const struct sdp_part *x = i < a->n ? &a->m[i] : NULL;
		const struct sdp_part *y = i < b->n ? &b->m[i] : NULL;

		if (x && y && !strcmp(x->media, y->media))
			err |= part_cmp(items, call, w, x, y);
		else
			err |= diff_add(items, call, w, "sdp media",
					x ? x->media : NULL,
					y ? y->media : NULL);
	}

	/* what the parts do not tell apart is shown whole */
	if (!err && list_count(items) == n0)
		err = diff_add(items, call, w, "sdp", sa, sb);

	mem_deref(a);
	return err;
}
