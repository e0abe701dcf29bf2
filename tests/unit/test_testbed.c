/* tests/unit/test_testbed.c — who plays each role (engine/load/testbed.c):
 * a testbed file and --role arguments, the errors they give (file:line:
 * column), and what binding them to a scenario does */
#include <string.h>
#include <unistd.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "fixture.h"
#include "scenario.h"
#include "diag.h"
#include "testbed.h"


/* A, B and P at lines 2, 3 and 4 */
static const char flow[] =
	"roles:\n"
	"  A: {kind: ua, user: alice}\n"
	"  B: {kind: ua}\n"
	"  P: {kind: proxy, domain: example.test}\n"
	"steps:\n"
	"  - F1: INVITE A -> P\n"
	"  - F2: INVITE P -> B\n";


/* flow as demo.yaml, dg initialised; a failure stops the test */
static struct scenario *demo_load(struct diag *dg)
{
	struct scenario *sc = NULL;

	diag_init(dg);
	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "demo.yaml", flow, dg),
			      0);
	return sc;
}


/* tcp:, tls:, udp: or none; IPv6 in brackets; TLS defaults to 5061 */
static void test_addr_transports(void)
{
	static const struct {
		const char *in;
		int err;
		enum sip_transp tp;
		const char *addr;
	} cases[] = {
		{"127.0.0.1", 0, SIP_TRANSP_UDP, "127.0.0.1:5060"},
		{"udp:127.0.0.1:5070", 0, SIP_TRANSP_UDP, "127.0.0.1:5070"},
		{"tcp:127.0.0.1", 0, SIP_TRANSP_TCP, "127.0.0.1:5060"},
		{"TCP:[::1]:5062", 0, SIP_TRANSP_TCP, "[::1]:5062"},
		{"tls:127.0.0.1", 0, SIP_TRANSP_TLS, "127.0.0.1:5061"},
		{"tls:[::1]:5071", 0, SIP_TRANSP_TLS, "[::1]:5071"},
		{"[::1]", 0, SIP_TRANSP_UDP, "[::1]:5060"},
		{"sctp:127.0.0.1", EINVAL, SIP_TRANSP_NONE, NULL},
		{"tcp:[::1", EINVAL, SIP_TRANSP_NONE, NULL},
		{"tls:", EINVAL, SIP_TRANSP_NONE, NULL},
	};
	char buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		enum sip_transp tp = SIP_TRANSP_NONE;
		struct sa sa;
		int err = testbed_parse_addr(&sa, &tp, cases[i].in);

		CU_ASSERT_EQUAL(err, cases[i].err);
		if (err || cases[i].err)
			continue;
		CU_ASSERT_EQUAL(tp, cases[i].tp);
		re_snprintf(buf, sizeof(buf), "%J", &sa);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].addr);
	}
}


static void test_args_and_binding(void)
{
	struct scenario *sc = NULL;
	struct testbed *tb = NULL;
	struct diag dg;
	char buf[64];

	sc = demo_load(&dg);
	CU_ASSERT_EQUAL_FATAL(testbed_alloc(&tb), 0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "P=dut:udp:127.0.0.1:5070", &dg),
			0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "B=ua:127.0.9.9", &dg), 0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "Z=dut:127.0.0.1", &dg), 0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "P=martian", &dg), EINVAL);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "P", &dg), EINVAL);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "P=dut:udp:host:99999", &dg),
			EINVAL);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "P=dut:sctp:127.0.0.1", &dg),
			EINVAL);
	CU_ASSERT_EQUAL(dg.nerr, 4);
	diag_reset(&dg);

	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	CU_ASSERT_TRUE(scenario_role(sc, "P")->dut);
	CU_ASSERT_EQUAL(scenario_role(sc, "P")->kind, ROLE_PROXY);
	re_snprintf(buf, sizeof(buf), "%J", &scenario_role(sc, "P")->addr);
	CU_ASSERT_STRING_EQUAL(buf, "127.0.0.1:5070");
	re_snprintf(buf, sizeof(buf), "%J", &scenario_role(sc, "B")->addr);
	CU_ASSERT_STRING_EQUAL(buf, "127.0.9.9:5060");
	CU_ASSERT_FALSE(scenario_role(sc, "B")->dut);
	/* A keeps the default: base + its index */
	re_snprintf(buf, sizeof(buf), "%J", &scenario_role(sc, "A")->addr);
	CU_ASSERT_STRING_EQUAL(buf, "127.0.0.10:5060");

	mem_deref(tb);
	tb = NULL;
	CU_ASSERT_EQUAL_FATAL(testbed_alloc(&tb), 0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "P=dut", &dg), 0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), EINVAL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), "role P is bound to "
				      "a DUT but has no address"));

	diag_reset(&dg);
	mem_deref(tb);
	mem_deref(sc);
}


