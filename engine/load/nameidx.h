/* engine/load/nameidx.h — a hash table from names to the objects that own
 * them: the loader's lookups of step ids and variables, which walked
 * lists (quadratic in a flow of many steps or vars:) */
#ifndef SIPFLOW_NAMEIDX_H
#define SIPFLOW_NAMEIDX_H

struct nameidx;

int   nameidx_add(struct nameidx **nip, const char *name, void *obj);
int   nameidx_set(struct nameidx **nip, const char *name, void *obj);
void *nameidx_find(const struct nameidx *ni, const char *name, size_t len);

#endif
