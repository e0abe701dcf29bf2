/* tests/unit/test_placeholder.c — {C.uri}, {call-id}, {F2.to-tag} …
 * (engine/sip/placeholder.c): what each resolves to, that one which
 * cannot resolve is an error and never an empty string, and the
 * references an expect: value may hold */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "fixture.h"
#include "scenario.h"
#include "msgrec.h"
#include "placeholder.h"


/* roles A (alice) and C (carol), one step F1 */
static const char roles_flow[] =
	"roles:\n"
	"  A: {kind: ua, user: alice}\n"
	"  C: {kind: ua, user: carol}\n"
	"steps:\n"
	"  - F1: OPTIONS A -> C\n";


static struct scenario *flow_load(const char *yaml)
{
	struct scenario *sc = NULL;

	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "ph.yaml", yaml, NULL),
			      0);
	return sc;
}

static void test_placeholders(void)
{
	static const char yaml[] =
		"roles:\n"
		"  A: {kind: ua, user: alice}\n"
		"  C: {kind: ua, user: carol}\n"
		"  P: {kind: proxy, domain: example.test}\n"
		"steps:\n"
		"  - F1: OPTIONS A -> P\n";
	struct scenario *sc = NULL;
	struct phctx ph;
	char *out = NULL, *why = NULL;
	struct role *c;

	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "ph.yaml", yaml, NULL),
			      0);
	c = scenario_role(sc, "C");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	sa_set_str(&c->addr, "127.0.0.12", 5070);

	ph = (struct phctx){sc, "cid@h", "z9hG4bKq", "tg", 7};
	CU_ASSERT_EQUAL(ph_expand(&out, "<{C.uri}> {C.contact} {C.addr} "
				  "{C.host}:{C.port} {C.user}@{C.domain} "
				  "{call-id} {branch} {tag} {cseq}", &ph,
				  &why), 0);
	CU_ASSERT_STRING_EQUAL(out, "<sip:carol@example.test> "
			       "sip:carol@127.0.0.12:5070 127.0.0.12:5070 "
			       "127.0.0.12:5070 carol@example.test cid@h "
			       "z9hG4bKq tg 7");
	out = mem_deref(out);

	CU_ASSERT_EQUAL(ph_expand(&out, "{C.url}", &ph, &why), ENOENT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, "unknown placeholder {C.url}");
	why = mem_deref(why);
	out = mem_deref(out);

	CU_ASSERT_EQUAL(ph_expand(&out, "OPTIONS x SIP/2.0\r\nl: "
				  "{body-length}\r\n\r\nabcd", &ph, &why), 0);
	CU_ASSERT_STRING_EQUAL(out, "OPTIONS x SIP/2.0\r\nl: 4\r\n\r\nabcd");

	mem_deref(out);
	mem_deref(why);
	mem_deref(sc);
}


/* text does not expand: err, and why says reason */
static void expand_fails(const char *text, const struct phctx *ph,
			 struct msgrec *const *steprec, int err,
			 const char *reason)
{
	char *out = NULL, *why = NULL;

	CU_ASSERT_EQUAL(ph_expand_steps(&out, text, ph, steprec, &why), err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, reason);
	mem_deref(why);
	mem_deref(out);
}


