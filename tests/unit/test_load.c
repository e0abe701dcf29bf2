/* tests/unit/test_load.c — the scenario loader: the model it builds and
 * the errors it reports (file:line:column) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "scenario.h"
#include "diag.h"
#include "testbed.h"
#include "doverb.h"


static const char flow[] =
	"scenario: demo\n"
	"title: A demo\n"
	"tags: [x, y]\n"
	"timeout: 3s\n"
	"roles:\n"
	"  A: {kind: ua, user: alice, display: Alice}\n"
	"  B: {kind: ua}\n"
	"  P: {kind: proxy, domain: example.test, record-route: true}\n"
	"steps:\n"
	"  - F1: INVITE A -> P\n"
	"    to-user: B\n"
	"    sdp: {codecs: [PCMA], direction: sendonly}\n"
	"  - F2: INVITE P -> B\n"
	"    expect: {header: {Record-Route: present, Via: \"~127\", "
	"Subject: absent, Max-Forwards: \"=69\"}, body: \"~v=0\"}\n"
	"  - F3: 302 Move Temporarily B -> P\n"
	"    headers: {Contact: \"<{A.contact}>\", Subject: null}\n"
	"    optional: yes\n"
	"    within: 250ms\n"
	"  - wait: 1.5s\n"
	"  - any-order:\n"
	"      - F4: ACK P -> B\n"
	"      - F5: 302 P -> A\n"
	"        answers: F1\n"
	"  - F6: BYE A -> P\n"
	"    dialog: d1\n"
	"    forwards: F2\n";


static void test_model_from_flow(void)
{
	struct scenario *sc = NULL;
	struct step *st, *g;
	struct role *a, *b, *p;
	struct expect *e;
	struct hdr_spec *h;
	struct diag dg;

	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "demo.yaml", flow, &dg),
			      0);
	CU_ASSERT_EQUAL(dg.nerr, 0);

	CU_ASSERT_STRING_EQUAL(sc->name, "demo");
	CU_ASSERT_STRING_EQUAL(sc->title, "A demo");
	CU_ASSERT_EQUAL(list_count(&sc->tags), 2);
	CU_ASSERT_EQUAL(sc->timeout_ms, 3000);

	a = scenario_role(sc, "A");
	b = scenario_role(sc, "B");
	p = scenario_role(sc, "P");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(a->user, "alice");
	CU_ASSERT_STRING_EQUAL(a->display, "Alice");
	CU_ASSERT_STRING_EQUAL(b->user, "b");
	CU_ASSERT_EQUAL(p->kind, ROLE_PROXY);
	CU_ASSERT_TRUE(p->record_route);
	CU_ASSERT_EQUAL(p->idx, 2);

	/* 6 messages, a wait and a group */
	CU_ASSERT_EQUAL(sc->nsteps, 8);

	st = scenario_step(sc, "F1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_TRUE(st->req);
	CU_ASSERT_STRING_EQUAL(st->method, "INVITE");
	CU_ASSERT_PTR_EQUAL(st->from, a);
	CU_ASSERT_PTR_EQUAL(st->to, p);
	CU_ASSERT_PTR_EQUAL(st->to_role, b);
	CU_ASSERT_TRUE(st->sdp.set);
	CU_ASSERT_STRING_EQUAL(st->sdp.direction, "sendonly");
	CU_ASSERT_EQUAL(list_count(&st->sdp.codecs), 1);
	CU_ASSERT_EQUAL(st->pos.line, 10);
	CU_ASSERT_EQUAL(st->pos.col, 5);

	st = scenario_step(sc, "F2");
	CU_ASSERT_EQUAL_FATAL(list_count(&st->expects), 5);
	e = st->expects.head->data;
	CU_ASSERT_EQUAL(e->op, EXPECT_PRESENT);
	e = st->expects.head->next->data;
	CU_ASSERT_EQUAL(e->op, EXPECT_REGEX);
	CU_ASSERT_STRING_EQUAL(e->value, "127");
	e = st->expects.head->next->next->data;
	CU_ASSERT_EQUAL(e->op, EXPECT_ABSENT);
	e = st->expects.head->next->next->next->data;
	CU_ASSERT_EQUAL(e->op, EXPECT_EQUAL);
	CU_ASSERT_STRING_EQUAL(e->value, "69");
	e = st->expects.tail->data;
	CU_ASSERT_PTR_NULL(e->name);

	/* the reason as written, not the standard one */
	st = scenario_step(sc, "F3");
	CU_ASSERT_FALSE(st->req);
	CU_ASSERT_EQUAL(st->scode, 302);
	CU_ASSERT_STRING_EQUAL(st->reason, "Move Temporarily");
	CU_ASSERT_TRUE(st->optional);
	CU_ASSERT_EQUAL(st->within_ms, 250);
	CU_ASSERT_EQUAL_FATAL(list_count(&st->headers), 2);
	h = st->headers.tail->data;
	CU_ASSERT_STRING_EQUAL(h->name, "Subject");
	CU_ASSERT_PTR_NULL(h->value);

	st = scenario_step_at(sc, 3);
	CU_ASSERT_EQUAL(st->type, STEP_WAIT);
	CU_ASSERT_EQUAL(st->wait_ms, 1500);

	g = scenario_step_at(sc, 4);
	CU_ASSERT_EQUAL_FATAL(g->type, STEP_GROUP);
	CU_ASSERT_EQUAL(list_count(&g->members), 2);
	st = scenario_step(sc, "F5");
	CU_ASSERT_PTR_EQUAL(st->group, g);
	CU_ASSERT_STRING_EQUAL(st->reason, "Moved Temporarily");
	CU_ASSERT_PTR_EQUAL(st->answers, scenario_step(sc, "F1"));
	CU_ASSERT_EQUAL(st->idx, 6);

	st = scenario_step(sc, "F6");
	CU_ASSERT_STRING_EQUAL(st->dialog, "d1");
	CU_ASSERT_PTR_EQUAL(st->forwards, scenario_step(sc, "F2"));

	mem_deref(sc);
	diag_reset(&dg);
}


