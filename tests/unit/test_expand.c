/* tests/unit/test_expand.c — reuse in scenarios: include: of blocks with
 * parameters, vars: (and --var), repeat: — the steps they stand for,
 * their ids, and the errors (file:line:column, where included from) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "scenario.h"
#include "diag.h"


static char dir[64];


static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	re_snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}


#define ROLES "roles:\n  A: {kind: ua}\n  P: {kind: proxy, domain: x.test}\n"

static const char reg_block[] =
	"block: register\n"
	"params:\n"
	"  ua: role\n"
	"  registrar: role\n"
	"  expires: {kind: number, default: 3600}\n"
	"steps:\n"
	"  - F1: REGISTER ${ua} -> ${registrar}\n"
	"    headers: {Expires: \"${expires}\"}\n"
	"  - F2: 200 OK ${registrar} -> ${ua}\n"
	"    answers: F1\n";


/* load text as if it were DIR/flow.yaml; 0 or the loader's error */
static int load(struct scenario **scp, const char *text,
		const struct list *vars, struct diag *dg)
{
	char path[256];

	re_snprintf(path, sizeof(path), "%s/flow.yaml", dir);
	return scenario_load_vars(scp, path, text, vars, dg);
}


/* some error contains every one of want (NULL-ended) */
static bool has_error(const struct diag *dg, const char *a, const char *b)
{
	struct le *le;

	for (le = dg->items.head; le; le = le->next) {
		const struct diag_item *it = le->data;

		if (strstr(it->text, a) && (!b || strstr(it->text, b)))
			return true;
	}

	return false;
}


static void fails_with(const char *text, const char *a, const char *b)
{
	struct scenario *sc = NULL;
	struct diag dg;

	diag_init(&dg);
	CU_ASSERT_EQUAL(load(&sc, text, NULL, &dg), EINVAL);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_TRUE(has_error(&dg, a, b));
	if (!has_error(&dg, a, b))
		re_fprintf(stderr, "want '%s' '%s', got:\n%H", a,
			   b ? b : "", diag_print, &dg);
	diag_reset(&dg);
}


static const char *hdr_value(const struct step *st, const char *name)
{
	struct le *le;

	for (le = st->headers.head; le; le = le->next) {
		const struct hdr_spec *h = le->data;

		if (!strcmp(h->name, name))
			return h->value;
	}

	return NULL;
}


static void test_include_with_params(void)
{
	struct scenario *sc = NULL;
	struct step *st;
	struct diag dg;

	put("blocks/register.yaml", reg_block);
	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(load(&sc, ROLES "steps:\n"
		"  - F1: OPTIONS A -> P\n"
		"  - include: blocks/register.yaml\n"
		"    with: {ua: A, registrar: P, expires: 60}\n"
		"  - include: blocks/register.yaml\n"
		"    with: {ua: A, registrar: P}\n"
		"  - F6: OPTIONS A -> P\n", NULL, &dg), 0);

	/* the block's F1, F2 continue the flow: F2, F3; then F4, F5 */
	CU_ASSERT_EQUAL(sc->nsteps, 6);
	st = scenario_step(sc, "F2");
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_STRING_EQUAL(st->method, "REGISTER");
	CU_ASSERT_PTR_EQUAL(st->from, scenario_role(sc, "A"));
	CU_ASSERT_PTR_EQUAL(st->to, scenario_role(sc, "P"));
	CU_ASSERT_STRING_EQUAL(hdr_value(st, "Expires"), "60");
	/* its place is in the block */
	CU_ASSERT_EQUAL(st->pos.line, 7);

	st = scenario_step(sc, "F3");
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(st->scode, 200);
	CU_ASSERT_PTR_EQUAL(st->answers, scenario_step(sc, "F2"));

	/* the default applies where with: does not give it */
	st = scenario_step(sc, "F4");
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_STRING_EQUAL(hdr_value(st, "Expires"), "3600");
	CU_ASSERT_PTR_EQUAL(scenario_step(sc, "F5")->answers, st);
	CU_ASSERT_PTR_NOT_NULL(scenario_step(sc, "F6"));

	mem_deref(sc);
	diag_reset(&dg);
}


