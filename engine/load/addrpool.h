/* engine/load/addrpool.h — the addresses simulated roles without one listen
 * on */
#ifndef SIPFLOW_ADDRPOOL_H
#define SIPFLOW_ADDRPOOL_H

/** A range of IPv4 addresses, first to last inclusive (host byte order) */
struct addrpool {
	uint32_t first;
	uint32_t last;
};

/** How a pool is written, for messages that refuse one */
#define ADDRPOOL_FORMS "FIRST-LAST such as 127.0.0.10-127.0.3.255, or " \
	"a CIDR block such as 127.0.5.0/24"

/** The default pool: 127.0.0.10-127.255.255.254 */
void addrpool_default(struct addrpool *pool);

/**
 * Parse "FIRST-LAST" (127.0.0.10-127.0.3.255) or a CIDR block
 * (127.0.5.0/24: its hosts, 127.0.5.1-127.0.5.254; a /31 or /32 is
 * every address of it). EINVAL when malformed, *why then says how.
 */
int addrpool_parse(struct addrpool *pool, const char *s, const char **why);

/** How many addresses the pool holds (0 for an empty one, UINT32_MAX at
 *  most: 0.0.0.0-255.255.255.255 holds one more) */
uint32_t addrpool_size(const struct addrpool *pool);

/** Print "FIRST-LAST" */
int addrpool_print(struct re_printf *pf, const struct addrpool *pool);

/**
 * The block of job slot `slot` of `slots`: min(256, size / slots)
 * consecutive addresses, slot 0's first. Empty (size 0) when the pool has
 * fewer addresses than slots.
 */
void addrpool_block(struct addrpool *blk, const struct addrpool *pool,
		    unsigned slot, unsigned slots);

/**
 * An address of blk for the role of index idx on port: block first + idx
 * (modulo the block's size), else the next one after it (wrapping inside
 * the block) that no address of taken has on that port. The same inputs
 * give the same address. ENOENT when every address of blk is taken.
 */
int addrpool_pick(struct sa *sa, const struct addrpool *blk, unsigned idx,
		  uint16_t port, const struct sa *taken, size_t ntaken);

#endif