/* the address scenario_bind gave role name, as host:port */
static const char *addr_of(char *buf, size_t sz, struct scenario *sc,
			   const char *name)
{
	re_snprintf(buf, sz, "%J", &scenario_role(sc, name)->addr);
	return buf;
}


static void test_default_addresses_skip_bound_ones(void)
{
	struct scenario *sc = NULL;
	struct testbed *tb = NULL;
	struct addrpool blk;
	struct diag dg;
	char buf[64];

	sc = demo_load(&dg);

	/* A pinned where B would go: B and P move past it */
	CU_ASSERT_EQUAL_FATAL(testbed_alloc(&tb), 0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "A=ua:127.0.0.11", &dg), 0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	CU_ASSERT_STRING_EQUAL(addr_of(buf, sizeof(buf), sc, "A"),
			       "127.0.0.11:5060");
	CU_ASSERT_STRING_EQUAL(addr_of(buf, sizeof(buf), sc, "B"),
			       "127.0.0.12:5060");
	CU_ASSERT_STRING_EQUAL(addr_of(buf, sizeof(buf), sc, "P"),
			       "127.0.0.13:5060");
	CU_ASSERT_FALSE(scenario_role(sc, "A")->auto_addr);
	CU_ASSERT_TRUE(scenario_role(sc, "B")->auto_addr);
	CU_ASSERT_EQUAL(scenario_auto_roles(sc, tb), 2);

	/* a device counts too; the same address on another port does not */
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "A=ua", &dg), 0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "P=dut:udp:127.0.0.10:5060", &dg),
			0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "B=ua:127.0.0.11:5070", &dg), 0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	CU_ASSERT_STRING_EQUAL(addr_of(buf, sizeof(buf), sc, "A"),
			       "127.0.0.11:5060");

	/* binding again starts over: the pinned address is gone */
	mem_deref(tb);
	CU_ASSERT_EQUAL_FATAL(testbed_alloc(&tb), 0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	CU_ASSERT_STRING_EQUAL(addr_of(buf, sizeof(buf), sc, "B"),
			       "127.0.0.11:5060");

	/* a testbed address of a role this flow lacks (a suite's device)
	 * is taken all the same */
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "Z=dut:udp:127.0.0.10:5060", &dg),
			0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	CU_ASSERT_STRING_EQUAL(addr_of(buf, sizeof(buf), sc, "A"),
			       "127.0.0.11:5060");
	mem_deref(tb);
	CU_ASSERT_EQUAL_FATAL(testbed_alloc(&tb), 0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	CU_ASSERT_EQUAL(scenario_auto_roles(sc, tb), 3);

	/* a job slot's block: its roles stay inside it */
	CU_ASSERT_EQUAL(addrpool_parse(&blk, "127.0.9.1-127.0.9.3", NULL), 0);
	CU_ASSERT_EQUAL(scenario_bind_block(sc, tb, &blk, &dg), 0);
	CU_ASSERT_STRING_EQUAL(addr_of(buf, sizeof(buf), sc, "P"),
			       "127.0.9.3:5060");
	CU_ASSERT_EQUAL(dg.nerr, 0);

	/* a block the other roles fill leaves none: an error at the role */
	CU_ASSERT_EQUAL(addrpool_parse(&blk, "127.0.9.1-127.0.9.2", NULL), 0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "A=ua:127.0.9.2", &dg), 0);
	CU_ASSERT_EQUAL(scenario_bind_block(sc, tb, &blk, &dg),
			EADDRNOTAVAIL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), "demo.yaml:4:3: role "
				      "P has no address and every address "
				      "of 127.0.9.1-127.0.9.2"));

	diag_reset(&dg);
	mem_deref(tb);
	mem_deref(sc);
}


