/* capture/scengen_guess.c — what a capture's messages say of who is who
 * and of which order matters: the roles guessed by address (who sends the
 * first INVITE, who relays, who is reached) and the any-order groups (two
 * messages no causality orders). Pure functions over struct scengen_msg,
 * so the unit tests feed them by hand (tests/unit/test_scengen.c). */
#include <string.h>
#include <re.h>
#include "scengen.h"


static bool same_txn(const struct scengen_msg *a, const struct scengen_msg *b)
{
	return a->call == b->call && a->cseq == b->cseq &&
	       a->met && b->met && !strcmp(a->met, b->met);
}


/* message j relays a request an endpoint received: the same request (Call-ID,
 * CSeq) sent on to another endpoint with one Via more (RFC 3261 §16.6
 * step 8); the request it relays, or -1 */
static long relayed_from(const struct scengen_msg *mv, size_t j)
{
	const struct scengen_msg *m = &mv[j];
	size_t i;

	if (!m->req)
		return -1;
	for (i = j; i-- > 0;) {
		const struct scengen_msg *r = &mv[i];

		if (r->req && r->dst == m->src && r->src != m->dst &&
		    same_txn(r, m) && m->nvia == r->nvia + 1)
			return (long)i;
	}

	return -1;
}


/* an initial INVITE of another call */
static bool new_invite(const struct scengen_msg *m, uint32_t call)
{
	return m->req && m->initial && m->met && !strcmp(m->met, "INVITE") &&
	       m->call != call;
}


/*
 * Message j is a B2BUA's INVITE on its other leg: an endpoint that
 * received an initial INVITE sends one of another call (a new Call-ID,
 * so not a relay) to a third endpoint within SCENGEN_B2BUA_MS of it —
 * the legs correlated in time, as nothing else ties them (RFC 7092 §3.1:
 * a B2BUA's legs are separate dialogs). The INVITE it received, or -1.
 */
static long b2bua_leg(const struct scengen_msg *mv, size_t j)
{
	const struct scengen_msg *m = &mv[j];
	size_t i;

	if (!new_invite(m, UINT32_MAX))
		return -1;
	for (i = j; i-- > 0;) {
		const struct scengen_msg *r = &mv[i];

		if (m->t_ms - r->t_ms > SCENGEN_B2BUA_MS)
			break;
		if (r->dst == m->src && r->src != m->dst &&
		    new_invite(r, m->call))
			return (long)i;
	}

	return -1;
}


static bool used(const struct scengen_role *rv, size_t nep, const char *name)
{
	size_t i;

	for (i = 0; i < nep; i++) {
		if (!strcmp(rv[i].name, name))
			return true;
	}

	return false;
}


/* the next free name: P, or P1, P2 … when there are several proxies; M,
 * or M1, M2 …, for B2BUAs (in the middle); B, C … for the rest (P and M
 * skipped), then U1, U2 … */
static void name_next(struct scengen_role *rv, size_t nep, size_t k,
		      unsigned nproxies, unsigned nb2b)
{
	const char *one = rv[k].proxy ? "P" : "M";
	bool mid = rv[k].proxy || rv[k].b2bua;
	char name[SCENGEN_NAME];
	unsigned i;

	if (mid && (rv[k].proxy ? nproxies : nb2b) == 1 &&
	    !used(rv, nep, one)) {
		str_ncpy(rv[k].name, one, sizeof(rv[k].name));
		return;
	}
	for (i = 0; i < 1000; i++) {
		if (mid)
			re_snprintf(name, sizeof(name), "%s%u", one, i + 1);
		else if (i < 23)   /* B … Z, no M, no P */
			re_snprintf(name, sizeof(name), "%c",
				    'B' + i + (i >= 11) + (i >= 13));
		else
			re_snprintf(name, sizeof(name), "U%u", i - 22);
		if (!used(rv, nep, name)) {
			str_ncpy(rv[k].name, name, sizeof(rv[k].name));
			return;
		}
	}
}


static void first_seen(uint32_t *order, size_t *no, bool *seen, uint32_t ep)
{
	if (seen[ep])
		return;
	seen[ep] = true;
	order[(*no)++] = ep;
}


/**
 * Name the nep endpoints of a capture: those rv gives a name already
 * (given, from --roles) keep it; an endpoint that relays a request, answers
 * a REGISTER or challenges with a 407 is a proxy; one that, called, calls
 * on with a new Call-ID within SCENGEN_B2BUA_MS is a B2BUA (a ua that
 * plays both legs); the sender of the first INVITE (else of the first
 * request) is A; proxies are P (P1, P2 … when there are more), B2BUAs M
 * (M1, M2 …), the others B, C … in order of first appearance.
 */
