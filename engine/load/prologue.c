/* engine/load/prologue.c — steps a testbed adds before a flow: registration
 *
 * A registrar-based proxy (Kamailio as shipped: lookup("location"))
 * reaches a user only once that user has registered, as a handset on the
 * bench has done long before anyone dials it. The call flows of RFC 3665
 * §3 and the phone manuals start after that. A testbed says which
 * simulated roles register, and with whom (`register: P`); binding then
 * puts their registrations before the flow's first step, as setup steps
 * of their own: played, checked and recorded like any other (so a
 * registrar that refuses shows at that step), marked as setup in every
 * report. A phone registers through its own stack (`do: B register`),
 * a scripted ua with a REGISTER built as in any flow.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "ynode.h"
#include "testbed.h"
#include "prologue.h"


/** register: P — the role this one registers with before each flow */
void testbed_parse_register(struct ydoc *yd, const struct yaml_node_s *v,
			    struct binding *b, const char *name)
{
	const char *vs = yscalar(v);

	if (!vs || !*vs) {
		yerr(yd, v, "role %s: register: names the registrar's role "
		     "(register: P)", name);
		return;
	}

	testbed_set_str(&b->reg_with, vs);
}


static void renumber(struct list *steps, unsigned *idx)
{
	struct le *le;

	for (le = steps->head; le; le = le->next) {
		struct step *st = le->data;

		st->idx = (*idx)++;
		renumber(&st->members, idx);
	}
}


/* the setup steps of an earlier binding go: binding starts afresh */
static void strip(struct scenario *sc)
{
	struct le *le = sc->steps.head;

	while (le) {
		struct step *st = le->data;

		le = le->next;
		if (st->setup)
			mem_deref(st);
	}
}


static struct step *add(struct list *into, enum step_type type,
			const char *fmt, const char *who)
{
	struct step *st = step_alloc(type);

	if (!st)
		return NULL;
	st->setup = true;
	if (re_sdprintf(&st->id, fmt, who)) {
		mem_deref(st);
		return NULL;
	}
	list_append(into, &st->le, st);

	return st;
}


/* a phone presses its register button; both send REGISTER, get 200 */
static int registration(struct list *into, struct role *r,
			struct role *reg)
{
	struct step *rq, *ok;

	if (r->kind == ROLE_PHONE) {
		struct step *d = add(into, STEP_DO, "setup@%s", r->name);

		if (!d)
			return ENOMEM;
		d->act.actor = r;
		d->act.verb = DO_REGISTER;
	}

	rq = add(into, STEP_MSG, "reg-%s", r->name);
	ok = add(into, STEP_MSG, "reg-%s-ok", r->name);
	if (!rq || !ok)
		return ENOMEM;

	rq->req = true;
	rq->from = r;
	rq->to = reg;
	ok->from = reg;
	ok->to = r;
	ok->scode = 200;
	ok->assoc = rq;
	if (str_dup(&rq->method, "REGISTER") || str_dup(&ok->reason, "OK"))
		return ENOMEM;

	return 0;
}


/**
 * Put the registrations the testbed asks for (role->reg_with) before the
 * flow. A registrar the scenario does not have is no error (the flow has
 * no one to call that role through); a phone whose proxy is another role
 * is, since its stack registers through its proxy.
 */
int scenario_prologue(struct scenario *sc, struct diag *dg)
{
	struct list pro = LIST_INIT;
	struct le *le;
	unsigned idx = 0;
	int err = 0;

	if (!sc)
		return EINVAL;

	strip(sc);

	for (le = sc->roles.head; le && !err; le = le->next) {
		struct role *r = le->data, *reg;

		if (!r->reg_with || r->dut)
			continue;

		reg = scenario_role(sc, r->reg_with);
		if (!reg || reg == r)
			continue;

		if (r->kind == ROLE_PHONE && r->proxy != reg) {
			diag_err(dg, sc->file, &r->pos, "role %s: the testbed "
				 "registers it with %s, but the phone's proxy "
				 "is %s: a phone registers through its proxy",
				 r->name, reg->name,
				 r->proxy ? r->proxy->name : "none");
			err = EINVAL;
			break;
		}

		err = registration(&pro, r, reg);
	}

	if (err) {
		list_flush(&pro);
		return err;
	}

	/* the flow after its setup, indices in the new order */
	while ((le = list_tail(&pro)) != NULL) {
		list_unlink(le);
		list_prepend(&sc->steps, le, le->data);
	}
	renumber(&sc->steps, &idx);
	sc->nsteps = idx;

	return 0;
}