/* {F2.call-id}, {F2.from-tag}, {F2.to-tag}: an earlier step's message */
static void test_step_placeholders(void)
{
	struct scenario *sc = NULL;
	struct msgrec f1, f2;
	struct msgrec *steprec[2] = {NULL, NULL};
	struct phctx ph;
	char *out = NULL, *why = NULL;

	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "ph.yaml", fx_call_flow,
						NULL),
			      0);
	memset(&f1, 0, sizeof(f1));
	memset(&f2, 0, sizeof(f2));
	f1.msg = fx_msg("INVITE sip:bob@example.test SIP/2.0\r\n"
			"Via: SIP/2.0/UDP 127.0.0.10;branch=z9hG4bKa\r\n"
			"From: <sip:alice@example.test>;tag=alicetag\r\n"
			"To: <sip:bob@example.test>\r\n"
			"Call-ID: early@h\r\nCSeq: 1 INVITE\r\n"
			"Content-Length: 0\r\n\r\n");
	f2.msg = fx_msg("SIP/2.0 180 Ringing\r\n"
			"Via: SIP/2.0/UDP 127.0.0.10;branch=z9hG4bKa\r\n"
			"From: <sip:alice@example.test>;tag=alicetag\r\n"
			"To: <sip:bob@example.test>;tag=bobtag\r\n"
			"Call-ID: early@h\r\nCSeq: 1 INVITE\r\n"
			"Content-Length: 0\r\n\r\n");
	ph = (struct phctx){sc, "other@h", "z9hG4bKq", "tg", 1};

	/* F2 not there yet: a reason naming the step, not a guess */
	steprec[0] = &f1;
	expand_fails("{F2.call-id}", &ph, steprec, ENODATA,
		     "{F2.call-id}: step F2 has no message (yet)");

	/* a request without a To tag has none to give */
	expand_fails("{F1.to-tag}", &ph, steprec, ENODATA,
		     "{F1.to-tag}: the message of step F1 has no to-tag");

	/* Replaces as the receiver of the early dialog (the caller) sees it */
	steprec[1] = &f2;
	CU_ASSERT_EQUAL(ph_expand_steps(&out, "{F2.call-id};to-tag="
					"{F2.from-tag};from-tag={F2.to-tag}"
					" {call-id}", &ph, steprec, &why), 0);
	CU_ASSERT_STRING_EQUAL(out, "early@h;to-tag=alicetag;"
			       "from-tag=bobtag other@h");
	out = mem_deref(out);

	expand_fails("{F2.via}", &ph, steprec, ENOENT,
		     "unknown placeholder {F2.via}");

	/* without the steps' messages (ph_expand), none resolves */
	CU_ASSERT_EQUAL(ph_expand(&out, "{F2.call-id}", &ph, &why), ENODATA);

	mem_deref(why);
	mem_deref(out);
	mem_deref(f1.msg);
	mem_deref(f2.msg);
	mem_deref(sc);
}




/* a message field the message lacks (no Call-ID yet): an error naming
 * it, never an empty string in the message */
static void test_missing_value_is_an_error(void)
{
	struct scenario *sc = flow_load(roles_flow);
	const struct phctx bare = {sc, NULL, NULL, NULL, 0};
	static const char *const names[] = {
		"{call-id}", "{branch}", "{tag}", "{nosuch}", "{A.url}",
		"{Q.uri}", "{F9.call-id}", "{F1.via}", "{}",
	};
	char *out = NULL, *why = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		int err = ph_expand(&out, names[i], &bare, &why);

		if (!err)
			re_fprintf(stderr, "  %s gave \"%s\"\n", names[i],
				   out);
		CU_ASSERT_EQUAL(err, ENOENT);
		CU_ASSERT_PTR_NOT_NULL(why);
		why = mem_deref(why);
		out = mem_deref(out);
	}

	mem_deref(sc);
}


/* what is not a placeholder stays as written: no braces, an open brace
 * without a close, a lone close */
static void test_text_stays(void)
{
	struct scenario *sc = flow_load(roles_flow);
	const struct phctx ph = {sc, "cid", NULL, NULL, 3};
	static const char *const same[] = {
		"", "plain text", "a { without end", "a } alone",
	};
	char *out = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(same); i++) {
		CU_ASSERT_EQUAL(ph_expand(&out, same[i], &ph, NULL), 0);
		CU_ASSERT_STRING_EQUAL(out, same[i]);
		out = mem_deref(out);
	}

	/* a placeholder at either end, and two in a row */
	CU_ASSERT_EQUAL(ph_expand(&out, "{cseq}{call-id}x{cseq}", &ph, NULL),
			0);
	CU_ASSERT_STRING_EQUAL(out, "3cidx3");
	mem_deref(out);

	CU_ASSERT_EQUAL(ph_expand(NULL, "x", &ph, NULL), EINVAL);
	CU_ASSERT_EQUAL(ph_expand(&out, NULL, &ph, NULL), EINVAL);
	CU_ASSERT_EQUAL(ph_expand(&out, "x", NULL, NULL), EINVAL);

	mem_deref(sc);
}