/* text as a testbed file: testbed_load's result, its diagnostics in dg;
 * the file's name in path */
static int load_text(struct testbed **tbp, char *path, size_t size,
		     const char *text, struct diag *dg)
{
	int err;

	CU_ASSERT_EQUAL_FATAL(fx_file(path, size, ".yaml", text), 0);
	err = testbed_load(tbp, path, dg);
	unlink(path);
	return err;
}


static const struct binding *binding_of(const struct testbed *tb,
					const char *role)
{
	struct le *le;

	for (le = tb->bindings.tail; le; le = le->prev) {
		const struct binding *b = le->data;

		if (!strcmp(b->role, role))
			return b;
	}

	return NULL;
}


static void test_load_file(void)
{
	static const char text[] =
		"address-pool: 127.0.5.1-127.0.5.254\n"
		"settle: 300ms\n"
		"settle-max: 2s\n"
		"roles:\n"
		"  P: {kind: dut, address: tcp:127.0.0.1:5070, name: kam}\n"
		"  B: {kind: ua, auth: {user: bob, password: secret}}\n"
		"  C: {tone: 1000Hz, kind: dut, address: 127.0.0.3,\n"
		"      capture: {interface: lo}}\n";
	const struct binding *b;
	struct testbed *tb = NULL;
	struct diag dg;
	char path[256], buf[64];

	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(load_text(&tb, path, sizeof(path), text, &dg),
			      0);
	CU_ASSERT_EQUAL(dg.nerr, 0);
	CU_ASSERT_STRING_EQUAL(tb->file, path);
	CU_ASSERT_EQUAL(list_count(&tb->bindings), 3);
	CU_ASSERT_TRUE(tb->has_pool);
	re_snprintf(buf, sizeof(buf), "%H", addrpool_print, &tb->pool);
	CU_ASSERT_STRING_EQUAL(buf, "127.0.5.1-127.0.5.254");
	CU_ASSERT_EQUAL(tb->settle_ms, 300);
	CU_ASSERT_EQUAL(tb->settle_max_ms, 2000);

	b = binding_of(tb, "P");
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_TRUE(b->has_kind && b->kind == ROLE_DUT);
	CU_ASSERT_TRUE(b->has_addr);
	CU_ASSERT_EQUAL(b->tp, SIP_TRANSP_TCP);
	re_snprintf(buf, sizeof(buf), "%J", &b->addr);
	CU_ASSERT_STRING_EQUAL(buf, "127.0.0.1:5070");
	CU_ASSERT_STRING_EQUAL(b->name, "kam");
	CU_ASSERT_EQUAL(b->pos.line, 5);

	b = binding_of(tb, "B");
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_FALSE(b->has_addr);
	CU_ASSERT_STRING_EQUAL(b->auth_user, "bob");
	CU_ASSERT_STRING_EQUAL(b->auth_pass, "secret");

	b = binding_of(tb, "C");
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(b->tone_hz, 1000);
	CU_ASSERT_EQUAL(b->tp, SIP_TRANSP_UDP);
	CU_ASSERT_STRING_EQUAL(b->capture_if, "lo");

	diag_reset(&dg);
	mem_deref(tb);
}


/* every mistake of a file is reported, each at its place: the line and
 * column of the value (or key) that is wrong */
