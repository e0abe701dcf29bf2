/* tests/unit/rulefeed.c — a message as a device sent it, decoded as a run
 * receives it and put through every conformance rule, in a call: what
 * test_rules.c's hostile messages and tests/fuzz/fuzz_sip.c share */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "ledger.h"
#include "rules.h"
#include "rulefeed.h"


static struct role ra = {.name = "A"}, rb = {.name = "B"};


/* a finding is printed as a report would: into nothing */
static int null_h(const char *p, size_t size, void *arg)
{
	(void)p;
	(void)size;
	(void)arg;
	return 0;
}


static struct msgrec *rec(struct mbuf *mb, struct role *from)
{
	struct msgrec *r = NULL;

	if (msgrec_alloc(&r, mb))
		return NULL;
	r->from = from;
	r->to = from == &ra ? &rb : &ra;
	return r;
}


/* r, received by A after the call's INVITE (inv) and 200 (ok) */
static void check(struct rulefeed *rf, struct msgrec *r, struct msgrec *inv,
		  struct msgrec *ok)
{
	struct re_printf pf = {null_h, NULL};
	struct list findings = LIST_INIT;
	struct ledger rcv;
	struct rulectx c;
	struct le *le;
	int nerr;

	memset(&rcv, 0, sizeof(rcv));
	list_append(&rcv.rx, &inv->rx_le, inv);
	list_append(&rcv.rx, &ok->rx_le, ok);
	list_append(&rcv.rx, &r->rx_le, r);

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.m = r->msg;
	c.rcv = &rcv;
	c.req = r->msg->req ? NULL : inv;
	c.ant = r->msg->req ? inv : NULL;
	nerr = rules_check(&findings, &c, NULL, NULL, false);
	if (nerr < 0 || (unsigned)nerr > list_count(&findings))
		++rf->broken;

	for (le = findings.head; le; le = le->next) {
		const struct finding *f = le->data;

		if (!rule_find(f->rule->id))
			++rf->broken;
		(void)finding_print(&pf, f);
		++rf->found;
	}

	++rf->decoded;
	list_flush(&findings);
	list_clear(&rcv.rx);
}


/**
 * The n bytes at p, sent by B to A in the call rf holds, decoded as a run
 * decodes what it receives and, if they decode, checked by every rule;
 * what the rules said is added up in rf. 0, or an errno if the call's own
 * messages do not decode.
 */
int rulefeed_msg(struct rulefeed *rf, const uint8_t *p, size_t n)
{
	struct msgrec *r = NULL, *inv, *ok;
	struct mbuf mb;
	int err = 0;

	if (!rf || !rf->invite || !rf->ok || (!p && n))
		return EINVAL;

	inv = rec(rf->invite, &ra);
	ok = rec(rf->ok, &rb);
	if (!inv || !ok || !inv->msg || !ok->msg) {
		err = EBADMSG;
		goto out;
	}

	if (!n)
		goto out;

	mbuf_init(&mb);
	mb.buf = (uint8_t *)p;
	mb.size = mb.end = n;
	r = rec(&mb, &rb);
	if (!r)
		err = ENOMEM;
	else if (r->msg)
		check(rf, r, inv, ok);

 out:
	mem_deref(r);
	mem_deref(inv);
	mem_deref(ok);
	return err;
}
