/* engine/load/capability.c — the vocabulary of what a scenario needs of a
 * device and a device offers, one row each: a scenario says
 *
 *   requires: {P: [registrar, register-digest]}
 *
 * a testbed says what a device does (P: {kind: dut, offers: [registrar,
 * register-digest, short-expiry]}), and a scenario whose device lacks one
 * is skipped with that reason, not failed (or passed) for the wrong one.
 * Simulated roles meet a requirement when their kind implements it: a
 * scripted ua or proxy sends what its steps say, so it can play any of
 * these but robustness (only a device can show it survives); a phone
 * plays none (it is a handset, not a server).
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "ynode.h"
#include "testbed.h"
#include "capability.h"


#define SCRIPTED ((1u << ROLE_UA) | (1u << ROLE_PROXY))

static const struct capability caps[] = {
	{"registrar",
	 "accepts REGISTER for the scenario's users and routes their calls to "
	 "the registered contact (RFC 3261 §10)", SCRIPTED},
	{"register-open",
	 "accepts REGISTER without a challenge (RFC 3261 §10.3: a registrar "
	 "authenticates as it chooses)", SCRIPTED},
	{"register-digest",
	 "challenges REGISTER (401) and accepts the testbed's credentials "
	 "(RFC 3261 §22.4)", SCRIPTED},
	{"rejects-testbed-credentials",
	 "challenges REGISTER and rejects the credentials the testbed gives "
	 "(a testbed set up with a wrong password, RFC 3665 §2.3)",
	 SCRIPTED},
	{"redirect",
	 "answers an INVITE with 302 Moved Temporarily naming where the "
	 "callee is, instead of proxying it (RFC 3261 §8.3, RFC 3665 §3.6)",
	 SCRIPTED},
	{"invite-digest",
	 "challenges INVITE (407) and accepts the testbed's credentials "
	 "(RFC 3261 §22.3)", SCRIPTED},
	{"short-expiry",
	 "grants registrations of 2 s, so a refresh falls within the flow "
	 "(RFC 3261 §10.2.1, §10.2.4)", SCRIPTED},
	{"forward-on-busy",
	 "sends a call on to the forwarding target when the callee answers "
	 "486 Busy Here (RFC 5359 §2.8)", SCRIPTED},
	{"forward-on-no-answer",
	 "cancels the callee's branch after a ringing time and sends the "
	 "call on to the forwarding target (RFC 5359 §2.9)", SCRIPTED},
	{"forward-always",
	 "sends every call for the callee to the forwarding target without "
	 "trying the callee (RFC 5359 §2.7)", SCRIPTED},
	/* no simulated kind: a script answers a torture message as its
	 * step says, which tells nothing of how a device survives it */
	{"robustness",
	 "is a device on the bench that may be sent malformed and unusual "
	 "messages (the RFC 4475 torture set, scenarios/rfc4475/) and is "
	 "judged on its answers and on staying alive", 0},
};

/* a capability set is a bit per row */
_Static_assert(ARRAY_SIZE(caps) <= 32, "one bit per capability");


const struct capability *capability_table(size_t *n)
{
	if (n)
		*n = ARRAY_SIZE(caps);

	return caps;
}


static int find(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(caps); i++) {
		if (!strcmp(caps[i].name, name))
			return (int)i;
	}

	return -1;
}


/** "registrar, forward-on-busy": the names of a set, in table order */
int capability_print(struct re_printf *pf, const uint32_t *set)
{
	size_t i;
	int err = 0;
	bool first = true;

	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		if (!(*set & (1u << i)))
			continue;
		err |= re_hprintf(pf, "%s%s", first ? "" : ", ", caps[i].name);
		first = false;
	}

	return err;
}


/* every name, for an error */
static int names_print(struct re_printf *pf, void *unused)
{
	uint32_t all = (uint32_t)((1ull << ARRAY_SIZE(caps)) - 1);
	(void)unused;

	return capability_print(pf, &all);
}


/**
 * [registrar, forward-on-busy] → its set; an unknown name is an error at
 * its place, with the nearest known one (where: "requires: P", "role P:
 * offers")
 */
uint32_t capability_parse(struct ydoc *yd, const struct yaml_node_s *v,
			  const char *where)
{
	const char *names[ARRAY_SIZE(caps)];
	yaml_node_item_t *it;
	uint32_t set = 0;
	size_t i;

	if (ywant(yd, v, YAML_SEQUENCE_NODE, where))
		return 0;

	for (i = 0; i < ARRAY_SIZE(caps); i++)
		names[i] = caps[i].name;

	YSEQ_FOREACH(it, v) {
		yaml_node_t *e = ynode(yd, *it);
		const char *s = yscalar(e);
		int k = find(s);
		const char *h;

		if (k >= 0) {
			set |= 1u << k;
			continue;
		}
		h = s ? diag_suggest(s, names, ARRAY_SIZE(names)) : NULL;
		yerr(yd, e, "%s: unknown capability '%s'%s%s%s (capabilities: "
		     "%H)", where, s ? s : "", h ? " (did you mean '" : "",
		     h ? h : "", h ? "'?)" : "", names_print, NULL);
	}

	return set;
}


/** requires: {P: [registrar, …], …} — by role; the roles are loaded */
void capability_load_requires(struct ydoc *yd, const struct yaml_node_s *v,
			      struct scenario *sc)
{
	yaml_node_pair_t *p;

	if (v->type == YAML_SEQUENCE_NODE) {
		yerr(yd, v, "requires: name the role that needs them: "
		     "{P: [registrar, forward-on-busy]}");
		return;
	}
	if (ywant(yd, v, YAML_MAPPING_NODE, "requires"))
		return;

	YMAP_FOREACH(p, v) {
		yaml_node_t *k = ynode(yd, p->key);
		const char *ks = yscalar(k);
		struct role *r = ks ? scenario_role(sc, ks) : NULL;
		char *where = NULL;

		if (!r) {
			yerr(yd, k, "requires: role '%s' is not declared",
			     ks ? ks : "");
			continue;
		}
		/* as long as the role's name is */
		(void)re_sdprintf(&where, "requires: %s", r->name);
		r->requires |= capability_parse(yd, ynode(yd, p->value),
						where ? where : "requires");
		mem_deref(where);
	}
}


/* what role r lacks of what the scenario requires of it */
static uint32_t lacks(const struct role *r)
{
	uint32_t have = 0;
	size_t i;

	if (r->dut)
		return r->requires & ~r->dut_offers;

	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		if (caps[i].sim & (1u << r->kind))
			have |= 1u << i;
	}

	return r->requires & ~have;
}


/**
 * Whether the bound scenario can be played: 0, or ENOTSUP with *why
 * saying which role lacks what ("P (kamailio) does not offer
 * forward-on-busy")
 */
int capability_unmet(char **why, const struct scenario *sc)
{
	struct le *le;

	for (le = sc->roles.head; le; le = le->next) {
		const struct role *r = le->data;
		uint32_t miss = lacks(r);

		if (!miss)
			continue;

		if (!r->dut)
			(void)re_sdprintf(why, "%s (a simulated %s) does not "
					  "implement %H", r->name,
					  r->kind == ROLE_PHONE ? "phone"
					  : "role", capability_print, &miss);
		else
			(void)re_sdprintf(why, "%s (%H) does not offer %H%s",
					  r->name, testbed_device_print, r,
					  capability_print, &miss,
					  r->dut_has_offers ? "" : " (the "
					  "testbed gives it no offers:)");
		return ENOTSUP;
	}

	return 0;
}