/* ph_scan stops at the first error its handler returns and gives it */
static int stop_at_b_h(struct mbuf *mb, const struct pl *name, void *arg)
{
	unsigned *calls = arg;

	++*calls;
	if (!pl_strcmp(name, "b"))
		return EBADMSG;
	return mbuf_write_pl(mb, name);
}


static void test_scan_stops_at_first_error(void)
{
	unsigned calls = 0;
	char *out = NULL;

	CU_ASSERT_EQUAL(ph_scan(&out, "{a}{b}{c}", stop_at_b_h, &calls),
			EBADMSG);
	CU_ASSERT_EQUAL(calls, 2);
	CU_ASSERT_PTR_NULL(out);

	calls = 0;
	CU_ASSERT_EQUAL(ph_scan(&out, "<{a}|{c}>", stop_at_b_h, &calls), 0);
	CU_ASSERT_EQUAL(calls, 2);
	CU_ASSERT_STRING_EQUAL(out, "<a|c>");
	mem_deref(out);
}


/* an address of record: the role's domain:, else the domain of the
 * proxy that serves the flow, else host:port (RFC 3261 §10.2: the To of a
 * REGISTER); a contact is where the role is, with its transport
 * (§19.1.1) */
static void test_role_uri_and_contact(void)
{
	static const char yaml[] =
		"roles:\n"
		"  A: {kind: ua, user: alice}\n"
		"  B: {kind: ua, user: bob, domain: b.test}\n"
		"  P: {kind: proxy, domain: p.test}\n"
		"steps:\n"
		"  - F1: OPTIONS A -> P\n";
	struct scenario *sc = flow_load(yaml);
	struct scenario *bare = flow_load(roles_flow);
	struct role *a = scenario_role(sc, "A");
	struct role *c = scenario_role(bare, "C");
	char *s = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	sa_set_str(&a->addr, "127.0.0.10", 5060);
	a->tp = SIP_TRANSP_TCP;

	CU_ASSERT_EQUAL(role_aor(&s, sc, a), 0);
	CU_ASSERT_STRING_EQUAL(s, "sip:alice@p.test");
	s = mem_deref(s);
	CU_ASSERT_EQUAL(role_aor(&s, sc, scenario_role(sc, "B")), 0);
	CU_ASSERT_STRING_EQUAL(s, "sip:bob@b.test");
	s = mem_deref(s);
	CU_ASSERT_EQUAL(role_contact(&s, a), 0);
	CU_ASSERT_STRING_EQUAL(s, "sip:alice@127.0.0.10:5060;transport=tcp");
	s = mem_deref(s);

	/* nobody serves a domain: the address is the domain */
	sa_set_str(&c->addr, "127.0.0.12", 5070);
	CU_ASSERT_EQUAL(role_aor(&s, bare, c), 0);
	CU_ASSERT_STRING_EQUAL(s, "sip:carol@127.0.0.12:5070");
	s = mem_deref(s);
	CU_ASSERT_PTR_NULL(role_domain(bare, c));

	mem_deref(bare);
	mem_deref(sc);
}


/* {body-length}: the length of what follows the blank line, counted
 * after the body's own placeholders are replaced (RFC 3261 §20.14) */
static void test_body_length_counts_the_expanded_body(void)
{
	struct scenario *sc = flow_load(roles_flow);
	const struct phctx ph = {sc, "cid", NULL, NULL, 1};
	char *out = NULL, *why = NULL;

	CU_ASSERT_EQUAL(ph_expand(&out, "MESSAGE x SIP/2.0\r\nl: "
				  "{body-length}\r\n\r\nto {C.user}", &ph,
				  &why), 0);
	CU_ASSERT_STRING_EQUAL(out, "MESSAGE x SIP/2.0\r\nl: 8\r\n\r\n"
			       "to carol");
	out = mem_deref(out);

	/* no blank line: no body */
	CU_ASSERT_EQUAL(ph_expand(&out, "l: {body-length}", &ph, &why), 0);
	CU_ASSERT_STRING_EQUAL(out, "l: 0");
	out = mem_deref(out);

	/* the marker inside the body is no length of anything */
	CU_ASSERT_EQUAL(ph_expand(&out, "l: 1\r\n\r\n{body-length}", &ph,
				  &why), EINVAL);

	mem_deref(out);
	mem_deref(why);
	mem_deref(sc);
}