/* load text that must fail; the first error must be want */
static void fails_with(const char *text, const char *want)
{
	struct scenario *sc = NULL;
	struct diag dg;

	diag_init(&dg);
	CU_ASSERT_EQUAL(scenario_load_str(&sc, "t.yaml", text, &dg), EINVAL);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	if (strcmp(diag_first(&dg), want))
		re_fprintf(stderr, "\n  got:  %s\n  want: %s\n",
			   diag_first(&dg), want);
	CU_ASSERT_STRING_EQUAL(diag_first(&dg), want);
	diag_reset(&dg);
}


#define ROLES "roles:\n  A: {kind: ua}\n  B: {kind: ua}\n"
#define PHONES "roles:\n  A: {kind: phone}\n  B: {kind: phone}\n"


/* do: and media: steps: each mistake named at its place */
static void test_phone_steps(void)
{
	fails_with(PHONES "steps:\n  - do: B anwser\n",
		   "t.yaml:5:9: do: unknown verb 'anwser' (did you mean "
		   "'answer'?) "
		   "(dial, answer, reject, hangup, hold, resume, transfer, "
		   "dtmf, play, set, register, unregister, conference, "
		   "reset, provision)");
	fails_with("roles:\n  A: {kind: phone, auth: {user: alice}}\n"
		   "steps:\n  - do: A register\n",
		   "t.yaml:2:26: role A: auth: needs user and password (or "
		   "password-env)");
	fails_with("roles:\n  A: {kind: phone, auth: {user: alice, "
		   "password-env: SIPFLOW_NO_SUCH_VAR}}\nsteps:\n"
		   "  - do: A register\n",
		   "t.yaml:2:54: role A: auth: password-env: "
		   "SIPFLOW_NO_SUCH_VAR is not set");
	fails_with(PHONES "steps:\n  - do: A dial Q\n",
		   "t.yaml:5:9: dial: role 'Q' is not declared (roles: A, B)");
	fails_with(PHONES "steps:\n  - do: B reject 99\n",
		   "t.yaml:5:9: do: reject: '99' is not a status code from "
		   "300 to 699");
	fails_with(PHONES "steps:\n  - do: A dtmf 12x\n",
		   "t.yaml:5:9: do: dtmf: '12x' is not DTMF digits (0-9 * # "
		   "A-D)");
	fails_with(PHONES "steps:\n  - do: {B: {set: {bsy: true}}}\n",
		   "t.yaml:5:20: set: unknown key 'bsy' (did you mean "
		   "'busy'?)");
	fails_with(PHONES "steps:\n  - do: A answer now\n",
		   "t.yaml:5:9: do: answer takes nothing (answer — take the "
		   "ringing call (200 OK with SDP))");
	fails_with(PHONES "steps:\n  - media: {between: [A, B], "
		   "expect: tone}\n",
		   "t.yaml:5:38: media: expect 'tone' is not two-way, audio, "
		   "silence, tone NHz or dtmf \"DIGITS\"");
	fails_with(ROLES "steps:\n  - media: {from: A, to: B}\n",
		   "t.yaml:5:12: media: B is a scripted ua without an audio "
		   "path; make it kind: phone");
	fails_with(PHONES "steps:\n  - media: {from: A, to: B, "
		   "max-loss: 200%}\n",
		   "t.yaml:5:39: media: max-loss: '200%' is not a share (1% "
		   "or 0.01)");
	fails_with(PHONES "steps:\n  - media: {from: A, to: B, "
		   "expect: two-way}\n",
		   "t.yaml:5:12: media: expect: two-way needs between: [X, "
		   "Y]");
}


