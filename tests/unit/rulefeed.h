/* tests/unit/rulefeed.h — a message as a device sent it, decoded as a run
 * receives it and put through every conformance rule, in a call: what
 * test_rules.c's hostile messages and tests/fuzz/fuzz_sip.c share */
#ifndef SIPFLOW_RULEFEED_H
#define SIPFLOW_RULEFEED_H

#include <stdint.h>
#include <stddef.h>

struct mbuf;

/** The call a message arrives in, and what the rules made of it */
struct rulefeed {
	struct mbuf *invite;  /* A's INVITE to B, as on the wire */
	struct mbuf *ok;      /* B's 200 to it */
	unsigned decoded;     /* messages that decoded and were checked */
	unsigned found;       /* findings, all messages together */
	unsigned broken;      /* results against the rules' contract: a
				 count of errors beyond the findings, a
				 finding that names no rule of the table */
};

int rulefeed_msg(struct rulefeed *rf, const uint8_t *p, size_t n);

#endif
