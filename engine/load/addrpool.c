/* engine/load/addrpool.c — the addresses simulated roles without one listen on
 *
 * A role that neither the scenario nor the testbed gives an address gets
 * one from a pool of IPv4 addresses (address-pool: in the testbed,
 * --address-pool on the command line; 127.0.0.10-127.255.255.254 when
 * neither says). --jobs N cuts the pool into N blocks, one per job slot,
 * so runs played at once never share an address; inside a block a role
 * prefers the address of its declaration index (a capture shows one host
 * per role, 127.0.0.10, .11, …) and moves on to the next free one when
 * another role of the scenario already has that address and port.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <re.h>
#include "addrpool.h"


enum { BLOCK_MAX = 256 };


void addrpool_default(struct addrpool *pool)
{
	if (!pool)
		return;

	pool->first = 0x7f00000a;  /* 127.0.0.10 */
	pool->last  = 0x7ffffffe;  /* 127.255.255.254 */
}


/* a dotted-quad IPv4 address of the l characters at s, host order */
static int ipv4_parse(uint32_t *ip, const char *s, size_t l)
{
	struct in_addr in;
	char buf[16];

	if (!l || l >= sizeof(buf))
		return EINVAL;

	memcpy(buf, s, l);
	buf[l] = '\0';
	if (inet_pton(AF_INET, buf, &in) != 1)
		return EINVAL;

	*ip = ntohl(in.s_addr);
	return 0;
}


static int parse_cidr(struct addrpool *pool, const char *s,
		      const char *slash, const char **why)
{
	uint32_t ip, mask;
	unsigned long n;
	char *end = NULL;

	if (ipv4_parse(&ip, s, (size_t)(slash - s))) {
		*why = "the address before / is not IPv4";
		return EINVAL;
	}

	if (slash[1] < '0' || slash[1] > '9')
		n = 33;
	else
		n = strtoul(slash + 1, &end, 10);
	if (n > 32 || !end || *end) {
		*why = "the prefix after / is not 0 to 32";
		return EINVAL;
	}

	mask = n ? 0xffffffffu << (32 - n) : 0;
	if (ip & ~mask) {
		*why = "the address has bits set past the prefix (give the "
		       "block's first address)";
		return EINVAL;
	}

	pool->first = ip;
	pool->last = ip | ~mask;

	/* the network and broadcast addresses of a block are not hosts */
	if (n <= 30) {
		++pool->first;
		--pool->last;
	}

	return 0;
}


int addrpool_parse(struct addrpool *pool, const char *s, const char **why)
{
	const char *sep, *dummy;
	uint32_t first, last;

	if (!why)
		why = &dummy;
	*why = "it is empty";
	if (!pool || !s || !*s)
		return EINVAL;

	sep = strchr(s, '/');
	if (sep)
		return parse_cidr(pool, s, sep, why);

	sep = strchr(s, '-');
	if (!sep) {
		*why = "expected FIRST-LAST or ADDRESS/PREFIX";
		return EINVAL;
	}
	if (ipv4_parse(&first, s, (size_t)(sep - s)) ||
	    ipv4_parse(&last, sep + 1, strlen(sep + 1))) {
		*why = "FIRST and LAST must be IPv4 addresses";
		return EINVAL;
	}
	if (last < first) {
		*why = "LAST comes before FIRST";
		return EINVAL;
	}

	pool->first = first;
	pool->last = last;

	return 0;
}


uint32_t addrpool_size(const struct addrpool *pool)
{
	if (!pool || pool->last < pool->first)
		return 0;

	/* a whole /0 holds 2^32 - 2 hosts; 0.0.0.0-255.255.255.255 holds
	 * 2^32, which does not fit: UINT32_MAX, never 0 */
	if (pool->last - pool->first == UINT32_MAX)
		return UINT32_MAX;

	return pool->last - pool->first + 1;
}


static int ipv4_print(struct re_printf *pf, uint32_t ip)
{
	return re_hprintf(pf, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
			  (ip >> 8) & 0xff, ip & 0xff);
}


int addrpool_print(struct re_printf *pf, const struct addrpool *pool)
{
	int err;

	if (!pool)
		return 0;

	err = ipv4_print(pf, pool->first);
	err |= re_hprintf(pf, "-");
	err |= ipv4_print(pf, pool->last);

	return err;
}


void addrpool_block(struct addrpool *blk, const struct addrpool *pool,
		    unsigned slot, unsigned slots)
{
	uint32_t size, n;

	if (!blk)
		return;

	size = addrpool_size(pool);
	n = slots ? size / slots : 0;
	if (n > BLOCK_MAX)
		n = BLOCK_MAX;

	if (!n || slot >= slots) {
		/* empty: last before first */
		blk->first = 1;
		blk->last = 0;
		return;
	}

	blk->first = pool->first + slot * n;
	blk->last = blk->first + n - 1;
}


static bool is_taken(uint32_t ip, uint16_t port, const struct sa *taken,
		     size_t ntaken)
{
	size_t i;

	for (i = 0; i < ntaken; i++) {
		if (sa_af(&taken[i]) == AF_INET && sa_in(&taken[i]) == ip &&
		    sa_port(&taken[i]) == port)
			return true;
	}

	return false;
}


int addrpool_pick(struct sa *sa, const struct addrpool *blk, unsigned idx,
		  uint16_t port, const struct sa *taken, size_t ntaken)
{
	uint32_t size = addrpool_size(blk), k;

	if (!sa)
		return EINVAL;

	for (k = 0; k < size; k++) {
		uint32_t ip = blk->first +
			      (uint32_t)(((uint64_t)idx + k) % size);

		if (is_taken(ip, port, taken, ntaken))
			continue;

		sa_set_in(sa, ip, port);
		return 0;
	}

	return ENOENT;
}