static void test_errors_have_places(void)
{
	fails_with("roles: {A: {kind: ua}}\nstpes: []\n",
		   "t.yaml:2:1: scenario: unknown key 'stpes' (did you mean "
		   "'steps'?)");
	fails_with("roles:\n  A: {kind: ua, tone: 1004Hz}\n  B: {kind: ua}\n"
		   "steps:\n  - F1: BYE A -> B\n",
		   "t.yaml:2:17: role A: 'tone' applies to phones (kind: "
		   "phone)");
	fails_with("roles:\n  A: {knd: ua}\nsteps: []\n",
		   "t.yaml:2:7: role: unknown key 'knd' (did you mean "
		   "'kind'?)");
	fails_with(ROLES "steps:\n  - F1: INVITE A -> B\n"
		   "    answers: F9\n",
		   "t.yaml:6:14: step F1: answers: 'F9' must name an earlier "
		   "step");
	fails_with(ROLES "steps:\n  - F1: INVITE A -> B\n"
		   "  - F2: 200 OK B -> A\n    answers: F1\n"
		   "  - F3: 200 OK B -> A\n    answers: F2\n",
		   "t.yaml:9:14: step F3: answers: F2 is not a request");
	fails_with(ROLES "steps:\n  - F1: INVITE A -> A\n",
		   "t.yaml:5:21: step F1: a role cannot send to itself");
	fails_with(ROLES "steps:\n  - F1: INVITE A B\n",
		   "t.yaml:5:9: step F1: expected '<METHOD or STATUS> <FROM> "
		   "-> <TO>', got 'INVITE A B'");
	fails_with(ROLES "steps:\n  - F1: INVITE A -> B\n    within: soon\n",
		   "t.yaml:6:13: step F1: within: 'soon' is not a duration "
		   "(500ms, 2s, 1m)");
	fails_with(ROLES "steps:\n  - F1: INVITE A -> B\n"
		   "    headers: {CSeq: \"one INVITE\"}\n",
		   "t.yaml:6:21: step F1: CSeq must be '<number> <METHOD>', "
		   "got 'one INVITE'");
	fails_with(ROLES "steps:\n  - F1: INVITE A -> B\n"
		   "    raw: \"INVITE x SIP/2.0\"\n    body: hi\n",
		   "t.yaml:5:5: step F1: raw: gives the whole message; "
		   "headers/body/sdp do not apply");
	fails_with(ROLES "steps:\n  - any-order:\n      - any-order: []\n",
		   "t.yaml:6:9: any-order: groups cannot be nested");
	fails_with(ROLES "steps:\n  - do: A answer\n",
		   "t.yaml:5:9: do: A is a scripted ua; only a phone or a "
		   "device under test acts on do: (kind: phone)");
	fails_with("", "t.yaml:1:1: the file is empty");
}


/* a step's first key is a kind (media:, do:, event:, wait:,
 * any-order:) or a message step's id; one close to a kind, or with no
 * message line, is named as an unknown kind */