static void test_nested_include(void)
{
	struct scenario *sc = NULL;
	struct diag dg;

	put("blocks/register.yaml", reg_block);
	put("blocks/twice.yaml",
	    "block: twice\n"
	    "params: {who: role, reg: role}\n"
	    "steps:\n"
	    "  - include: register.yaml\n"
	    "    with: {ua: \"${who}\", registrar: \"${reg}\"}\n"
	    "  - F3: OPTIONS ${who} -> ${reg}\n");
	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(load(&sc, ROLES "steps:\n"
		"  - include: blocks/twice.yaml\n"
		"    with: {who: A, reg: P}\n", NULL, &dg), 0);
	CU_ASSERT_EQUAL(sc->nsteps, 3);
	CU_ASSERT_STRING_EQUAL(scenario_step_at(sc, 0)->id, "F1");
	CU_ASSERT_STRING_EQUAL(scenario_step_at(sc, 0)->method, "REGISTER");
	CU_ASSERT_STRING_EQUAL(scenario_step_at(sc, 2)->id, "F3");
	CU_ASSERT_STRING_EQUAL(scenario_step_at(sc, 2)->method, "OPTIONS");
	mem_deref(sc);
	diag_reset(&dg);
}


static void test_include_errors(void)
{
	put("blocks/register.yaml", reg_block);
	put("blocks/a.yaml", "block: a\nsteps:\n  - include: b.yaml\n");
	put("blocks/b.yaml", "block: b\nsteps:\n  - include: a.yaml\n");
	put("blocks/undef.yaml", "block: u\nparams: {ua: role}\nsteps:\n"
	    "  - F1: OPTIONS ${ua} -> ${nobody}\n");
	put("blocks/flow-not-block.yaml", ROLES "steps:\n"
	    "  - F1: OPTIONS A -> P\n");

	fails_with(ROLES "steps:\n  - include: blocks/a.yaml\n",
		   "include cycle", "blocks/b.yaml:3:14:");
	fails_with(ROLES "steps:\n  - include: blocks/none.yaml\n",
		   "flow.yaml:5:14: include blocks/none.yaml: cannot read",
		   "No such file");
	fails_with(ROLES "steps:\n  - include: blocks/register.yaml\n"
		   "    with: {ua: A, registrar: P, expirse: 5}\n",
		   "flow.yaml:6:33: include blocks/register.yaml: unknown "
		   "parameter 'expirse' (did you mean 'expires'?)", NULL);
	fails_with(ROLES "steps:\n  - include: blocks/register.yaml\n"
		   "    with: {ua: A}\n",
		   "flow.yaml:5:5: include blocks/register.yaml: missing "
		   "parameter 'registrar'", NULL);
	fails_with(ROLES "steps:\n  - include: blocks/register.yaml\n"
		   "    with: {ua: X, registrar: P}\n",
		   "flow.yaml:6:16: include blocks/register.yaml: ua: 'X' "
		   "is not a declared role (roles: A, P)", NULL);
	fails_with(ROLES "steps:\n  - include: blocks/register.yaml\n"
		   "    with: {ua: A, registrar: P, expires: soon}\n",
		   "expires: 'soon' is not a number", NULL);
	/* an error inside the block: its place, and where it came from */
	fails_with(ROLES "steps:\n  - include: blocks/undef.yaml\n"
		   "    with: {ua: A}\n",
		   "blocks/undef.yaml:4:26: undefined variable ${nobody}",
		   "(included from ");
	fails_with(ROLES "steps:\n  - include: blocks/undef.yaml\n"
		   "    with: {ua: A}\n", "flow.yaml:5:14 with ua: A)", NULL);
	fails_with(ROLES "steps:\n  - include: blocks/flow-not-block.yaml\n",
		   "is not a block", NULL);
}


static void test_depth_bound(void)
{
	char name[32], text[128];
	int i;

	/* d0 includes d1 … d9: ten deep, two more than allowed */
	for (i = 0; i < 10; i++) {
		re_snprintf(name, sizeof(name), "blocks/d%d.yaml", i);
		re_snprintf(text, sizeof(text), "block: d%d\nsteps:\n"
			    "  - include: d%d.yaml\n", i, i + 1);
		put(name, text);
	}
	put("blocks/d10.yaml", "block: d10\nsteps:\n  - F1: OPTIONS A -> P\n");

	fails_with(ROLES "steps:\n  - include: blocks/d0.yaml\n",
		   "includes nested deeper than 8", "blocks/d7.yaml:3:14:");
}