/* what {name} in an expect: value is: a reference to resolve, text (a
 * regex's {3}), or a mistake the loader reports */
static void test_ref_kinds(void)
{
	static const struct {
		const char *name;
		enum ph_ref kind;
	} cases[] = {
		{"C.host", PH_REF},
		{"C.uri", PH_REF},
		{"F1.to-tag", PH_REF},
		{"F1.call-id", PH_REF},
		{"C.via", PH_NO_FIELD},
		{"F1.host", PH_NO_FIELD},
		{"F9.call-id", PH_NO_STEP},
		{"F9.host", PH_TEXT},
		{"3", PH_TEXT},
		{"1,3", PH_TEXT},
		{"0.5", PH_TEXT},
		{"call-id", PH_TEXT},
	};
	struct scenario *sc = flow_load(roles_flow);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pl name;
		enum ph_ref k;

		pl_set_str(&name, cases[i].name);
		k = ph_ref_kind(&name, sc);
		if (k != cases[i].kind)
			re_fprintf(stderr, "  {%s}: %d\n", cases[i].name, k);
		CU_ASSERT_EQUAL(k, cases[i].kind);
	}

	mem_deref(sc);
}


static void test_refs_count_and_reasons(void)
{
	struct scenario *sc = flow_load(roles_flow);
	char *why = NULL;

	CU_ASSERT_EQUAL(ph_refs("plain", sc, &why), 0);
	CU_ASSERT_EQUAL(ph_refs("~^a{2,3}$", sc, &why), 0);
	CU_ASSERT_EQUAL(ph_refs("{C.host}:{C.port};tag={F1.from-tag}", sc,
				&why), 3);
	CU_ASSERT_PTR_NULL(why);

	CU_ASSERT_EQUAL(ph_refs("x {C.via}", sc, &why), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, "{C.via}: no such field");
	why = mem_deref(why);

	/* in a repeat, F2 is F2.1, F2.2 …: the reason says so */
	CU_ASSERT_EQUAL(ph_refs("{F2.to-tag}", sc, &why), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, "{F2.to-tag}: no such step (in a "
			       "repeat: step ids get the iteration, "
			       "{F2.${i}.to-tag})");
	mem_deref(why);
	mem_deref(sc);
}


/* a reference in a regex stands for its value, not a pattern: the dots
 * of an address are quoted; text that is no reference stays */
static void test_expand_refs_quotes_for_a_regex(void)
{
	struct scenario *sc = flow_load(roles_flow);
	const struct phctx ph = {sc, NULL, NULL, NULL, 0};
	char *out = NULL;

	sa_set_str(&scenario_role(sc, "C")->addr, "127.0.0.12", 5070);

	CU_ASSERT_EQUAL(ph_expand_refs(&out, "^{C.host}:[0-9]{4}$", &ph,
				       NULL, true, NULL), 0);
	CU_ASSERT_STRING_EQUAL(out, "^127\\.0\\.0\\.12:[0-9]{4}$");
	out = mem_deref(out);

	CU_ASSERT_EQUAL(ph_expand_refs(&out, "{C.addr} {3}", &ph, NULL,
				       false, NULL), 0);
	CU_ASSERT_STRING_EQUAL(out, "127.0.0.12:5070 {3}");
	mem_deref(out);
	mem_deref(sc);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"placeholders", test_placeholders},
		{"step_placeholders", test_step_placeholders},
		{"missing_value_is_an_error", test_missing_value_is_an_error},
		{"text_stays", test_text_stays},
		{"scan_stops_at_first_error", test_scan_stops_at_first_error},
		{"role_uri_and_contact", test_role_uri_and_contact},
		{"body_length_counts_the_expanded_body",
		 test_body_length_counts_the_expanded_body},
		{"ref_kinds", test_ref_kinds},
		{"refs_count_and_reasons", test_refs_count_and_reasons},
		{"expand_refs_quotes_for_a_regex",
		 test_expand_refs_quotes_for_a_regex},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("placeholder", tests);
}