static void test_step_kinds(void)
{
	fails_with(ROLES "steps:\n  - wiat: 2s\n",
		   "t.yaml:5:5: unknown step kind 'wiat' (did you mean "
		   "'wait:'?)");
	fails_with(ROLES "steps:\n  - any-ordre:\n      - F1: INVITE A -> "
		   "B\n",
		   "t.yaml:5:5: unknown step kind 'any-ordre' (did you mean "
		   "'any-order:'?)");
	fails_with(ROLES "steps:\n  - sleep: {for: 2s}\n",
		   "t.yaml:5:5: unknown step kind 'sleep' (kinds: media:, "
		   "do:, event:, wait:, any-order:; a message step is 'F1: "
		   "INVITE A -> B')");
	/* a message step's id may be close to a kind: D1, Do1 */
	fails_with(ROLES "steps:\n  - D1: INVITE A -> B\n"
		   "  - Do1: 200 OK B -> A\n  - wait: 0s\n",
		   "t.yaml:7:11: wait: '0s' is not a duration (500ms, 2s, "
		   "1m)");
	fails_with(ROLES "steps:\n  - wait: 1s\n    for: 2s\n",
		   "t.yaml:6:5: wait: takes no other keys");
	fails_with(ROLES "steps:\n  - any-order:\n      - wait: 1s\n",
		   "t.yaml:6:9: wait: cannot be inside any-order:");
}


/* the role kinds: one table of names (engine/model/scenario.c), read
 * back by kind:, and the unknown kind lists them */
static void test_role_kinds(void)
{
	const char *const *names;
	enum role_kind k;
	size_t i, n;

	names = role_kind_names(&n);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(role_kind_parse(&k, names[i],
						strlen(names[i])), 0);
		CU_ASSERT_EQUAL((size_t)k, i);
		CU_ASSERT_STRING_EQUAL(role_kind_name(k), names[i]);
	}
	CU_ASSERT_STRING_EQUAL(role_kind_name(ROLE_PROXY), "proxy");
	CU_ASSERT_STRING_EQUAL(role_kind_name((enum role_kind)9), "?");
	CU_ASSERT_EQUAL(role_kind_parse(&k, "uax", 2), 0);
	CU_ASSERT_EQUAL(k, ROLE_UA);
	CU_ASSERT_EQUAL(role_kind_parse(&k, "uax", 3), ENOENT);

	fails_with("roles:\n  A: {kind: prxoy}\nsteps: []\n",
		   "t.yaml:2:13: role A: unknown kind 'prxoy' (did you mean "
		   "'proxy'?) (kinds: ua, proxy, phone, dut)");
	fails_with("roles:\n  A: {kind: martian}\nsteps: []\n",
		   "t.yaml:2:13: role A: unknown kind 'martian' (kinds: ua, "
		   "proxy, phone, dut)");
}


static void test_all_errors_reported(void)
{
	struct scenario *sc = NULL;
	struct diag dg;

	diag_init(&dg);
	CU_ASSERT_EQUAL(scenario_load_str(&sc, "t.yaml", ROLES "steps:\n"
					  "  - F1: INIVTE A -> B\n"
					  "  - F2: 180 Ringing B -> Q\n"
					  "  - F2: 200 OK B -> A\n", &dg),
			EINVAL);
	CU_ASSERT_EQUAL(dg.nerr, 3);
	diag_reset(&dg);
}


/* status: [408, 480]: the codes a received response may have; the message
 * line's code is what a scripted sender sends, and must be listed */