static void test_variables(void)
{
	struct scenario *sc = NULL;
	struct list vars = LIST_INIT;
	struct var_arg *a;
	struct diag dg;
	const char *text = "vars:\n"
		"  user: bob\n"
		"  uri: sip:${user}@x.test\n"
		"  wait: 200ms\n"
		ROLES "steps:\n"
		"  - F1: OPTIONS A -> P\n"
		"    headers: {Subject: \"${uri}\", X-Lit: \"$${call-id}\"}\n"
		"  - wait: ${wait}\n";

	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(load(&sc, text, NULL, &dg), 0);
	CU_ASSERT_STRING_EQUAL(hdr_value(scenario_step(sc, "F1"), "Subject"),
			       "sip:bob@x.test");
	CU_ASSERT_STRING_EQUAL(hdr_value(scenario_step(sc, "F1"), "X-Lit"),
			       "${call-id}");
	CU_ASSERT_EQUAL(scenario_step_at(sc, 1)->wait_ms, 200);
	sc = mem_deref(sc);

	/* --var wins over vars:, as given */
	CU_ASSERT_EQUAL(var_arg_add(&vars, "uri=sip:dev@10.0.0.9"), 0);
	CU_ASSERT_EQUAL(var_arg_add(&vars, "wait=1s"), 0);
	CU_ASSERT_EQUAL(var_arg_add(&vars, "no equals sign"), EINVAL);
	CU_ASSERT_EQUAL(var_arg_add(&vars, "=x"), EINVAL);
	CU_ASSERT_EQUAL_FATAL(load(&sc, text, &vars, &dg), 0);
	CU_ASSERT_STRING_EQUAL(hdr_value(scenario_step(sc, "F1"), "Subject"),
			       "sip:dev@10.0.0.9");
	CU_ASSERT_EQUAL(scenario_step_at(sc, 1)->wait_ms, 1000);
	a = vars.head->data;
	CU_ASSERT_EQUAL(a->used, 1);
	sc = mem_deref(sc);
	list_flush(&vars);
	diag_reset(&dg);

	fails_with(ROLES "steps:\n  - F1: OPTIONS A -> P\n"
		   "    headers: {Subject: \"x ${usr}\"}\n",
		   "flow.yaml:6:27: undefined variable ${usr}", NULL);
	fails_with("vars: {user: bob}\n" ROLES "steps:\n"
		   "  - F1: OPTIONS A -> P\n    body: \"${usr}\"\n",
		   "undefined variable ${usr} (did you mean ${user}?) "
		   "(variables: user)", NULL);
	fails_with("vars: {user: bob}\n" ROLES "steps:\n"
		   "  - F1: OPTIONS A -> P\n    body: \"${1x}\"\n",
		   "flow.yaml:7:12: '${' starts a variable", NULL);
	/* what the loader finds after substitution is still placed */
	fails_with("vars: {to: Q}\n" ROLES "steps:\n"
		   "  - F1: OPTIONS A -> ${to}\n",
		   "flow.yaml:6:22: step F1: role \"Q\" is not declared",
		   NULL);
}


