/* engine/check/expect.c — expect: assertions on a received message
 *
 * A header assertion holds if any value of the header satisfies it: list
 * headers count each element (libre splits them), and compact forms
 * count as their long names (engine/sip/hdr.c).
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "hdr.h"
#include "placeholder.h"
#include "expect.h"


struct ctx {
	const struct expect *e;
	struct mbuf *seen;     /* the values, for the reason text */
	unsigned n;
};


static bool holds(const struct expect *e, const struct pl *val)
{
	char *s = NULL;
	bool ok;

	if (e->op == EXPECT_EQUAL)
		return 0 == pl_strcmp(val, e->value);

	if (pl_strdup(&s, val))
		return false;
	ok = 0 == regexec(&e->re, s, 0, NULL, 0);
	mem_deref(s);

	return ok;
}


static bool value_h(const struct pl *val, void *arg)
{
	struct ctx *c = arg;

	if (c->n++ < 3)
		(void)mbuf_printf(c->seen, "%s\"%r\"", c->n > 1 ? ", " : "",
				  val);

	if (c->e->op != EXPECT_EQUAL && c->e->op != EXPECT_REGEX)
		return false;

	return holds(c->e, val);
}


static int check_one(const struct expect *e, const struct msgrec *r,
		     char **why)
{
	struct ctx c = {e, NULL, 0};
	const char *what = e->op == EXPECT_REGEX ? "a value matching " : "";
	bool ok;
	int err = 0;

	if (!e->name) {
		struct pl body = msgrec_body(r);

		if (e->op == EXPECT_ABSENT)
			ok = body.l == 0;
		else if (e->op == EXPECT_PRESENT)
			ok = body.l > 0;
		else
			ok = holds(e, &body);
		if (ok)
			return 0;

		(void)re_sdprintf(why, "body: expected %s%s, got %u bytes%s%r",
				  e->op == EXPECT_ABSENT ? "none" :
				  e->op == EXPECT_PRESENT ? "a body" : what,
				  e->value ? e->value : "", (unsigned)body.l,
				  body.l ? ": " : "", &(struct pl){body.p,
				  body.l > 60 ? 60 : body.l});
		return EPROTO;
	}

	c.seen = mbuf_alloc(128);
	if (!c.seen)
		return ENOMEM;

	switch (e->op) {

	case EXPECT_ABSENT:
		hdr_apply(r->msg, e->name, value_h, &c);
		if (c.n) {
			c.seen->pos = 0;
			(void)re_sdprintf(why, "header %s: expected absent, "
					  "got %b", e->name, c.seen->buf,
					  c.seen->end);
			err = EPROTO;
		}
		break;

	case EXPECT_PRESENT:
		if (!hdr_count(r->msg, e->name)) {
			(void)re_sdprintf(why, "header %s: expected present, "
					  "but the message has none",
					  e->name);
			err = EPROTO;
		}
		break;

	default:
		ok = hdr_apply(r->msg, e->name, value_h, &c);
		if (ok)
			break;

		if (!c.n)
			(void)re_sdprintf(why, "header %s: expected %s\"%s\", "
					  "but the message has none",
					  e->name, what, e->value);
		else
			(void)re_sdprintf(why, "header %s: expected %s\"%s\", "
					  "got %b", e->name, what, e->value,
					  c.seen->buf, c.seen->end);
		err = EPROTO;
		break;
	}

	mem_deref(c.seen);
	return err;
}


/* e with its {B.host}, {F2.to-tag} … resolved now: the roles are bound
 * and the earlier steps have their messages */
static int check_refs(const struct expect *e, const struct msgrec *r,
		      const struct scenario *sc,
		      struct msgrec *const *steprec, char **why)
{
	const struct phctx ctx = {sc, NULL, NULL, NULL, 0};
	struct expect t = *e;
	char *value = NULL, *bad = NULL;
	int err;

	if (!sc)
		return EINVAL;

	err = ph_expand_refs(&value, e->value, &ctx, steprec,
			     e->op == EXPECT_REGEX, &bad);
	if (err) {
		(void)re_sdprintf(why, "%s%s: cannot resolve \"%s\": %s",
				  e->name ? "header " : "body",
				  e->name ? e->name : "", e->value,
				  bad ? bad : "unknown reference");
		mem_deref(bad);
		return EPROTO;
	}

	t.value = value;
	t.re_ok = false;
	if (e->op == EXPECT_REGEX &&
	    regcomp(&t.re, value, REG_EXTENDED | REG_NOSUB)) {
		(void)re_sdprintf(why, "%s%s: \"%s\" is not a regex once "
				  "resolved", e->name ? "header " : "body",
				  e->name ? e->name : "", value);
		mem_deref(value);
		return EPROTO;
	}

	err = check_one(&t, r, why);

	if (e->op == EXPECT_REGEX)
		regfree(&t.re);
	mem_deref(value);

	return err;
}


/**
 * Check every assertion; on the first that fails return EPROTO with the
 * reason in *why (allocated).
 */
int expect_check(const struct list *expects, const struct msgrec *r,
		 const struct scenario *sc, struct msgrec *const *steprec,
		 char **why)
{
	struct le *le;
	int err = 0;

	if (!expects || !r || !r->msg)
		return EINVAL;

	for (le = expects->head; le && !err; le = le->next) {
		const struct expect *e = le->data;

		err = e->refs ? check_refs(e, r, sc, steprec, why)
			      : check_one(e, r, why);
	}

	return err;
}