static void test_status_alternatives(void)
{
	static const char text[] =
		ROLES "steps:\n  - F1: INVITE A -> B\n"
		"  - F2: 408 Request Timeout B -> A\n"
		"    status: [408, 480, 404]\n"
		"  - F3: ACK A -> B\n"
		"  - F4: OPTIONS A -> B\n"
		"  - F5: 200 OK B -> A\n"
		"    status: [200]\n";
	struct scenario *sc = NULL;
	const struct step *st;
	struct diag dg;
	char w[64];

	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "t.yaml", text, &dg), 0);

	st = scenario_step(sc, "F2");
	CU_ASSERT_EQUAL(st->scode, 408);
	CU_ASSERT_STRING_EQUAL(st->reason, "Request Timeout");
	CU_ASSERT_EQUAL(st->nalt, 3);
	CU_ASSERT_TRUE(step_accepts(st, 408));
	CU_ASSERT_TRUE(step_accepts(st, 480));
	CU_ASSERT_TRUE(step_accepts(st, 404));
	CU_ASSERT_FALSE(step_accepts(st, 486));
	CU_ASSERT_FALSE(step_accepts(st, 500));
	re_snprintf(w, sizeof(w), "%H", step_print, st);
	CU_ASSERT_STRING_EQUAL(w, "408, 480 or 404");

	/* one code: the line's alone, printed as before */
	st = scenario_step(sc, "F5");
	CU_ASSERT_TRUE(step_accepts(st, 200));
	CU_ASSERT_FALSE(step_accepts(st, 202));
	re_snprintf(w, sizeof(w), "%H", step_print, st);
	CU_ASSERT_STRING_EQUAL(w, "200 OK");

	/* without status: only the line's code */
	st = scenario_step(sc, "F1");
	CU_ASSERT_FALSE(step_accepts(st, 408));
	mem_deref(sc);

	fails_with(ROLES "steps:\n  - F1: INVITE A -> B\n"
		   "  - F2: 408 Request Timeout B -> A\n"
		   "    status: 480\n",
		   "t.yaml:7:13: step F2: status: is a list of codes, "
		   "as [408, 480]");
	fails_with(ROLES "steps:\n  - F1: INVITE A -> B\n"
		   "  - F2: 408 Request Timeout B -> A\n    status: []\n",
		   "t.yaml:7:13: step F2: status: lists no code");
	fails_with(ROLES "steps:\n  - F1: INVITE A -> B\n"
		   "  - F2: 180 Ringing B -> A\n    status: [180, 183, 200]\n",
		   "t.yaml:7:24: step F2: status: 200 and 180 do not end the "
		   "transaction alike; alternatives are all 1xx, all 2xx or "
		   "all 3xx-6xx");
}


/* nothing the loader reads is cut at a fixed size: a long role name, a
 * long reason phrase, a long placeholder load as written */
static void test_no_truncation(void)
{
	struct scenario *sc = NULL;
	struct mbuf *mb = mbuf_alloc(4096);
	const struct step *st;
	char name[80], reason[400];
	struct diag dg;
	char *text = NULL;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	/* a role name of 70 characters */
	name[0] = 'R';
	for (i = 1; i < 70; i++)
		name[i] = 'a' + (char)(i % 26);
	name[i] = '\0';
	/* a reason phrase of 40 words */
	reason[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(reason, i ? " w" : "w");

	mbuf_printf(mb, "roles:\n  %s: {kind: phone}\n  B: {kind: phone}\n"
		    "steps:\n"
		    "  - F1: INVITE %s -> B\n"
		    "    headers: {Contact: \"<{%s.uri}>\"}\n"
		    "  - F2: 180 %s B -> %s\n"
		    "  - do: {%s: hangup}\n", name, name, name, reason, name,
		    name);
	mbuf_set_pos(mb, 0);
	CU_ASSERT_EQUAL_FATAL(mbuf_strdup(mb, &text, mbuf_get_left(mb)), 0);

	diag_init(&dg);
	CU_ASSERT_EQUAL(scenario_load_str(&sc, "t.yaml", text, &dg), 0);
	if (diag_first(&dg))
		re_fprintf(stderr, "\n  got: %s\n", diag_first(&dg));
	CU_ASSERT_EQUAL(dg.nerr, 0);
	if (sc) {
		st = scenario_step(sc, "F1");
		CU_ASSERT_PTR_EQUAL(st->from, scenario_role(sc, name));
		st = scenario_step(sc, "F2");
		CU_ASSERT_STRING_EQUAL(st->reason, reason);
		st = scenario_step_at(sc, 2);
		CU_ASSERT_PTR_EQUAL(st->act.actor, scenario_role(sc, name));
	}

	mem_deref(sc);
	mem_deref(text);
	mem_deref(mb);
	diag_reset(&dg);
}


/* the error about a long-named step or role names it whole (its prefix
 * was cut at 64 characters: "step Fbcd…: sdp: cr") */
static void test_long_names_in_errors(void)
{
	static const struct {
		const char *yaml;       /* %s: the name, as often as used */
		const char *want;       /* in the first error */
	} cases[] = {
		{ROLES "steps:\n  - %s: INVITE A -> B\n"
		 "    sdp: {crypto: X}\n",
		 "t.yaml:6:19: step %s: sdp: crypto: crypto-suite 'X'"},
		{ROLES "steps:\n  - %s: INVITE A -> B\n"
		 "    expect: {sdp: {crypto: X}}\n",
		 "t.yaml:6:28: step %s: expect: sdp: crypto: crypto-suite "
		 "'X'"},
		{"roles:\n  %s: {kind: phone, srtp: [X]}\n"
		 "  B: {kind: phone}\nsteps:\n  - do: B dial %s\n",
		 "role %s: srtp: crypto-suite 'X'"},
		{"roles:\n  %s: {kind: ua}\n  B: {kind: ua}\nrequires:\n"
		 "  %s: [zzz]\nsteps:\n  - F1: OPTIONS %s -> B\n",
		 "requires: %s: unknown capability 'zzz'"},
	};
	char id[80], text[512], want[256];
	size_t i;

	id[0] = 'F';
	for (i = 1; i < 70; i++)
		id[i] = 'a' + (char)(i % 26);
	id[i] = '\0';

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct scenario *sc = NULL;
		struct diag dg;

		re_snprintf(text, sizeof(text), cases[i].yaml, id, id, id);
		re_snprintf(want, sizeof(want), cases[i].want, id);
		diag_init(&dg);
		CU_ASSERT_EQUAL(scenario_load_str(&sc, "t.yaml", text, &dg),
				EINVAL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
		if (!strstr(diag_first(&dg), want))
			re_fprintf(stderr, "\n  got:  %s\n  want: %s\n",
				   diag_first(&dg), want);
		CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), want));
		mem_deref(sc);
		diag_reset(&dg);
	}
}


