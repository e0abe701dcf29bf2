/* capture/strtab.c — a set of strings (any bytes), each kept once and
 * numbered: the ladder keeps Call-IDs in it, diff every value it compares
 * (runs of one flow repeat them), so memory follows what is distinct, not
 * how many messages a capture holds. Open addressing on a word-wise
 * multiplicative hash. */
#include <string.h>
#include <re.h>
#include "trace.h"


struct trace_strs {
	char *buf;             /* the strings, each followed by a NUL */
	size_t len, cap;
	uint32_t *off;         /* by id; off[n] is the end */
	uint32_t n, ncap;
	uint32_t *slot;        /* open addressing: id + 1, 0 free */
	uint32_t nslot;        /* a power of two */
};


static void strs_destructor(void *data)
{
	struct trace_strs *ts = data;

	mem_deref(ts->buf);
	mem_deref(ts->off);
	mem_deref(ts->slot);
}


/** A set of strings (any bytes), each kept once and numbered */
int trace_strs_alloc(struct trace_strs **tsp)
{
	struct trace_strs *ts;

	if (!tsp)
		return EINVAL;

	ts = mem_zalloc(sizeof(*ts), strs_destructor);
	if (!ts)
		return ENOMEM;

	ts->nslot = 1024;
	ts->slot = mem_zalloc(ts->nslot * sizeof(*ts->slot), NULL);
	ts->ncap = 512;
	ts->off = mem_zalloc(ts->ncap * sizeof(*ts->off), NULL);
	ts->cap = 8192;
	ts->buf = mem_alloc(ts->cap, NULL);
	if (!ts->slot || !ts->off || !ts->buf) {
		mem_deref(ts);
		return ENOMEM;
	}

	*tsp = ts;
	return 0;
}


/* eight bytes at a time, multiplied and folded (FxHash's step, a
 * murmur finish): the strings are header values, tens of bytes long */
static uint32_t strs_hash(const uint8_t *p, size_t len)
{
	const uint64_t k = 0x9e3779b97f4a7c15u;
	uint64_t h = len * k, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = ((h << 5 | h >> 59) ^ w) * k;
	}
	if (len) {
		w = 0;
		memcpy(&w, p, len);
		h = ((h << 5 | h >> 59) ^ w) * k;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;

	return (uint32_t)h;
}


static int strs_rehash(struct trace_strs *ts)
{
	uint32_t nslot = ts->nslot * 2, id, *slot;

	slot = mem_zalloc(nslot * sizeof(*slot), NULL);
	if (!slot)
		return ENOMEM;

	for (id = 0; id < ts->n; id++) {
		size_t len = ts->off[id + 1] - ts->off[id] - 1;
		uint32_t i = strs_hash((uint8_t *)ts->buf + ts->off[id], len);

		for (i &= nslot - 1; slot[i]; i = (i + 1) & (nslot - 1))
			;
		slot[i] = id + 1;
	}

	mem_deref(ts->slot);
	ts->slot = slot;
	ts->nslot = nslot;

	return 0;
}


/** The id of a string, added if new */
int trace_strs_add(struct trace_strs *ts, uint32_t *idp, const void *p,
		   size_t len)
{
	uint32_t h, i, id;

	if (!ts || !idp || (!p && len))
		return EINVAL;

	h = strs_hash(p, len);
	for (i = h & (ts->nslot - 1); ts->slot[i];
	     i = (i + 1) & (ts->nslot - 1)) {
		id = ts->slot[i] - 1;
		if (ts->off[id + 1] - ts->off[id] - 1 == len &&
		    (!len || !memcmp(ts->buf + ts->off[id], p, len))) {
			*idp = id;
			return 0;
		}
	}

	if (ts->len + len + 1 > UINT32_MAX || ts->n + 2 > UINT32_MAX / 2)
		return EOVERFLOW;

	if (ts->len + len + 1 > ts->cap) {
		size_t cap = ts->cap * 2 > ts->len + len + 1
				     ? ts->cap * 2
				     : ts->len + len + 1;
		char *buf = mem_realloc(ts->buf, cap);

		if (!buf)
			return ENOMEM;
		ts->buf = buf;
		ts->cap = cap;
	}
	if (ts->n + 2 > ts->ncap) {
		uint32_t *off = mem_realloc(ts->off,
					    2 * ts->ncap * sizeof(*off));

		if (!off)
			return ENOMEM;
		ts->off = off;
		ts->ncap *= 2;
	}

	id = ts->n++;
	ts->off[id] = (uint32_t)ts->len;
	if (len)
		memcpy(ts->buf + ts->len, p, len);
	ts->buf[ts->len + len] = '\0';
	ts->len += len + 1;
	ts->off[id + 1] = (uint32_t)ts->len;
	ts->slot[i] = id + 1;
	*idp = id;

	/* at most half full */
	if (2 * ts->n > ts->nslot)
		return strs_rehash(ts);

	return 0;
}


/** A string by id (NUL-terminated), and its length */
const char *trace_strs_get(const struct trace_strs *ts, uint32_t id,
			   size_t *lenp)
{
	if (!ts || id >= ts->n)
		return NULL;

	if (lenp)
		*lenp = ts->off[id + 1] - ts->off[id] - 1;

	return ts->buf + ts->off[id];
}


uint32_t trace_strs_count(const struct trace_strs *ts)
{
	return ts ? ts->n : 0;
}