static void test_repeat(void)
{
	struct scenario *sc = NULL;
	struct step *st;
	struct diag dg;
	char id[16];
	int k;

	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(load(&sc, "vars: {n: 3}\n" ROLES "steps:\n"
		"  - F1: OPTIONS A -> P\n"
		"  - F2: 200 OK P -> A\n"
		"  - repeat: ${n}\n"
		"    steps:\n"
		"      - F3: MESSAGE A -> P\n"
		"        body: \"message ${i} of ${n}\"\n"
		"      - F4: 200 OK P -> A\n"
		"        answers: F3\n"
		"      - wait: 10ms\n"
		"  - F5: BYE A -> P\n", NULL, &dg), 0);
	CU_ASSERT_EQUAL(sc->nsteps, 3 + 3 * 3);

	for (k = 1; k <= 3; k++) {
		char body[32];

		re_snprintf(id, sizeof(id), "F3.%d", k);
		st = scenario_step(sc, id);
		CU_ASSERT_PTR_NOT_NULL_FATAL(st);
		re_snprintf(body, sizeof(body), "message %d of 3", k);
		CU_ASSERT_STRING_EQUAL(st->body, body);
		re_snprintf(id, sizeof(id), "F4.%d", k);
		CU_ASSERT_PTR_EQUAL(scenario_step(sc, id)->answers, st);
	}
	CU_ASSERT_PTR_NULL(scenario_step(sc, "F3"));
	CU_ASSERT_STRING_EQUAL(scenario_step_at(sc, 10)->id, "wait@L14.3");
	CU_ASSERT_PTR_NOT_NULL(scenario_step(sc, "F5"));
	mem_deref(sc);

	/* nested: the outer iteration first; as: names the variable */
	CU_ASSERT_EQUAL_FATAL(load(&sc, ROLES "steps:\n"
		"  - repeat: 2\n"
		"    as: call\n"
		"    steps:\n"
		"      - repeat: 2\n"
		"        steps:\n"
		"          - F1: MESSAGE A -> P\n"
		"            body: \"${call}.${i}\"\n", NULL, &dg), 0);
	CU_ASSERT_EQUAL(sc->nsteps, 4);
	CU_ASSERT_STRING_EQUAL(scenario_step(sc, "F1.2.1")->body, "2.1");
	mem_deref(sc);
	diag_reset(&dg);

	fails_with(ROLES "steps:\n  - repeat: 0\n    steps:\n"
		   "      - F1: OPTIONS A -> P\n",
		   "flow.yaml:5:13: repeat: '0' is not a count from 1 to "
		   "1000", NULL);
	fails_with(ROLES "steps:\n  - repeat: 1001\n    steps:\n"
		   "      - F1: OPTIONS A -> P\n",
		   "repeat: '1001' is not a count from 1 to 1000", NULL);
	fails_with("vars: {n: many}\n" ROLES "steps:\n  - repeat: ${n}\n"
		   "    steps:\n      - F1: OPTIONS A -> P\n",
		   "flow.yaml:6:13: repeat: 'many' is not a count", NULL);
	/* 1000 x 1000 is bounded too, and fails instead of eating memory */
	fails_with(ROLES "steps:\n  - repeat: 1000\n    steps:\n"
		   "      - repeat: 1000\n        steps:\n"
		   "          - F1: OPTIONS A -> P\n",
		   "the expanded flow is too large", NULL);
}


/* every kind of step repeats as itself: its key is no step id to suffix
 * (an event: step inside a repeat: was read as a message step "event.1") */
static void test_repeat_kinds(void)
{
	struct scenario *sc = NULL;
	struct diag dg;
	unsigned k;

	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(load(&sc, "roles:\n"
		"  A: {kind: phone, proxy: P}\n"
		"  B: {kind: phone, proxy: P}\n"
		"  P: {kind: proxy}\n"
		"steps:\n"
		"  - repeat: 2\n"
		"    steps:\n"
		"      - do: B dial A\n"
		"      - F1: INVITE B -> P\n"
		"      - event: {from: A, name: incoming_call}\n"
		"      - media: {from: A, to: B}\n"
		"      - wait: 10ms\n"
		"      - any-order:\n"
		"          - F2: 100 Trying P -> B\n", NULL, &dg), 0);
	if (diag_first(&dg))
		re_fprintf(stderr, "%H", diag_print, &dg);
	CU_ASSERT_EQUAL_FATAL(sc->nsteps, 2 * 7);
	for (k = 0; k < 2; k++) {
		CU_ASSERT_EQUAL(scenario_step_at(sc, 7 * k)->type, STEP_DO);
		CU_ASSERT_EQUAL(scenario_step_at(sc, 7 * k + 2)->type,
				STEP_EVENT);
		CU_ASSERT_EQUAL(scenario_step_at(sc, 7 * k + 3)->type,
				STEP_MEDIA);
		CU_ASSERT_EQUAL(scenario_step_at(sc, 7 * k + 4)->type,
				STEP_WAIT);
		CU_ASSERT_EQUAL(scenario_step_at(sc, 7 * k + 5)->type,
				STEP_GROUP);
	}
	CU_ASSERT_PTR_NOT_NULL(scenario_step(sc, "F2.2"));
	mem_deref(sc);
	diag_reset(&dg);
}