/* an unknown key names the nearest known one, else all of them; every
 * phone setting the model names (doverb_settings) is a role key */
static void test_unknown_key_names_the_keys(void)
{
	const char *const *names;
	size_t i, n;

	fails_with("roles:\n  A: {kind: ua}\n  B: {kind: ua}\nsteps:\n"
		   "  - F1: OPTIONS A -> B\n    sdp: {zzzzzz: 1}\n",
		   "t.yaml:6:11: sdp: unknown key 'zzzzzz' (keys: codecs, "
		   "direction, address, crypto)");
	fails_with("roles:\n  A: {kind: ua}\n  B: {kind: ua}\nsteps:\n"
		   "  - F1: OPTIONS A -> B\n    sdp: {codec: [PCMU]}\n",
		   "t.yaml:6:11: sdp: unknown key 'codec' (did you mean "
		   "'codecs'?)");

	names = doverb_settings(&n);
	for (i = 0; i < n; i++) {
		struct scenario *sc = NULL;
		char text[256];
		struct diag dg;

		diag_init(&dg);
		re_snprintf(text, sizeof(text), "roles:\n  A: {kind: phone, "
			    "%s: x}\n  B: {kind: phone}\nsteps:\n"
			    "  - do: A dial B\n", names[i]);
		(void)scenario_load_str(&sc, "t.yaml", text, &dg);
		CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
		CU_ASSERT_PTR_NULL(strstr(diag_first(&dg), "unknown key"));
		mem_deref(sc);
		diag_reset(&dg);
	}
}


/* a new file named after the template path (its XXXXXX replaced) */
static FILE *tmp_file(char *path)
{
	FILE *f;
	int fd;

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);

	return f;
}


/* a testbed file past its bound is refused saying so, not "cannot read" */
static void test_testbed_too_large(void)
{
	char path[] = "/tmp/sipflow-tb-XXXXXX";
	struct testbed *tb = NULL;
	struct diag dg;
	size_t i;
	FILE *f = tmp_file(path);

	for (i = 0; i < 1024 * 1024 / 64 + 1; i++)
		fprintf(f, "# %061zu\n", i);
	fclose(f);

	diag_init(&dg);
	CU_ASSERT_EQUAL(testbed_load(&tb, path, &dg), EINVAL);
	CU_ASSERT_PTR_NULL(tb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), "not a testbed "
				      "(larger than 1 MB)"));
	diag_reset(&dg);
	unlink(path);
}