static void test_errors_have_places(void)
{
	static const char text[] =
		"roles:\n"
		"  P: {kind: dot, address: 127.0.0.1}\n"
		"  B: {kind: ua, adress: 127.0.0.2}\n"
		"  C: {address: \"udp:127.0.0.1:99999\"}\n"
		"  D: {tone: loud, name: \"\"}\n"
		"  E: {auth: {user: eve}}\n"
		"settle: 2s\n"
		"settle-max: 1s\n"
		"address-pool: 127.0.0.10-127.0.0.20\n"
		"base-address: 127.0.0.10\n"
		"sette: 1s\n";
	static const char *const want[] = {
		"2:13: role P: unknown kind 'dot' (kinds: ua, proxy, phone, "
		"dut)",
		"3:17: B: unknown key 'adress' (did you mean 'address'?)",
		"4:16: role C: address 'udp:127.0.0.1:99999' is not "
		"[udp:|tcp:|tls:]HOST[:PORT]",
		"5:13: role D: tone: 'loud' is not a frequency (1000Hz)",
		"5:25: role D: name is empty",
		"6:13: role E: auth: needs user and password (or "
		"password-env)",
		"10:1: base-address: the address pool is already given; use "
		"address-pool or base-address, not both",
		"11:1: testbed: unknown key 'sette' (did you mean 'settle'?)",
		"1:1: settle-max (1000 ms) is shorter than settle (2000 ms)",
	};
	struct testbed *tb = NULL;
	struct diag dg;
	char path[256];
	struct le *le;
	size_t i = 0;

	diag_init(&dg);
	CU_ASSERT_EQUAL(load_text(&tb, path, sizeof(path), text, &dg),
			EINVAL);
	CU_ASSERT_PTR_NULL(tb);
	CU_ASSERT_EQUAL(dg.nerr, ARRAY_SIZE(want));

	for (le = dg.items.head; le && i < ARRAY_SIZE(want); le = le->next) {
		const struct diag_item *it = le->data;
		char w[256];

		re_snprintf(w, sizeof(w), "%s:%s", path, want[i++]);
		if (strcmp(it->text, w))
			re_fprintf(stderr, "  got  %s\n  want %s\n", it->text,
				   w);
		CU_ASSERT_STRING_EQUAL(it->text, w);
	}
	CU_ASSERT_EQUAL(i, ARRAY_SIZE(want));

	diag_reset(&dg);
}


/* a file that is not there, or not YAML, or not a mapping */
static void test_unreadable_files(void)
{
	struct testbed *tb = NULL;
	struct diag dg;
	char path[256], want[320];

	diag_init(&dg);
	CU_ASSERT_EQUAL(testbed_load(&tb, "/nonexistent/tb.yaml", &dg),
			EINVAL);
	CU_ASSERT_PTR_NULL(tb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	CU_ASSERT_STRING_EQUAL(diag_first(&dg), "/nonexistent/tb.yaml: "
			       "cannot read: No such file or directory");
	diag_reset(&dg);

	CU_ASSERT_EQUAL(load_text(&tb, path, sizeof(path), "roles: {A: [\n",
				  &dg), EINVAL);
	CU_ASSERT_PTR_NULL(tb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	re_snprintf(want, sizeof(want), "%s:2:1: YAML syntax error", path);
	CU_ASSERT_EQUAL(strncmp(diag_first(&dg), want, strlen(want)), 0);
	diag_reset(&dg);

	CU_ASSERT_EQUAL(load_text(&tb, path, sizeof(path), "- A\n- B\n", &dg),
			EINVAL);
	CU_ASSERT_PTR_NULL(tb);
	CU_ASSERT_EQUAL(dg.nerr, 1);
	diag_reset(&dg);

	CU_ASSERT_EQUAL(testbed_load(NULL, path, &dg), EINVAL);
	CU_ASSERT_EQUAL(testbed_load(&tb, NULL, &dg), EINVAL);
}


/* binding a testbed that contradicts the scenario: an error at the
 * scenario's role, naming what would be allowed */
static void test_bind_contradictions(void)
{
	static const struct {
		const char *arg;
		const char *want;
	} cases[] = {
		{"A=proxy:127.0.0.1", "demo.yaml:2:3: role A is a ua in the "
		 "scenario; a testbed can bind it to ua or dut, not proxy"},
		{"B=phone", "demo.yaml:3:3: role B is not a phone in the "
		 "scenario; a testbed binds a phone role to phone or dut"},
		{"P=dut", "demo.yaml:4:3: role P is bound to a DUT but has no "
		 "address"},
	};
	struct scenario *sc = NULL;
	struct diag dg;
	size_t i;

	sc = demo_load(&dg);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct testbed *tb = NULL;

		CU_ASSERT_EQUAL_FATAL(testbed_alloc(&tb), 0);
		CU_ASSERT_EQUAL(testbed_add_arg(tb, cases[i].arg, &dg), 0);
		CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), EINVAL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
		CU_ASSERT_STRING_EQUAL(diag_first(&dg), cases[i].want);
		diag_reset(&dg);
		mem_deref(tb);
	}

	mem_deref(sc);
}