static void test_repeat_error_once(void)
{
	struct scenario *sc = NULL;
	struct diag dg;

	diag_init(&dg);
	CU_ASSERT_EQUAL(load(&sc, ROLES "steps:\n  - repeat: 50\n"
			     "    steps:\n      - F1: OPTIONS A -> Q\n", NULL,
			     &dg), EINVAL);
	/* the body's mistake is reported once, not 50 times */
	CU_ASSERT_EQUAL(list_count(&dg.items), 1);
	CU_ASSERT_TRUE(has_error(&dg, "flow.yaml:7:26: step F1.1: role "
				 "\"Q\" is not declared", NULL));
	diag_reset(&dg);
}


static void test_block_is_not_a_flow(void)
{
	struct scenario *sc = NULL;
	struct diag dg;
	char path[256];

	put("blocks/register.yaml", reg_block);
	put("blocks/bad.yaml", "block: bad\nparams: {ua: rolle}\nstesp: []\n");
	diag_init(&dg);
	re_snprintf(path, sizeof(path), "%s/blocks/register.yaml", dir);
	CU_ASSERT_EQUAL(scenario_load_vars(&sc, path, NULL, NULL, &dg),
			ENOTSUP);
	CU_ASSERT_EQUAL(dg.nerr, 0);
	/* the old entry point refuses it with a reason */
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &dg), EINVAL);
	CU_ASSERT_TRUE(has_error(&dg, "a block (block:), not a flow", NULL));
	diag_reset(&dg);

	re_snprintf(path, sizeof(path), "%s/blocks/bad.yaml", dir);
	CU_ASSERT_EQUAL(scenario_load_vars(&sc, path, NULL, NULL, &dg),
			EINVAL);
	CU_ASSERT_TRUE(has_error(&dg, "bad.yaml:2:14: params: ua: unknown "
				 "kind 'rolle'", NULL));
	CU_ASSERT_TRUE(has_error(&dg, "bad.yaml:3:1: block: unknown key "
				 "'stesp' (did you mean 'steps'?)", NULL));
	CU_ASSERT_PTR_NULL(sc);
	diag_reset(&dg);
}


/* no fixed bound on what a flow declares: 70 roles, a block of 70
 * parameters (the 70th a role), an include path of 70 segments */
static void test_no_truncation(void)
{
	struct scenario *sc = NULL;
	struct mbuf *mb = mbuf_alloc(8192), *blk = mbuf_alloc(4096);
	const struct step *st;
	struct diag dg;
	char *text = NULL, *btext = NULL;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(blk);

	mbuf_printf(blk, "block: many\nparams:\n");
	for (i = 1; i <= 70; i++)
		mbuf_printf(blk, "  p%d: role\n", i);
	mbuf_printf(blk, "steps:\n  - F1: OPTIONS ${p1} -> ${p70}\n");
	mbuf_set_pos(blk, 0);
	CU_ASSERT_EQUAL_FATAL(mbuf_strdup(blk, &btext, mbuf_get_left(blk)),
			      0);
	put("blocks/many.yaml", btext);

	mbuf_printf(mb, "roles:\n");
	for (i = 1; i <= 70; i++)
		mbuf_printf(mb, "  R%d: {kind: ua}\n", i);
	/* 70 segments that fold away: x/x/…/../../…/blocks/many.yaml */
	mbuf_printf(mb, "steps:\n  - include: ");
	for (i = 0; i < 70; i++)
		mbuf_printf(mb, "x/");
	for (i = 0; i < 70; i++)
		mbuf_printf(mb, "../");
	mbuf_printf(mb, "blocks/many.yaml\n    with: {");
	for (i = 1; i <= 70; i++)
		mbuf_printf(mb, "%sp%d: R%d", i > 1 ? ", " : "", i, i);
	mbuf_printf(mb, "}\n");
	mbuf_set_pos(mb, 0);
	CU_ASSERT_EQUAL_FATAL(mbuf_strdup(mb, &text, mbuf_get_left(mb)), 0);

	diag_init(&dg);
	CU_ASSERT_EQUAL(load(&sc, text, NULL, &dg), 0);
	if (dg.nerr)
		re_fprintf(stderr, "\n%H", diag_print, &dg);
	CU_ASSERT_EQUAL(dg.nerr, 0);
	if (sc) {
		st = scenario_step(sc, "F1");
		CU_ASSERT_PTR_NOT_NULL_FATAL(st);
		CU_ASSERT_STRING_EQUAL(st->from->name, "R1");
		CU_ASSERT_STRING_EQUAL(st->to->name, "R70");
	}

	mem_deref(sc);
	mem_deref(text);
	mem_deref(btext);
	mem_deref(mb);
	mem_deref(blk);
	diag_reset(&dg);
}