/* YAML past a bound is an error at the place it is crossed: nesting
 * (deeply nested unclosed [ took quadratic time inside libyaml), an
 * anchor defined twice (libyaml said "second occurrence found duplicate
 * anchor; first occurrence"), a byte that is not UTF-8 (libyaml's
 * reader gives an offset: it was reported at 1:1) */
static void test_yaml_bounds(void)
{
	struct mbuf *mb;
	char text[512];
	size_t i, n;

	n = (size_t)re_snprintf(text, sizeof(text), "steps: ");
	for (i = 0; i < 150; i++)
		text[n++] = '[';
	for (i = 0; i < 150; i++)
		text[n++] = ']';
	text[n] = '\0';
	/* the mapping is the first level: the 100th [ is the 101st */
	fails_with(text, "t.yaml:1:107: nested deeper than 100 levels "
		   "(lists and mappings inside each other)");

	fails_with("roles:\n  A: &x {kind: ua}\n  B: &x {kind: ua}\n",
		   "t.yaml:3:6: anchor &x is defined twice (first at line 2, "
		   "column 6)");
	fails_with("roles: {A: {kind: ua}}\nsteps: *nowhere\n",
		   "t.yaml:2:8: alias *nowhere names no anchor (&nowhere) "
		   "before it");
	/* libyaml compared each %TAG with every one before it (65000:
	 * 97 s, before the first event) */
	mb = mbuf_alloc(4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	for (i = 0; i < 101; i++)
		(void)mbuf_printf(mb, "%%TAG !a%zu! tag:x,2000:\n", i);
	(void)mbuf_printf(mb, "---\nroles: {A: {kind: ua}}\n");
	(void)mbuf_write_u8(mb, 0);
	fails_with((const char *)mb->buf, "t.yaml:101:1: more than 100 YAML "
		   "directives (%TAG, %YAML)");
	mem_deref(mb);

	fails_with("roles:\n  A: {kind: ua, user: al\xff" "ce}\n",
		   "t.yaml:2:25: YAML syntax error: invalid leading UTF-8 "
		   "octet (#xFF)");
}


/* a NUL byte in a scenario file is a syntax error at its place (it
 * was "not a text file", with no place); a /proc file, whose size says
 * 0, is read, not taken for empty */
static void test_file_bytes(void)
{
	static const char text[] = "roles:\n  A: {kind: ua}\nsteps:\n"
		"  - F1: OPTIONS A -> A\n  - wait: 1\0s\n";
	char path[] = "/tmp/sipflow-nul-XXXXXX", want[64];
	struct scenario *sc = NULL;
	struct diag dg;
	FILE *f = tmp_file(path);

	CU_ASSERT_EQUAL(fwrite(text, 1, sizeof(text) - 1, f),
			sizeof(text) - 1);
	fclose(f);

	diag_init(&dg);
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &dg), EINVAL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	re_snprintf(want, sizeof(want), "%s:5:12: YAML syntax error: ",
		    path);
	CU_ASSERT_EQUAL(strncmp(diag_first(&dg), want, strlen(want)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), "(#x0)"));
	diag_reset(&dg);
	unlink(path);

	CU_ASSERT_EQUAL(scenario_load(&sc, "/proc/self/status", &dg),
			EINVAL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	CU_ASSERT_PTR_NULL(strstr(diag_first(&dg), "empty"));
	diag_reset(&dg);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"model_from_flow", test_model_from_flow},
		{"errors_have_places", test_errors_have_places},
		{"step_kinds", test_step_kinds},
		{"role_kinds", test_role_kinds},
		{"long_names_in_errors", test_long_names_in_errors},
		{"phone_steps", test_phone_steps},
		{"status_alternatives", test_status_alternatives},
		{"all_errors_reported", test_all_errors_reported},
		{"no_truncation", test_no_truncation},
		{"testbed_too_large", test_testbed_too_large},
		{"yaml_bounds", test_yaml_bounds},
		{"file_bytes", test_file_bytes},
		{"unknown_key_names_the_keys",
		 test_unknown_key_names_the_keys},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("load", tests);
}