/* tls: settings on a role whose address is not tls: */
static void test_tls_needs_a_tls_address(void)
{
	static const char text[] =
		"roles:\n"
		"  B: {kind: dut, address: udp:127.0.0.2,\n"
		"      tls: {verify: false}}\n";
	struct scenario *sc = NULL;
	struct testbed *tb = NULL;
	struct diag dg;
	char path[256];

	sc = demo_load(&dg);
	CU_ASSERT_EQUAL_FATAL(load_text(&tb, path, sizeof(path), text, &dg),
			      0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), EINVAL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	CU_ASSERT_STRING_EQUAL(diag_first(&dg), "demo.yaml:3:3: role B has "
			       "tls: settings but its address is UDP, not "
			       "tls:");

	diag_reset(&dg);
	mem_deref(tb);
	mem_deref(sc);
}


/* of two bindings of a role, the later wins: a --role after the file */
static void test_later_binding_wins(void)
{
	static const char text[] =
		"roles:\n"
		"  B: {kind: dut, address: 127.0.0.2, name: bob-phone}\n";
	struct scenario *sc = NULL;
	struct testbed *tb = NULL;
	struct diag dg;
	char path[256], buf[64];
	const struct role *b;

	sc = demo_load(&dg);
	CU_ASSERT_EQUAL_FATAL(load_text(&tb, path, sizeof(path), text, &dg),
			      0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "B=dut:tcp:127.0.0.7:5070", &dg),
			0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	b = scenario_role(sc, "B");
	CU_ASSERT_TRUE(b->dut);
	re_snprintf(buf, sizeof(buf), "%J", &b->addr);
	CU_ASSERT_STRING_EQUAL(buf, "127.0.0.7:5070");
	/* what the later one does not say, the earlier still does */
	CU_ASSERT_STRING_EQUAL(b->dut_name, "bob-phone");
	re_snprintf(buf, sizeof(buf), "%H", testbed_device_print, b);
	CU_ASSERT_STRING_EQUAL(buf, "bob-phone");

	/* without a name, a device is its address */
	mem_deref(tb);
	CU_ASSERT_EQUAL_FATAL(testbed_alloc(&tb), 0);
	CU_ASSERT_EQUAL(testbed_add_arg(tb, "B=dut:tcp:127.0.0.7:5070", &dg),
			0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	CU_ASSERT_PTR_NULL(b->dut_name);
	re_snprintf(buf, sizeof(buf), "%H", testbed_device_print, b);
	CU_ASSERT_STRING_EQUAL(buf, "tcp:127.0.0.7:5070");
	CU_ASSERT_PTR_NULL(testbed_capture_role(sc));

	diag_reset(&dg);
	mem_deref(tb);
	mem_deref(sc);
}


/* a testbed, or a file its tls: names, that is not a regular file says
 * what it is (a directory read as "cannot read", a FIFO blocked for
 * ever: tests/scripts/yaml-input.sh) */
static void test_not_a_file(void)
{
	static const struct {
		const char *file, *want;
	} cases[] = {
		{"/tmp", "/tmp: cannot read: it is a directory, not a file"},
		{"/dev/null", "/dev/null: cannot read: it is a character "
		 "device, not a regular file"},
	};
	struct testbed *tb = NULL;
	struct diag dg;
	char path[256], want[320];
	size_t i;

	diag_init(&dg);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		CU_ASSERT_EQUAL(testbed_load(&tb, cases[i].file, &dg), EINVAL);
		CU_ASSERT_PTR_NULL(tb);
		CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
		CU_ASSERT_STRING_EQUAL(diag_first(&dg), cases[i].want);
		diag_reset(&dg);
	}

	CU_ASSERT_EQUAL(load_text(&tb, path, sizeof(path),
				  "roles:\n  B: {kind: dut, address: "
				  "tls:127.0.0.2,\n      tls: {ca: /dev/null}}"
				  "\n", &dg), EINVAL);
	CU_ASSERT_PTR_NULL(tb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	re_snprintf(want, sizeof(want), "%s:3:17: role B: tls: ca: cannot "
		    "read '/dev/null': it is a character device", path);
	CU_ASSERT_EQUAL(strncmp(diag_first(&dg), want, strlen(want)), 0);
	diag_reset(&dg);
}


/* the ids of sc's setup steps, "reg-A reg-A-ok" */
static void setup_ids(char *buf, size_t sz, const struct scenario *sc)
{
	struct le *le;
	size_t n = 0;

	buf[0] = '\0';
	for (le = sc->steps.head; le && n < sz; le = le->next) {
		const struct step *st = le->data;

		if (st->setup)
			n += (size_t)re_snprintf(buf + n, sz - n, "%s%s",
						 n ? " " : "", st->id);
	}
}


/* register: on a device: its REGISTER waited for as setup steps, with a
 * digest challenge when the testbed gives it credentials, the first one
 * bounded by register: {timeout:}; its errors at their place */
static void test_device_registers(void)
{
	struct scenario *sc = NULL;
	struct testbed *tb = NULL;
	struct diag dg;
	char path[256], buf[128], want[320];

	sc = demo_load(&dg);
	CU_ASSERT_EQUAL_FATAL(load_text(&tb, path, sizeof(path),
		"roles:\n"
		"  A: {kind: dut, address: 127.0.0.30,\n"
		"      auth: {user: alice, password: lab},\n"
		"      register: {with: P, timeout: 2s}}\n", &dg), 0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	setup_ids(buf, sizeof(buf), sc);
	CU_ASSERT_STRING_EQUAL(buf, "reg-A reg-A-401 reg-A-auth reg-A-ok");
	CU_ASSERT_EQUAL(scenario_step(sc, "reg-A")->timeout_ms, 2000);
	CU_ASSERT_EQUAL(scenario_step(sc, "reg-A-401")->scode, 401);
	CU_ASSERT_PTR_EQUAL(scenario_step(sc, "reg-A-ok")->assoc,
			    scenario_step(sc, "reg-A-auth"));
	CU_ASSERT_STRING_EQUAL(scenario_step_at(sc, 4)->id, "F1");
	tb = mem_deref(tb);

	/* without credentials: REGISTER, 200 OK; the step default bound */
	mem_deref(sc);
	sc = demo_load(&dg);
	CU_ASSERT_EQUAL_FATAL(load_text(&tb, path, sizeof(path),
		"roles:\n  A: {kind: dut, address: 127.0.0.30, "
		"register: P}\n", &dg), 0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	setup_ids(buf, sizeof(buf), sc);
	CU_ASSERT_STRING_EQUAL(buf, "reg-A reg-A-ok");
	CU_ASSERT_EQUAL(scenario_step(sc, "reg-A")->timeout_ms, 0);
	tb = mem_deref(tb);

	/* a registrar that is a device too cannot answer it */
	CU_ASSERT_EQUAL_FATAL(load_text(&tb, path, sizeof(path),
		"roles:\n  A: {kind: dut, address: 127.0.0.30, "
		"register: P}\n  P: {kind: dut, address: 127.0.0.1}\n",
		&dg), 0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), "demo.yaml:2:3: "
		"role A: the testbed registers device A with P, a device "
		"too"));
	diag_reset(&dg);
	tb = mem_deref(tb);

	/* a timeout that is no duration, a mapping without with: */
	CU_ASSERT_EQUAL(load_text(&tb, path, sizeof(path),
		"roles:\n  A: {kind: dut, address: 127.0.0.30,\n"
		"      register: {with: P, timeout: soon}}\n", &dg), EINVAL);
	re_snprintf(want, sizeof(want), "%s:3:36: role A: register: "
		    "timeout: 'soon' is not a duration", path);
	CU_ASSERT_EQUAL(strncmp(diag_first(&dg), want, strlen(want)), 0);
	diag_reset(&dg);
	CU_ASSERT_EQUAL(load_text(&tb, path, sizeof(path),
		"roles:\n  A: {kind: dut, address: 127.0.0.30,\n"
		"      register: {timeout: 2s, wiht: P}}\n", &dg), EINVAL);
	re_snprintf(want, sizeof(want), "%s:3:31: register: unknown key "
		    "'wiht' (did you mean 'with'?)", path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag_first(&dg));
	CU_ASSERT_EQUAL(strncmp(diag_first(&dg), want, strlen(want)), 0);
	CU_ASSERT_EQUAL(dg.nerr, 2);   /* and: needs with: */
	diag_reset(&dg);

	mem_deref(sc);
}


/* binding again forgets a previous testbed's credentials: a suite binds
 * each scenario anew, and one testbed's auth: must not reach the next */
static void test_rebinding_forgets_credentials(void)
{
	static const char text[] =
		"roles:\n"
		"  B: {kind: ua, auth: {user: bob, password: secret}}\n";
	struct testbed *tb = NULL, *bare = NULL;
	struct scenario *sc;
	struct diag dg;
	char path[256];

	diag_init(&dg);
	sc = demo_load(&dg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL_FATAL(load_text(&tb, path, sizeof(path), text, &dg),
			      0);
	CU_ASSERT_EQUAL(scenario_bind(sc, tb, &dg), 0);
	CU_ASSERT_STRING_EQUAL(scenario_role(sc, "B")->auth_user, "bob");

	CU_ASSERT_EQUAL_FATAL(testbed_alloc(&bare), 0);
	CU_ASSERT_EQUAL(scenario_bind(sc, bare, &dg), 0);
	CU_ASSERT_PTR_NULL(scenario_role(sc, "B")->auth_user);
	CU_ASSERT_PTR_NULL(scenario_role(sc, "B")->auth_pass);
	CU_ASSERT_EQUAL(dg.nerr, 0);

	mem_deref(bare);
	mem_deref(tb);
	mem_deref(sc);
	diag_reset(&dg);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"addr_transports", test_addr_transports},
		{"args_and_binding", test_args_and_binding},
		{"rebinding_forgets_credentials",
		 test_rebinding_forgets_credentials},
		{"default_addresses_skip_bound_ones",
		 test_default_addresses_skip_bound_ones},
		{"load_file", test_load_file},
		{"errors_have_places", test_errors_have_places},
		{"unreadable_files", test_unreadable_files},
		{"bind_contradictions", test_bind_contradictions},
		{"tls_needs_a_tls_address", test_tls_needs_a_tls_address},
		{"not_a_file", test_not_a_file},
		{"later_binding_wins", test_later_binding_wins},
		{"device_registers", test_device_registers},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("testbed", tests);
}