static int setup(void)
{
	char sub[96];

	re_snprintf(dir, sizeof(dir), "/tmp/sipflow-expand-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	re_snprintf(sub, sizeof(sub), "%s/blocks", dir);

	return mkdir(sub, 0700);
}


static int teardown(void)
{
	char cmd[128];

	re_snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);

	return system(cmd) ? -1 : 0;
}


/* an alias inside the node it names is refused at the alias, not
 * followed for ever (copy_node overflowed the stack); aliases of aliases
 * are refused once they stand for more than 100000 nodes */
static void test_alias_bounds(void)
{
	struct mbuf *mb = mbuf_alloc(1024);
	int i, j;

	put("blocks/self.yaml", "block: self\nsteps:\n  - &s [*s]\n");
	fails_with(ROLES "steps:\n  - F1: OPTIONS A -> P\nx: &s\n  - *s\n",
		   "flow.yaml:7:5: alias *s is inside the node it names (&s "
		   "at line 6, column 4)", NULL);
	fails_with(ROLES "steps:\n  - include: blocks/self.yaml\n",
		   "blocks/self.yaml:3:9: alias *s is inside the node",
		   "(included from ");

	/* l0 stands for 11 nodes, l1 for 111, …: the aliases have stood for
	 * 12330 nodes when l4 begins, and its 8th one crosses 100000 */
	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	(void)mbuf_printf(mb, "%ssteps:\n  - F1: OPTIONS A -> P\n"
			  "x:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n",
			  ROLES);
	for (i = 1; i < 7; i++) {
		(void)mbuf_printf(mb, "  l%d: &l%d [", i, i);
		for (j = 0; j < 10; j++)
			(void)mbuf_printf(mb, "%s*l%d", j ? ", " : "", i - 1);
		(void)mbuf_printf(mb, "]\n");
	}
	(void)mbuf_write_u8(mb, 0);
	fails_with((const char *)mb->buf, "flow.yaml:11:47: "
		   "aliases stand for more than 100000 YAML nodes", NULL);
	mem_deref(mb);
}


/* include: of anything but a regular file says what it is: a directory
 * read as "too large", /dev/null as "the file is empty" */
static void test_include_not_a_file(void)
{
	fails_with(ROLES "steps:\n  - include: blocks\n",
		   "flow.yaml:5:14: include blocks: cannot read ",
		   "blocks: it is a directory, not a file");
	fails_with(ROLES "steps:\n  - include: /dev/null\n",
		   "include /dev/null: cannot read /dev/null: it is a "
		   "character device, not a regular file", NULL);
}


/* blocks that include blocks 22 times over, three deep, would read
 * 11154 files: the 10001st include is refused; so is the include that
 * reads past 64 MB of block files */
static void test_include_count_bound(void)
{
	char name[32];
	struct mbuf *mb = mbuf_alloc(2048);
	int i, j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	for (i = 0; i < 3; i++) {
		mbuf_rewind(mb);
		(void)mbuf_printf(mb, "block: f%d\nsteps:\n", i);
		for (j = 0; j < 22; j++)
			(void)mbuf_printf(mb, "  - include: f%d.yaml\n",
					  i + 1);
		(void)mbuf_write_u8(mb, 0);
		re_snprintf(name, sizeof(name), "blocks/f%d.yaml", i);
		put(name, (const char *)mb->buf);
	}
	put("blocks/f3.yaml", "block: f3\nsteps:\n  - wait: 1ms\n");
	mem_deref(mb);

	fails_with(ROLES "steps:\n  - include: blocks/f0.yaml\n",
		   "more than 10000 includes in one flow", NULL);

	/* a repeat: of a 1 MB block (comments but for one step) read
	 * 100 MB: the 65th include is past 64 MB */
	mb = mbuf_alloc(1024 * 1024 + 64);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	(void)mbuf_printf(mb, "block: big\nsteps:\n  - wait: 1ms\n");
	for (i = 0; i < 1024 * 1024 / 64; i++)
		(void)mbuf_printf(mb, "#%62s\n", "x");
	(void)mbuf_write_u8(mb, 0);
	put("blocks/big.yaml", (const char *)mb->buf);
	mem_deref(mb);
	fails_with(ROLES "steps:\n  - repeat: 100\n    steps:\n"
		   "      - include: blocks/big.yaml\n",
		   "flow.yaml:7:18: include blocks/big.yaml: more than 64 MB "
		   "of included files in one flow", NULL);
}