int scengen_roles(struct scengen_role *rv, size_t nep,
		  const struct scengen_msg *mv, size_t n)
{
	uint32_t *order;
	bool *seen;
	unsigned nproxies = 0, nb2b = 0;
	size_t i, no = 0;
	long a = -1;

	if (!rv || (n && !mv))
		return EINVAL;

	order = mem_zalloc(nep * sizeof(*order) + 1, NULL);
	seen = mem_zalloc(nep * sizeof(*seen) + 1, NULL);
	if (!order || !seen) {
		mem_deref(order);
		mem_deref(seen);
		return ENOMEM;
	}

	for (i = 0; i < n; i++) {
		const struct scengen_msg *m = &mv[i];
		long r;

		if (m->src >= nep || m->dst >= nep)
			continue;
		first_seen(order, &no, seen, m->src);
		first_seen(order, &no, seen, m->dst);

		r = relayed_from(mv, i);
		if (r >= 0) {
			rv[m->src].proxy = true;
			rv[m->src].why = "relays requests";
			if (m->nrr > mv[r].nrr)
				rv[m->src].rr = true;
		}
		else if (!m->req && m->met && !strcmp(m->met, "REGISTER") &&
			 !rv[m->src].proxy) {
			rv[m->src].proxy = true;
			rv[m->src].why = "answers REGISTER";
		}
		else if (!m->req && m->scode == 407 && !rv[m->src].proxy) {
			rv[m->src].proxy = true;
			rv[m->src].why = "challenges with 407";
		}
		if (r < 0 && !rv[m->src].proxy && !rv[m->src].b2bua &&
		    b2bua_leg(mv, i) >= 0) {
			rv[m->src].b2bua = true;
			rv[m->src].why = "is a B2BUA: it calls on (a new "
				"Call-ID) within 1 s of being called";
		}
		if (m->req && a < 0 && !strcmp(m->met, "INVITE") &&
		    r < 0)
			a = m->src;
	}
	if (a < 0) {
		for (i = 0; i < n && a < 0; i++) {
			if (mv[i].req && mv[i].src < nep)
				a = mv[i].src;
		}
	}

	for (i = 0; i < nep; i++) {
		if (rv[i].proxy)
			rv[i].b2bua = false;
		nproxies += rv[i].proxy;
		nb2b += rv[i].b2bua;
	}

	if (a >= 0 && !rv[a].name[0] && !used(rv, nep, "A") &&
	    !rv[a].proxy) {
		str_ncpy(rv[a].name, "A", sizeof(rv[a].name));
		rv[a].why = "sends the first INVITE";
	}

	/* an endpoint no message touched still gets a name, last */
	for (i = 0; i < nep; i++)
		first_seen(order, &no, seen, (uint32_t)i);

	for (i = 0; i < no; i++) {
		struct scengen_role *r = &rv[order[i]];

		if (r->name[0])
			continue;
		name_next(rv, nep, order[i], nproxies, nb2b);
		if (!r->why)
			r->why = i ? "is reached" : "sends first";
	}

	mem_deref(order);
	mem_deref(seen);
	return 0;
}


/**
 * Whether b, later in the capture than a, is bound to come after it: its
 * sender had received a (a reaction), or both go the same way on the
 * same leg (one sender's order on one leg). Two messages one endpoint
 * sends on different legs, or two messages to one endpoint from
 * different senders, are not ordered (a proxy's 181 upstream and its
 * CANCEL downstream).
 */
bool scengen_causal(const struct scengen_msg *a, const struct scengen_msg *b)
{
	if (!a || !b)
		return true;

	return a->dst == b->src || (a->src == b->src && a->dst == b->dst);
}


/**
 * The any-order groups of n steps: first[i] is the index of the first
 * step of i's group (i itself when it starts one). A step joins the
 * group before it when no member causally precedes it and brk[i] is not
 * set (a wait before it, or a step that must stand alone).
 */
void scengen_groups(uint32_t *first, const struct scengen_msg *mv,
		    const bool *brk, size_t n)
{
	size_t i, j;

	if (!first || !mv)
		return;

	for (i = 0; i < n; i++) {
		bool join = i > 0 && !(brk && brk[i]);

		for (j = i ? first[i - 1] : 0; join && j < i; j++) {
			if (scengen_causal(&mv[j], &mv[i]))
				join = false;
		}
		first[i] = join ? first[i - 1] : (uint32_t)i;
	}
}
