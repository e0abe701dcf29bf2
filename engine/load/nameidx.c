/* engine/load/nameidx.c — a hash table from names to the objects that own
 * them
 *
 * The loader looked step ids (a duplicate? the step answers: names) and
 * variables (${name}, a vars: name defined twice) up by walking lists:
 * a flow of n steps or n vars: took n^2/2 comparisons (20000 steps: 30
 * s to lint; 30000 vars: 20 s). An index holds each name once, as a
 * pointer into the object that owns it; it is released before them.
 */
#include <string.h>
#include <re.h>
#include "nameidx.h"


enum { NAMEIDX_BUCKETS = 256 };

/** The index: a mem object */
struct nameidx {
	struct hash *h;
};

/** One name */
struct nameent {
	struct le he;
	const char *name;       /* the object's own */
	size_t len;
	void *obj;
};


static void nameidx_destructor(void *data)
{
	struct nameidx *ni = data;

	hash_flush(ni->h);
	mem_deref(ni->h);
}


/* the hash of the len characters at p (not NUL-terminated) */
static uint32_t name_hash(const char *p, size_t len)
{
	return hash_joaat((const uint8_t *)p, len);
}


/**
 * Index obj under name (a string obj owns, kept as a pointer), the
 * index allocated on the first name. ENOMEM: nothing added.
 */
int nameidx_add(struct nameidx **nip, const char *name, void *obj)
{
	struct nameent *e;
	struct nameidx *ni;

	if (!nip || !name)
		return EINVAL;

	ni = *nip;
	if (!ni) {
		ni = mem_zalloc(sizeof(*ni), nameidx_destructor);
		if (!ni || hash_alloc(&ni->h, NAMEIDX_BUCKETS)) {
			mem_deref(ni);
			return ENOMEM;
		}
		*nip = ni;
	}

	e = mem_zalloc(sizeof(*e), NULL);
	if (!e)
		return ENOMEM;
	e->name = name;
	e->len = strlen(name);
	e->obj = obj;
	hash_append(ni->h, name_hash(name, e->len), &e->he, e);

	return 0;
}


/** What a search looks for: the len characters at name */
struct namekey {
	const char *name;
	size_t len;
};


static bool name_eq(struct le *le, void *arg)
{
	const struct nameent *e = le->data;
	const struct namekey *k = arg;

	return e->len == k->len && !memcmp(e->name, k->name, k->len);
}


static struct nameent *entry(const struct nameidx *ni, const char *name,
			     size_t len)
{
	struct namekey k = {name, len};
	struct le *le;

	if (!ni || !name)
		return NULL;

	le = hash_lookup(ni->h, name_hash(name, len), name_eq, &k);

	return le ? le->data : NULL;
}


/** The object first indexed under the len characters at name, or NULL
 *  (ni NULL: nothing indexed) */
void *nameidx_find(const struct nameidx *ni, const char *name, size_t len)
{
	struct nameent *e = entry(ni, name, len);

	return e ? e->obj : NULL;
}


/** Index obj under name, in place of what was there under that name
 *  (the latest wins) */
int nameidx_set(struct nameidx **nip, const char *name, void *obj)
{
	struct nameent *e = nip && name ? entry(*nip, name, strlen(name))
		: NULL;

	if (!e)
		return nameidx_add(nip, name, obj);

	e->name = name;
	e->obj = obj;

	return 0;
}