/* a flow too large without a repeat: is not told to lower a repeat:
 * count (it was): 200001 values in one list */
static void test_too_large_without_repeat(void)
{
	struct mbuf *mb = mbuf_alloc(512 * 1024);
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	(void)mbuf_printf(mb, "%ssteps:\n  - F1: OPTIONS A -> P\nx: [a",
			  ROLES);
	for (i = 0; i < 200000; i++)
		(void)mbuf_write_str(mb, ",a");
	(void)mbuf_write_str(mb, "]\n");
	(void)mbuf_write_u8(mb, 0);
	fails_with((const char *)mb->buf, "the expanded flow is too large "
		   "(more than 200000 YAML nodes): split it into several "
		   "flows", NULL);
	mem_deref(mb);
}


/* variables of variables (four uses of the one before, 15 deep) stood
 * for 64 * 4^15 bytes: the value past 1 MB is an error at its place,
 * said once (its uses are not "undefined" too); a 1 MB value repeated
 * 100 times is past the 64 MB the values of a flow may hold */
static void test_var_bounds(void)
{
	struct scenario *sc = NULL;
	struct mbuf *mb = mbuf_alloc(2 * 1024 * 1024);
	struct diag dg;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	(void)mbuf_printf(mb, "%svars:\n  a0: \"%64s\"\n", ROLES, "x");
	for (i = 1; i < 16; i++)
		(void)mbuf_printf(mb, "  a%d: \"${a%d}${a%d}${a%d}${a%d}\"\n",
				  i, i - 1, i - 1, i - 1, i - 1);
	(void)mbuf_printf(mb, "steps:\n  - F1: OPTIONS A -> P\n"
			  "    headers: {X: \"${a15}\"}\n");
	(void)mbuf_write_u8(mb, 0);
	diag_init(&dg);
	CU_ASSERT_EQUAL(load(&sc, (const char *)mb->buf, NULL, &dg), EINVAL);
	CU_ASSERT_EQUAL(dg.nerr, 1);
	CU_ASSERT_TRUE(has_error(&dg, "flow.yaml:13:13: the value is longer "
				 "than 1 MB once ${a7} is replaced", NULL));
	diag_reset(&dg);

	mbuf_rewind(mb);
	(void)mbuf_printf(mb, "%svars:\n  big: \"", ROLES);
	for (i = 0; i < 1024 * 1024 / 64; i++)
		(void)mbuf_printf(mb, "%64s", "x");
	(void)mbuf_printf(mb, "\"\nsteps:\n  - repeat: 100\n    steps:\n"
			  "      - F1: OPTIONS A -> P\n"
			  "        headers: {X: \"${big}\"}\n");
	(void)mbuf_write_u8(mb, 0);
	fails_with((const char *)mb->buf, "the expanded flow is too large "
		   "(more than 64 MB of text): lower a repeat: count", NULL);
	mem_deref(mb);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"include_with_params", test_include_with_params},
		{"nested_include", test_nested_include},
		{"include_errors", test_include_errors},
		{"depth_bound", test_depth_bound},
		{"variables", test_variables},
		{"repeat", test_repeat},
		{"repeat_kinds", test_repeat_kinds},
		{"repeat_error_once", test_repeat_error_once},
		{"block_is_not_a_flow", test_block_is_not_a_flow},
		{"no_truncation", test_no_truncation},
		{"alias_bounds", test_alias_bounds},
		{"include_not_a_file", test_include_not_a_file},
		{"include_count_bound", test_include_count_bound},
		{"too_large_without_repeat", test_too_large_without_repeat},
		{"var_bounds", test_var_bounds},
		CU_TEST_INFO_NULL,
	};

	return CU_register_suites((CU_SuiteInfo[]){
		{"expand", setup, teardown, NULL, NULL, tests},
		CU_SUITE_INFO_NULL});
}
