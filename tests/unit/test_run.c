/* tests/unit/test_run.c — the runner and the scripted roles, end to end
 *
 * Each test plays scenarios over real UDP sockets on 127.0.42.x. A device
 * under test is simulated by a second run in the same process that plays
 * the other side of the same flow (a scripted proxy with A and B bound to
 * the first run's agents), so a misbehaving device is just a variant of
 * the flow on that side.
 */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <re.h>
#include <pcap/pcap.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "scenario.h"
#include "diag.h"
#include "testbed.h"
#include "msgrec.h"
#include "hdr.h"
#include "run.h"
#include "clock.h"


#define A_ADDR "127.0.42.10:5060"
#define B_ADDR "127.0.42.11:5060"
#define C_ADDR "127.0.42.12:5060"
#define P_ADDR "127.0.42.13:5060"

struct play {
	struct scenario *sc;
	struct run *run;
	bool done;
	unsigned *ndone;
	unsigned nruns;
	char pcap[64];
	char log[2048];
	const char *stop_after;  /* a step: the run stops as it passes */
};


static void done_h(struct run *run, void *arg)
{
	struct play *p = arg;

	(void)run;
	p->done = true;
	if (++*p->ndone >= p->nruns)
		re_cancel();
}


/* stop_after passed: the run is stopped then, before its cursor moves
 * on, as a device's lost connection or a SIGINT may come between steps */
static void step_h(const struct run *run, const struct step *st,
		   const struct verdict *v, void *arg)
{
	struct play *p = arg;

	(void)run;
	if (p->stop_after && v->status == VERDICT_PASS &&
	    !strcmp(st->id, p->stop_after))
		run_interrupt(p->run, "interrupted (SIGINT)");
}


static void log_h(const struct run *run, const char *line, void *arg)
{
	struct play *p = arg;
	size_t l = strlen(p->log);

	(void)run;
	re_snprintf(p->log + l, sizeof(p->log) - l, "%s\n", line);
}


/* a file of the source tree, by its path there */
static void src_path(char *path, size_t size, const char *rel)
{
	const char *src = getenv("SIPFLOW_SRC");

	re_snprintf(path, size, "%s/%s", src ? src : ".", rel);
}


static char *read_file(const char *rel)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	src_path(path, sizeof(path), rel);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}


/*
 * load text, bind roles ("A=ua:udp:127.0.42.10:5060" …), make the run;
 * name is the text's place in the source tree, where its include:s are
 * found (a variant of a bundled flow goes in that flow's directory)
 */
/* text loaded as the scenario path and bound to roles ("A=ua:…", NULL
 * ended) */
static int load_bound(struct scenario **scp, const char *path,
		      const char *text, const char *const *roles,
		      struct diag *dg)
{
	struct testbed *tb = NULL;
	int err;

	err = scenario_load_str(scp, path, text, dg);
	if (!err)
		err = testbed_alloc(&tb);
	for (; !err && roles && *roles; roles++)
		err = testbed_add_arg(tb, *roles, dg);
	if (!err)
		err = scenario_bind(*scp, tb, dg);
	mem_deref(tb);

	return err;
}


static int setup(struct play *p, const char *name, const char *text,
		 const char *const *roles, uint32_t timeout_ms,
		 const char *pcap, unsigned *ndone, unsigned nruns)
{
	struct run_handlers h = {step_h, log_h, done_h, p};
	struct run_opts opts = {pcap, timeout_ms};
	struct diag dg;
	char path[512];
	int err;

	memset(p, 0, sizeof(*p));
	p->ndone = ndone;
	p->nruns = nruns;
	diag_init(&dg);

	/* every run records, so verdicts carry frame numbers */
	if (!pcap) {
		int fd;

		re_snprintf(p->pcap, sizeof(p->pcap),
			    "/tmp/sipflow-run-XXXXXX.pcap");
		fd = mkstemps(p->pcap, 5);
		if (fd < 0)
			return errno;
		close(fd);
		opts.pcap_path = p->pcap;
	}

	src_path(path, sizeof(path), name);
	err = load_bound(&p->sc, path, text, roles, &dg);
	if (!err)
		err = run_alloc(&p->run, p->sc, &opts, &h, &dg);

	if (err)
		re_fprintf(stderr, "setup %s: %m\n%H", name, err, diag_print,
			   &dg);
	diag_reset(&dg);

	return err;
}


static void teardown(struct play *p)
{
	p->run = mem_deref(p->run);
	p->sc = mem_deref(p->sc);
	if (p->pcap[0])
		unlink(p->pcap);
}


/* play runs to their end, bounded by a guard timer */
static void guard_h(void *arg)
{
	(void)arg;
	re_cancel();
}


static void play_all(struct play *v, unsigned n)
{
	struct tmr guard;
	unsigned i;

	tmr_init(&guard);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL_FATAL(run_start(v[i].run), 0);
	tmr_start(&guard, 20000, guard_h, NULL);
	(void)re_main(NULL);
	tmr_cancel(&guard);
	for (i = 0; i < n; i++)
		CU_ASSERT_TRUE(v[i].done);
}


static const struct verdict *verdict_of(const struct play *p,
					const char *id)
{
	const struct step *st = scenario_step(p->sc, id);

	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	return run_verdict(p->run, st->idx);
}


static const struct sip_msg *msg_of(const struct play *p, const char *id)
{
	const struct step *st = scenario_step(p->sc, id);
	const struct msgrec *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	r = run_step_rec(p->run, st->idx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->msg);
	return r->msg;
}


static const char *const selfplay[] = {
	"A=ua:udp:" A_ADDR, "B=ua:udp:" B_ADDR, "C=ua:udp:" C_ADDR,
	"P=proxy:udp:" P_ADDR, NULL,
};


/* play one scenario alone, every role simulated */
static int solo(struct play *p, const char *name, const char *text,
		const char *const *roles, uint32_t timeout_ms)
{
	static unsigned ndone;
	int err;

	ndone = 0;
	err = setup(p, name, text, roles ? roles : selfplay, timeout_ms,
		    NULL, &ndone, 1);
	if (err)
		return err;

	play_all(p, 1);
	return 0;
}


static void assert_all_pass(const struct play *p)
{
	unsigned i;

	for (i = 0; i < p->sc->nsteps; i++) {
		const struct verdict *v = run_verdict(p->run, i);
		const struct step *st = scenario_step_at(p->sc, i);

		if (v->status != VERDICT_PASS)
			re_fprintf(stderr, "  %s: %s %s\n", st->id,
				   verdict_name(v->status),
				   v->reason ? v->reason : "");
		CU_ASSERT_EQUAL(v->status, VERDICT_PASS);
	}
	CU_ASSERT_TRUE(run_passed(p->run));
}


static void play_bundled(const char *rel)
{
	struct play p;
	char *text = read_file(rel);

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(solo(&p, rel, text, NULL, 2000), 0);
	assert_all_pass(&p);
	teardown(&p);
	free(text);
}


static void test_selfplay_basic_call(void)
{
	play_bundled("scenarios/yealink/basic-call.yaml");
}


static void test_cancel_200_keeps_invite_to_tag(void)
{
	/* RFC 3261 §9.2: B's 200 to the CANCEL and its 487 to the INVITE
	 * carry the same To tag (the one its 180 gave) */
	const char *rel = "scenarios/yealink/no-answer-cancel.yaml";
	char *text = read_file(rel);
	struct play p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(solo(&p, rel, text, NULL, 2000), 0);
	assert_all_pass(&p);
	CU_ASSERT_EQUAL(0, pl_cmp(&msg_of(&p, "F8")->to.tag,
				  &msg_of(&p, "F9")->to.tag));
	CU_ASSERT_EQUAL(0, pl_cmp(&msg_of(&p, "F3")->to.tag,
				  &msg_of(&p, "F8")->to.tag));
	teardown(&p);
	free(text);
}


static void test_selfplay_no_answer_forward(void)
{
	play_bundled("scenarios/yealink/no-answer-forward.yaml");
}


static void test_selfplay_blind_transfer(void)
{
	play_bundled("scenarios/yealink/blind-transfer.yaml");
}


/* a header value as a C string for comparisons */
static const char *hval(const struct sip_msg *m, const char *name,
			char *buf, size_t sz)
{
	const struct pl *v = hdr_first(m, name);

	buf[0] = '\0';
	if (v)
		pl_strcpy(v, buf, sz);
	return buf;
}


static void test_proxy_forwarding_rules(void)
{
	struct play p;
	char *text = read_file("scenarios/yealink/basic-call.yaml");
	const struct sip_msg *f1, *f2, *f3, *f4;
	char a[256], b[256];
	struct sip_via via2;
	struct le *le;
	unsigned n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(solo(&p, "basic.yaml", text, NULL, 2000), 0);
	f1 = msg_of(&p, "F1");
	f2 = msg_of(&p, "F2");
	f3 = msg_of(&p, "F3");
	f4 = msg_of(&p, "F4");

	/* §16.6 step 3: Max-Forwards decremented */
	CU_ASSERT_EQUAL(pl_u32(&f2->maxfwd) + 1, pl_u32(&f1->maxfwd));

	/* step 8: one more Via, ours on top with a new branch */
	CU_ASSERT_EQUAL(hdr_count(f2, "Via"), hdr_count(f1, "Via") + 1);
	CU_ASSERT_EQUAL(0, re_regex(f2->via.branch.p, f2->via.branch.l,
				    "z9hG4bK"));
	CU_ASSERT_NOT_EQUAL(0, pl_cmp(&f2->via.branch, &f1->via.branch));
	re_snprintf(a, sizeof(a), "%J", &f2->via.addr);
	CU_ASSERT_STRING_EQUAL(a, P_ADDR);

	/* §18.2.1/RFC 3581: the previous hop's Via gets received and rport */
	n = 0;
	for (le = f2->hdrl.head; le; le = le->next) {
		const struct sip_hdr *h = le->data;

		if (!hdr_name_eq("Via", &h->name) || n++ != 1)
			continue;
		CU_ASSERT_EQUAL(sip_via_decode(&via2, &h->val), 0);
		CU_ASSERT_EQUAL(0, pl_cmp(&via2.branch, &f1->via.branch));
		CU_ASSERT_PTR_NOT_NULL(strstr(h->val.p,
					      "received=127.0.42.10"));
		CU_ASSERT_EQUAL(0, re_regex(h->val.p, h->val.l, "rport=5060"));
	}
	CU_ASSERT_EQUAL(n, 2);

	/* step 4: Record-Route with our address and lr */
	hval(f2, "Record-Route", a, sizeof(a));
	CU_ASSERT_STRING_EQUAL(a, "<sip:" P_ADDR ";lr>");

	/* step 2: Request-URI is B's contact; dialog fields unchanged */
	re_snprintf(a, sizeof(a), "%r", &f2->ruri);
	CU_ASSERT_STRING_EQUAL(a, "sip:bob@" B_ADDR);
	CU_ASSERT_EQUAL(0, pl_cmp(&f2->callid, &f1->callid));
	CU_ASSERT_EQUAL(f2->cseq.num, f1->cseq.num);
	CU_ASSERT_STRING_EQUAL(hval(f2, "From", a, sizeof(a)),
			       hval(f1, "From", b, sizeof(b)));

	/* §16.7 step 3: the response loses the proxy's Via */
	CU_ASSERT_EQUAL(hdr_count(f4, "Via"), hdr_count(f3, "Via") - 1);
	CU_ASSERT_EQUAL(0, pl_cmp(&f4->via.branch, &f1->via.branch));

	teardown(&p);
	free(text);
}


static void test_uas_response_fields(void)
{
	struct play p;
	char *text = read_file("scenarios/yealink/basic-call.yaml");
	const struct sip_msg *f2, *f3, *f5;
	char a[256], b[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(solo(&p, "basic.yaml", text, NULL, 2000), 0);
	f2 = msg_of(&p, "F2");
	f3 = msg_of(&p, "F3");
	f5 = msg_of(&p, "F5");

	/* §8.2.6: one To tag for the 180 and the 200 */
	CU_ASSERT_TRUE(pl_isset(&f3->to.tag));
	CU_ASSERT_EQUAL(0, pl_cmp(&f3->to.tag, &f5->to.tag));
	CU_ASSERT_FALSE(pl_isset(&f2->to.tag));

	/* all Vias copied in order, and the Record-Route (§12.1.1) */
	CU_ASSERT_EQUAL(hdr_count(f3, "Via"), hdr_count(f2, "Via"));
	CU_ASSERT_EQUAL(0, pl_cmp(&f3->via.branch, &f2->via.branch));
	CU_ASSERT_STRING_EQUAL(hval(f5, "Record-Route", a, sizeof(a)),
			       hval(f2, "Record-Route", b, sizeof(b)));
	CU_ASSERT_PTR_NOT_NULL(strstr(hval(f5, "Contact", a, sizeof(a)),
				      "sip:bob@" B_ADDR));

	teardown(&p);
	free(text);
}


static void test_sdp_and_content_length(void)
{
	struct play p;
	char *text = read_file("scenarios/yealink/basic-call.yaml");
	const struct sip_msg *f1, *f5;
	struct pl port;
	char body[1024];

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(solo(&p, "basic.yaml", text, NULL, 2000), 0);
	f1 = msg_of(&p, "F1");
	f5 = msg_of(&p, "F5");

	CU_ASSERT_EQUAL(pl_u32(&f1->clen), mbuf_get_left(f1->mb));
	CU_ASSERT_TRUE(mbuf_get_left(f1->mb) > 0);
	pl_strcpy(&(struct pl){(const char *)mbuf_buf(f1->mb),
			       mbuf_get_left(f1->mb)}, body, sizeof(body));
	CU_ASSERT_EQUAL(0, re_regex(body, strlen(body),
				    "m=audio [0-9]+ RTP/AVP 0 8 101", &port));
	CU_ASSERT_TRUE(pl_u32(&port) >= 20000);
	CU_ASSERT_PTR_NOT_NULL(strstr(body, "c=IN IP4 127.0.42.10"));

	/* the answer (in the 200) comes from B, with B's address */
	CU_ASSERT_EQUAL(pl_u32(&f5->clen), mbuf_get_left(f5->mb));
	pl_strcpy(&(struct pl){(const char *)mbuf_buf(f5->mb),
			       mbuf_get_left(f5->mb)}, body, sizeof(body));
	CU_ASSERT_PTR_NOT_NULL(strstr(body, "c=IN IP4 127.0.42.11"));
	CU_ASSERT_PTR_NOT_NULL(strstr(body, "PCMU/8000"));

	teardown(&p);
	free(text);
}


static void test_ack_non2xx_reuses_branch(void)
{
	struct play p;
	const char *rel = "scenarios/yealink/no-answer-forward.yaml";
	char *text = read_file(rel);
	const struct sip_msg *f1, *f2, *f6, *f7, *f8, *f9;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(solo(&p, rel, text, NULL, 2000), 0);
	assert_all_pass(&p);
	f1 = msg_of(&p, "F1");
	f2 = msg_of(&p, "F2");
	f6 = msg_of(&p, "F6");
	f7 = msg_of(&p, "F7");
	f8 = msg_of(&p, "F8");
	f9 = msg_of(&p, "F9");

	/* §17.1.1.3: the proxy's ACK to B on F2's branch, A's on F1's */
	CU_ASSERT_EQUAL(0, pl_cmp(&f6->via.branch, &f2->via.branch));
	CU_ASSERT_EQUAL(0, pl_cmp(&f8->via.branch, &f1->via.branch));
	CU_ASSERT_EQUAL(f8->cseq.num, f1->cseq.num);
	CU_ASSERT_EQUAL(0, pl_strcmp(&f8->cseq.met, "ACK"));
	CU_ASSERT_EQUAL(0, pl_cmp(&f8->to.tag, &f7->to.tag));
	CU_ASSERT_EQUAL(0, pl_cmp(&f8->ruri, &f1->ruri));
	CU_ASSERT_EQUAL(0, pl_cmp(&f6->ruri, &f2->ruri));

	/* the new INVITE to C is a new transaction */
	CU_ASSERT_NOT_EQUAL(0, pl_cmp(&f9->via.branch, &f1->via.branch));

	teardown(&p);
	free(text);
}


static void test_ack_2xx_and_bye_in_dialog(void)
{
	struct play p;
	char *text = read_file("scenarios/yealink/basic-call.yaml");
	const struct sip_msg *f1, *f6, *f7, *f9;
	char a[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(solo(&p, "basic.yaml", text, NULL, 2000), 0);
	f1 = msg_of(&p, "F1");
	f6 = msg_of(&p, "F6");
	f7 = msg_of(&p, "F7");
	f9 = msg_of(&p, "F9");

	/* §13.2.2.4: ACK for 2xx is a new transaction, same CSeq number,
	 * sent to the remote target along the route set */
	CU_ASSERT_NOT_EQUAL(0, pl_cmp(&f7->via.branch, &f1->via.branch));
	CU_ASSERT_EQUAL(f7->cseq.num, f1->cseq.num);
	re_snprintf(a, sizeof(a), "%r", &f7->ruri);
	CU_ASSERT_STRING_EQUAL(a, "sip:bob@" B_ADDR);
	CU_ASSERT_STRING_EQUAL(hval(f7, "Route", a, sizeof(a)),
			       "<sip:" P_ADDR ";lr>");

	/* §12.2.1.1: BYE in the dialog, CSeq above the INVITE's */
	CU_ASSERT_EQUAL(0, pl_cmp(&f9->callid, &f1->callid));
	CU_ASSERT_EQUAL(0, pl_cmp(&f9->from.tag, &f1->from.tag));
	CU_ASSERT_EQUAL(0, pl_cmp(&f9->to.tag, &f6->to.tag));
	CU_ASSERT_TRUE(f9->cseq.num > f1->cseq.num);
	CU_ASSERT_EQUAL(hdr_count(f9, "Route"), 1);

	teardown(&p);
	free(text);
}


static void test_ack_reinvite_2xx_takes_its_cseq(void)
{
	/* §13.2.2.4: the ACK of a re-INVITE's 2xx carries the CSeq number
	 * of that re-INVITE, not of the INVITE that made the dialog */
	struct play p;
	char *text = read_file("scenarios/yealink/hold-resume.yaml");
	const struct sip_msg *f1, *f9, *f13;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(solo(&p, "scenarios/yealink/hold.yaml", text,
				   NULL, 2000), 0);
	f1 = msg_of(&p, "F1");
	f9 = msg_of(&p, "F9");
	f13 = msg_of(&p, "F13");
	CU_ASSERT_TRUE(f9->cseq.num > f1->cseq.num);
	CU_ASSERT_EQUAL(f13->cseq.num, f9->cseq.num);
	CU_ASSERT_EQUAL(0, pl_strcmp(&f13->cseq.met, "ACK"));

	teardown(&p);
	free(text);
}


static void test_dut_silent_times_out(void)
{
	static const char *const roles[] = {
		"A=ua:udp:" A_ADDR, "B=ua:udp:" B_ADDR,
		"P=dut:udp:127.0.42.99:5060", NULL,
	};
	struct play p;
	char *text = read_file("scenarios/yealink/basic-call.yaml");
	const struct verdict *v;
	uint64_t t0 = tmr_jiffies();

	CU_ASSERT_EQUAL_FATAL(solo(&p, "basic.yaml", text, roles, 300), 0);
	CU_ASSERT_FALSE(run_passed(p.run));
	CU_ASSERT_EQUAL(verdict_of(&p, "F1")->status, VERDICT_PASS);
	CU_ASSERT_TRUE(verdict_of(&p, "F1")->sent);
	v = verdict_of(&p, "F2");
	CU_ASSERT_EQUAL(v->status, VERDICT_FAIL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->reason);
	/* nothing listens at P's address: the timeout names the ICMP */
	CU_ASSERT_NSTRING_EQUAL(v->reason, "no INVITE from P at B within "
				"0.3 s; P's address 127.0.42.99:5060 "
				"answered ICMP port unreachable (nothing "
				"listens there)", 118);
	CU_ASSERT_TRUE(tmr_jiffies() - t0 < 5000);

	teardown(&p);
	free(text);
}


/* a virtual clock only where every role is scripted: a device (or a
 * phone) keeps real time, which a jump would leave behind; run_alloc
 * refuses it, saying why, and takes it for a flow of scripted roles */
static void test_virtual_clock_scripted_only(void)
{
	static const char *const scripted[] = {
		"A=ua:udp:" A_ADDR, "B=ua:udp:" B_ADDR,
		"P=proxy:udp:127.0.42.13:5060", NULL,
	};
	static const char *const device[] = {
		"A=ua:udp:" A_ADDR, "B=ua:udp:" B_ADDR,
		"P=dut:udp:127.0.42.99:5060", NULL,
	};
	const char *const *roles[] = {scripted, device};
	char *text = read_file("scenarios/yealink/basic-call.yaml");
	char *phones = read_file("scenarios/yealink/basic-call-phones.yaml");
	struct clock *clk = NULL;
	struct run *run = NULL;
	struct scenario *sc = NULL;
	struct diag dg;
	char *why = NULL;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(phones);
	CU_ASSERT_EQUAL_FATAL(clock_alloc(&clk, CLOCK_VIRTUAL), 0);
	for (i = 0; i < 3; i++) {
		struct run_opts opts = {NULL, 300};
		const char *const *r = roles[i == 1];
		int err;

		opts.clock = clk;
		diag_init(&dg);
		CU_ASSERT_EQUAL_FATAL(load_bound(&sc, "v.yaml",
						 i == 2 ? phones : text, r,
						 &dg), 0);
		CU_ASSERT_EQUAL(run_virtual_ok(sc), i == 0);
		err = run_alloc(&run, sc, &opts, NULL, &dg);
		(void)re_sdprintf(&why, "%H", diag_print, &dg);
		if (i == 0) {
			CU_ASSERT_EQUAL(err, 0);
		}
		else {
			CU_ASSERT_EQUAL(err, EINVAL);
			CU_ASSERT_PTR_NOT_NULL(strstr(why, "virtual time "
						      "needs every role "
						      "scripted"));
		}
		run = mem_deref(run);
		sc = mem_deref(sc);
		why = mem_deref(why);
		diag_reset(&dg);
	}

	mem_deref(clk);
	free(phones);
	free(text);
}


/*
 * The plays table. A row names a flow and what each side plays of it (the
 * flow, the flow with one edit, or a text of its own), who plays which
 * role, and what the tester's verdicts must be. One function, play_row(),
 * plays every row: it is registered once per row, under the row's name.
 *
 * A row with a device has two runs in one process: the tester plays
 * its roles with the others as devices under test; the device run plays
 * those others, scripted, from its variant of the flow, with the tester's
 * roles bound as its devices. So a misbehaving device is a variant of the
 * flow on its side.
 */

#define BASIC "scenarios/yealink/basic-call.yaml"
#define BLIND "scenarios/yealink/blind-transfer.yaml"
#define FORWARD "scenarios/yealink/no-answer-forward.yaml"

/* who plays what: the tester's and the device run's role bindings */
enum cast {
	SOLO = 0,      /* one run, every role simulated (no device) */
	DUO_P,         /* the device is the proxy P (A, B, C the tester's) */
	DUO_P_AB,      /* the same without C */
	DUO_AB,        /* two UAs: the tester is A, the device B */
	DUO_PB,        /* the device is B; the tester plays A and P */
};

static const char *const p_tester[] = {
	"A=ua:udp:" A_ADDR, "B=ua:udp:" B_ADDR, "C=ua:udp:" C_ADDR,
	"P=dut:udp:" P_ADDR, NULL,
};
static const char *const p_device[] = {
	"A=dut:udp:" A_ADDR, "B=dut:udp:" B_ADDR, "C=dut:udp:" C_ADDR,
	"P=proxy:udp:" P_ADDR, NULL,
};
static const char *const pab_tester[] = {
	"A=ua:udp:" A_ADDR, "B=ua:udp:" B_ADDR, "P=dut:udp:" P_ADDR, NULL,
};
static const char *const pab_device[] = {
	"A=dut:udp:" A_ADDR, "B=dut:udp:" B_ADDR, "P=proxy:udp:" P_ADDR,
	NULL,
};
static const char *const ab_tester[] = {
	"A=ua:udp:" A_ADDR, "B=dut:udp:" B_ADDR, NULL,
};
static const char *const ab_device[] = {
	"A=dut:udp:" A_ADDR, "B=ua:udp:" B_ADDR, NULL,
};
static const char *const pb_tester[] = {
	"A=ua:udp:" A_ADDR, "B=dut:udp:" B_ADDR, "P=proxy:udp:" P_ADDR, NULL,
};
static const char *const pb_device[] = {
	"B=ua:udp:" B_ADDR, "P=dut:udp:" P_ADDR, NULL,
};

static const struct {
	const char *const *tester;
	const char *const *device;
} casts[] = {
	[SOLO]     = {selfplay, NULL},
	[DUO_P]    = {p_tester, p_device},
	[DUO_P_AB] = {pab_tester, pab_device},
	[DUO_AB]   = {ab_tester, ab_device},
	[DUO_PB]   = {pb_tester, pb_device},
};

/* one change to a flow's text: its first `from` becomes `to` */
struct edit {
	const char *from;
	const char *to;
};

struct play_row {
	const char *name;        /* the CUnit test's name */
	const char *file;        /* the flow, in the source tree */
	const char *tester;      /* the tester's own text, else file's */
	struct edit tedit;       /* made in the tester's text */
	const char *device;      /* the device's own text, else file's */
	struct edit dedit;       /* made in the device's text */
	enum cast cast;
	uint32_t timeout_ms;

	/* what must come of it (a field left 0 is not checked) */
	bool tester_passes;      /* every step of the tester's */
	bool device_passes;      /* every step of the device's */
	bool run_fails;          /* the tester's run */
	const char *passes;      /* a step that passes before … */
	const char *fails;       /* … the step that fails, */
	const char *reason[2];   /* its reason holding these, */
	const char *reason_is;   /* or being this, */
	bool frame;              /* naming a frame; */
	const char *notrun;      /* a later step, not run */
	const char *log;         /* in the tester's log */
	unsigned findings;       /* how many rule findings */
	void (*then)(const struct play *v);  /* more checks on the runs */
};


/* replace the first occurrence of from with to, in a copy */
static char *variant(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	out = calloc(1, strlen(text) + strlen(to) + 1);
	memcpy(out, text, (size_t)(at - text));
	strcat(out, to);
	strcat(out, at + strlen(from));
	return out;
}


/* a side's text: its own, else the flow's; with the edit made */
static char *side_text(const char *own, const char *file,
		       const struct edit *e)
{
	char *text = own ? strdup(own) : file ? read_file(file) : NULL;
	char *v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	if (!e->from)
		return text;

	v = variant(text, e->from, e->to);
	free(text);
	return v;
}


/* the two runs: the tester's (v[0]) and the device's (v[1]) */
static void duo_play(struct play *v, const char *tester, const char *device,
		     enum cast cast, uint32_t timeout_ms)
{
	static unsigned ndone;

	ndone = 0;
	/* variants of the yealink flows: their includes are found there */
	CU_ASSERT_EQUAL_FATAL(setup(&v[0], "scenarios/yealink/tester.yaml",
				    tester, casts[cast].tester, timeout_ms,
				    NULL, &ndone, 2), 0);
	CU_ASSERT_EQUAL_FATAL(setup(&v[1], "scenarios/yealink/device.yaml",
				    device, casts[cast].device, timeout_ms,
				    NULL, &ndone, 2), 0);
	play_all(v, 2);
}


static void check_failure(const struct play *p, const struct play_row *r)
{
	const struct verdict *vd = verdict_of(p, r->fails);
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(vd);
	CU_ASSERT_EQUAL(vd->status, VERDICT_FAIL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vd->reason);
	for (i = 0; i < ARRAY_SIZE(r->reason) && r->reason[i]; i++) {
		if (!strstr(vd->reason, r->reason[i]))
			re_fprintf(stderr, "  %s: reason \"%s\" lacks "
				   "\"%s\"\n", r->fails, vd->reason,
				   r->reason[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(vd->reason, r->reason[i]));
	}
	if (r->reason_is)
		CU_ASSERT_STRING_EQUAL(vd->reason, r->reason_is);
	if (r->frame)
		CU_ASSERT_TRUE(vd->frame > 0);
}


static void check_row(const struct play *v, const struct play_row *r)
{
	if (r->tester_passes)
		assert_all_pass(&v[0]);
	if (r->device_passes)
		assert_all_pass(&v[1]);
	if (r->run_fails)
		CU_ASSERT_FALSE(run_passed(v[0].run));
	if (r->passes)
		CU_ASSERT_EQUAL(verdict_of(&v[0], r->passes)->status,
				VERDICT_PASS);
	if (r->fails)
		check_failure(&v[0], r);
	if (r->notrun)
		CU_ASSERT_EQUAL(verdict_of(&v[0], r->notrun)->status,
				VERDICT_NOTRUN);
	if (r->log)
		CU_ASSERT_PTR_NOT_NULL(strstr(v[0].log, r->log));
	if (r->findings)
		CU_ASSERT_EQUAL(list_count(run_findings(v[0].run)),
				r->findings);
	if (r->then)
		r->then(v);
}


/* the 202 B got is A's, relayed: its To tag is A's */
static void relayed_202_is_as(const struct play *v)
{
	CU_ASSERT_EQUAL(0, pl_cmp(&msg_of(&v[0], "F10")->to.tag,
				  &msg_of(&v[0], "F12")->to.tag));
}


static void f3_answers_options(const struct play *v)
{
	CU_ASSERT_EQUAL(0, pl_strcmp(&msg_of(&v[0], "F3")->cseq.met,
				     "OPTIONS"));
}


static void f3_f4_answer_their_requests(const struct play *v)
{
	f3_answers_options(v);
	CU_ASSERT_EQUAL(0, pl_strcmp(&msg_of(&v[0], "F4")->cseq.met,
				     "MESSAGE"));
}


/* two scripted UAs, A (alice) and B (bob): the tester plays A with B a
 * device, the device run plays B with A a device */
#define AB_FLOW \
	"roles:\n" \
	"  A: {kind: ua, user: alice}\n" \
	"  B: {kind: ua, user: bob}\n" \
	"steps:\n"

/* a device answering A's two requests the other way round */
static const char crossing[] =
	AB_FLOW
	"  - F1: OPTIONS A -> B\n"
	"  - F2: MESSAGE A -> B\n"
	"  - F4: 200 OK B -> A\n"
	"    answers: F2\n"
	"  - F3: 200 OK B -> A\n"
	"    answers: F1\n";

/* A's two requests, each 200 taken as the answer to its own */
static const char two_answers[] =
	AB_FLOW
	"  - F1: OPTIONS A -> B\n"
	"  - F2: MESSAGE A -> B\n"
	"  - F3: 200 OK B -> A\n"
	"    answers: F1\n"
	"  - F4: 200 OK B -> A\n"
	"    answers: F2\n";

/* no-response.yaml's F3: a proxy that gives up, saying so */
#define GIVES_UP "  - F3: 408 Request Timeout P -> A\n" \
		 "    status: [408, 480]\n"

static const struct play_row plays[] = {
	{
		.name = "expect_mismatch_fails_at_step",
		.file = BASIC, .cast = SOLO, .timeout_ms = 2000,
		.tedit = {"header: {Record-Route: present,",
			  "header: {Record-Route: absent,"},
		.run_fails = true, .passes = "F1", .fails = "F2",
		.reason = {"Record-Route", "expected absent"},
		.frame = true, .notrun = "F3",
	},
	{
		/* the proxy's own 500 in a group without answers (nor the
		 * 503 as an alternative, which it would relay): waits for
		 * a 500 to relay that never comes; the timeout says so */
		.name = "group_proxy_answer_names_why",
		.file = "scenarios/rfc3665/unsuccessful-503-to-500.yaml",
		.cast = SOLO, .timeout_ms = 500,
		.tedit = {"        status: [500, 503]\n"
			  "        answers: F1\n", ""},
		.fails = "F5",
		.reason = {"P waits for a 500 to relay for the INVITE it "
			   "forwarded"},
	},
	{
		/* expect: values naming an earlier step's and a role's
		 * values, resolved when the message is checked */
		.name = "expect_refs_resolved",
		.file = BASIC, .cast = SOLO, .timeout_ms = 2000,
		.tedit = {"  - F4: 180 Ringing P -> A\n",
			  "  - F4: 180 Ringing P -> A\n"
			  "    expect: {header: {Call-ID: \"{F1.call-id}\", "
			  "To: \"~tag={F3.to-tag}$\", Via: \"~{A.host}\"}}\n"},
		.tester_passes = true,
	},
	{
		.name = "expect_refs_other_value",
		.file = BASIC, .cast = SOLO, .timeout_ms = 1000,
		.tedit = {"  - F4: 180 Ringing P -> A\n",
			  "  - F4: 180 Ringing P -> A\n"
			  "    expect: {header: {Call-ID: "
			  "\"{F1.from-tag}\"}}\n"},
		.fails = "F4",
		.reason = {"header Call-ID: expected \"", "got \""},
	},
	{
		/* the device is B, and it sends its 180 twice */
		.name = "duo_retransmission_absorbed",
		.file = BASIC, .cast = DUO_PB, .timeout_ms = 2000,
		.device = "roles:\n"
			  "  B: {kind: ua, user: bob}\n"
			  "  P: {kind: proxy}\n"
			  "steps:\n"
			  "  - F2: INVITE P -> B\n"
			  "  - F3: 180 Ringing B -> P\n"
			  "  - F3r: 180 Ringing B -> P\n"
			  "  - F5: 200 OK B -> P\n"
			  "  - F8: ACK P -> B\n"
			  "  - F10: BYE P -> B\n"
			  "  - F11: 200 OK B -> P\n",
		.tester_passes = true, .device_passes = true,
		.log = "absorbed a retransmission of 180 Ringing from B at P",
	},
	{
		/* the device forwards the REFER first and relays A's 202
		 * after, as Kamailio does; the manual's order must pass */
		.name = "duo_stateful_proxy_order",
		.file = BLIND, .cast = DUO_P, .timeout_ms = 2000,
		.dedit = {"      - F10: 202 Accepted P -> B\n"
			  "      - F11: REFER P -> A\n"
			  "        expect: {header: {Refer-To: \"~carol@\"}}\n"
			  "      - F12: 202 Accepted A -> P\n",
			  "      - F11: REFER P -> A\n"
			  "      - F12: 202 Accepted A -> P\n"
			  "      - F10: 202 Accepted P -> B\n"},
		.tester_passes = true, .device_passes = true,
		.then = relayed_202_is_as,
	},
	{
		/* the device answers A's second request first; in an
		 * any-order group each 200 goes to the member whose
		 * answers: it fits */
		.name = "duo_group_answers_order",
		.cast = DUO_AB, .timeout_ms = 2000,
		.tester = AB_FLOW
			  "  - F1: OPTIONS A -> B\n"
			  "  - F2: MESSAGE A -> B\n"
			  "  - any-order:\n"
			  "      - F3: 200 OK B -> A\n"
			  "        answers: F1\n"
			  "      - F4: 200 OK B -> A\n"
			  "        answers: F2\n",
		.device = crossing,
		.tester_passes = true, .device_passes = true,
		.then = f3_f4_answer_their_requests,
	},
	{
		/* the same crossing without a group: the 200 to F2 arrives
		 * while F3 waits for the 200 to F1; it waits for F4 */
		.name = "duo_answers_out_of_order",
		.cast = DUO_AB, .timeout_ms = 2000,
		.tester = two_answers, .device = crossing,
		.tester_passes = true,
		.then = f3_answers_options,
	},
	{
		/* a device that does not answer F1 in time still fails F3,
		 * naming what it sent instead (it stays silent past the
		 * tester's timeout: at its own flow's end its teardown
		 * would answer F1) */
		.name = "duo_answers_out_of_order_silent",
		.cast = DUO_AB, .timeout_ms = 1000,
		.tester = two_answers, .device = crossing,
		.dedit = {"  - F3: 200 OK B -> A\n"
			  "    answers: F1\n", "  - wait: 1500ms\n"},
		.fails = "F3",
		.reason = {"no 200 OK from B at A within",
			   "B sent 200 OK to MESSAGE instead"},
	},
	{
		/* the flow ends with a wait; the device sends a request
		 * nobody listed during it: the wait fails and so does the
		 * run */
		.name = "duo_unexpected_in_last_wait",
		.cast = DUO_AB, .timeout_ms = 1000,
		.tester = AB_FLOW
			  "  - F1: OPTIONS A -> B\n"
			  "  - F2: 200 OK B -> A\n"
			  "  - wait: 600ms\n",
		.device = AB_FLOW
			  "  - F1: OPTIONS A -> B\n"
			  "  - F2: 200 OK B -> A\n"
			  "  - F3: MESSAGE B -> A\n"
			  "    optional: true\n",
		.passes = "F2", .fails = "wait@L7",
		.reason = {"unexpected MESSAGE"},
		.run_fails = true,
	},
	{
		.name = "duo_wrong_status",
		.file = BLIND, .cast = DUO_P, .timeout_ms = 1000,
		.dedit = {"      - F10: 202 Accepted P -> B\n",
			  "      - F10: 403 Forbidden P -> B\n"},
		.run_fails = true, .fails = "F10",
		.reason = {"expected 202 Accepted from P, got 403 Forbidden "
			   "(frame"},
		.notrun = "F13",
	},
	/* status: [408, 480]: either code passes the step (RFC 3261 §16.7
	 * step 6 and RFC 3665 §3.10), any other fails it naming both */
	{
		.name = "duo_status_alternative_408",
		.file = "scenarios/rfc3665/no-response.yaml",
		.cast = DUO_P_AB, .timeout_ms = 1000,
		.dedit = {GIVES_UP, "  - F3: 408 Request Timeout P -> A\n"},
		.tester_passes = true,
	},
	{
		.name = "duo_status_alternative_480",
		.file = "scenarios/rfc3665/no-response.yaml",
		.cast = DUO_P_AB, .timeout_ms = 1000,
		.dedit = {GIVES_UP, "  - F3: 480 No Response P -> A\n"},
		.tester_passes = true,
	},
	{
		.name = "duo_status_alternative_other",
		.file = "scenarios/rfc3665/no-response.yaml",
		.cast = DUO_P_AB, .timeout_ms = 1000,
		.dedit = {GIVES_UP,
			  "  - F3: 500 Server Internal Error P -> A\n"},
		.run_fails = true, .fails = "F3",
		.reason = {"expected 408 or 480 from P, got 500 Server "
			   "Internal Error (frame"},
		.notrun = "F4",
	},
	{
		/* a proxy that drops Record-Route: the tester's F2
		 * expects it */
		.name = "duo_stripped_header",
		.file = BASIC, .cast = DUO_P, .timeout_ms = 1000,
		.dedit = {"  - F2: INVITE P -> B\n",
			  "  - F2: INVITE P -> B\n"
			  "    headers: {Record-Route: null}\n"},
		.fails = "F2",
		.reason_is = "header Record-Route: expected present, but the "
			     "message has none",
	},
	{
		.name = "duo_late_answer",
		.file = BASIC, .cast = DUO_P, .timeout_ms = 2000,
		.tedit = {"  - F4: 180 Ringing P -> A\n",
			  "  - F4: 180 Ringing P -> A\n"
			  "    within: 100ms\n"},
		.dedit = {"  - F4: 180 Ringing P -> A\n",
			  "  - wait: 400ms\n"
			  "  - F4: 180 Ringing P -> A\n"},
		.fails = "F4",
		.reason = {"180 Ringing arrived after",
			   "within: allows 100 ms"},
	},
	{
		.name = "duo_malformed",
		.file = BASIC, .cast = DUO_P, .timeout_ms = 1000,
		.dedit = {"  - F4: 180 Ringing P -> A\n",
			  "  - F4: 180 Ringing P -> A\n"
			  "    raw: \"this is not SIP\\r\\n\\r\\n\"\n"},
		.fails = "F4",
		.reason = {"malformed message from P at A (frame"},
		.frame = true,
	},
	{
		/* before forwarding the BYE, the device sends B a BYE of a
		 * call from an earlier run: the tester must not take it
		 * for F10 */
		.name = "duo_stray_absorbed",
		.file = BASIC, .cast = DUO_P, .timeout_ms = 1000,
		.dedit = {"  - F10: BYE P -> B\n",
			  "  - F10s: BYE P -> B\n"
			  "    raw: \"BYE sip:bob@{B.host}:{B.port} "
			  "SIP/2.0\\n"
			  "Via: SIP/2.0/UDP {P.host}:{P.port};branch="
			  "z9hG4bKstray1\\nMax-Forwards: 70\\n"
			  "From: <sip:alice@old.test>;tag=old1\\n"
			  "To: <sip:bob@old.test>;tag=old2\\n"
			  "Call-ID: stray-from-an-earlier-run\\n"
			  "CSeq: 2 BYE\\nContent-Length: 0\\n\\n\"\n"
			  "  - F10: BYE P -> B\n"},
		.tester_passes = true, .device_passes = true,
		.log = "its Call-ID stray-from-an-earlier-run belongs to no "
		       "call of this run",
	},
	{
		/* a proxy that does not decrement Max-Forwards (RFC 3261
		 * §16.6) */
		.name = "duo_rule_broken",
		.file = FORWARD, .cast = DUO_P, .timeout_ms = 1000,
		.dedit = {"  - F2: INVITE P -> B\n",
			  "  - F2: INVITE P -> B\n"
			  "    headers: {Max-Forwards: \"70\"}\n"},
		.fails = "F2",
		.reason = {"rule PROXY-MAXFWD (RFC 3261 §16.6 step 3)",
			   "got Max-Forwards: 70 (received 70)"},
		.frame = true, .findings = 1,
	},
};


/* the row this test plays: the one its name is */
static void play_row(void)
{
	const char *name = CU_get_current_test()->pName;
	const struct play_row *r = NULL;
	char *tester, *device = NULL;
	struct play v[2];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plays) && !r; i++) {
		if (!strcmp(plays[i].name, name))
			r = &plays[i];
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);

	tester = side_text(r->tester, r->file, &r->tedit);
	if (r->cast == SOLO) {
		CU_ASSERT_EQUAL_FATAL(solo(&v[0], r->file ? r->file :
					   "scenarios/yealink/tester.yaml",
					   tester, NULL, r->timeout_ms), 0);
	}
	else {
		device = side_text(r->device, r->file, &r->dedit);
		duo_play(v, tester, device, r->cast, r->timeout_ms);
	}

	check_row(v, r);

	teardown(&v[0]);
	if (device)
		teardown(&v[1]);
	free(tester);
	free(device);
}


static void interrupt_h(void *arg)
{
	run_interrupt(arg, "interrupted (SIGINT)");
}


static void test_interrupt_leaves_pcap(void)
{
	static const char *const roles[] = {
		"A=ua:udp:" A_ADDR, "B=ua:udp:" B_ADDR,
		"P=dut:udp:127.0.42.99:5060", NULL,
	};
	char *text = read_file("scenarios/yealink/basic-call.yaml");
	char path[] = "/tmp/sipflow-test-XXXXXX.pcap";
	char errbuf[PCAP_ERRBUF_SIZE];
	static unsigned ndone;
	const struct verdict *vd;
	struct pcap_pkthdr *ph;
	const u_char *data;
	struct tmr t;
	struct play p;
	pcap_t *pc;
	int fd, n = 0;

	fd = mkstemps(path, 5);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);

	ndone = 0;
	CU_ASSERT_EQUAL_FATAL(setup(&p, "basic.yaml", text, roles, 10000,
				    path, &ndone, 1), 0);
	tmr_init(&t);
	tmr_start(&t, 200, interrupt_h, p.run);
	play_all(&p, 1);
	tmr_cancel(&t);

	vd = verdict_of(&p, "F2");
	CU_ASSERT_EQUAL(vd->status, VERDICT_FAIL);
	CU_ASSERT_STRING_EQUAL(vd->reason, "interrupted (SIGINT)");

	/* the file is whole while the run still exists */
	pc = pcap_open_offline(path, errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
	while (pcap_next_ex(pc, &ph, &data) == 1)
		++n;
	pcap_close(pc);
	CU_ASSERT_EQUAL(n, 1); /* F1, sent to the silent device */

	teardown(&p);
	unlink(path);
	free(text);
}


/* a stop that comes between two steps (the one at the cursor has passed,
 * the next is not armed yet) is told on the next step, not lost: the run
 * failed, so some step says why */
static void test_interrupt_between_steps(void)
{
	static const char *const roles[] = {
		"A=ua:udp:" A_ADDR, "B=ua:udp:" B_ADDR,
		"P=dut:udp:127.0.42.99:5060", NULL,
	};
	char *text = read_file("scenarios/yealink/basic-call.yaml");
	static unsigned ndone;
	const struct verdict *vd;
	struct play p;

	ndone = 0;
	CU_ASSERT_EQUAL_FATAL(setup(&p, "basic.yaml", text, roles, 10000,
				    NULL, &ndone, 1), 0);
	p.stop_after = "F1";
	play_all(&p, 1);

	CU_ASSERT_EQUAL(verdict_of(&p, "F1")->status, VERDICT_PASS);
	vd = verdict_of(&p, "F2");
	CU_ASSERT_EQUAL(vd->status, VERDICT_FAIL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vd->reason);
	CU_ASSERT_STRING_EQUAL(vd->reason, "interrupted (SIGINT)");
	CU_ASSERT_EQUAL(run_count(p.run, VERDICT_FAIL), 1);

	teardown(&p);
	free(text);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"selfplay_basic_call", test_selfplay_basic_call},
		{"selfplay_no_answer_forward",
		 test_selfplay_no_answer_forward},
		{"selfplay_blind_transfer", test_selfplay_blind_transfer},
		{"cancel_200_keeps_invite_to_tag",
		 test_cancel_200_keeps_invite_to_tag},
		{"proxy_forwarding_rules", test_proxy_forwarding_rules},
		{"uas_response_fields", test_uas_response_fields},
		{"sdp_and_content_length", test_sdp_and_content_length},
		{"ack_non2xx_reuses_branch", test_ack_non2xx_reuses_branch},
		{"ack_2xx_and_bye_in_dialog", test_ack_2xx_and_bye_in_dialog},
		{"ack_reinvite_2xx_takes_its_cseq",
		 test_ack_reinvite_2xx_takes_its_cseq},
		{"dut_silent_times_out", test_dut_silent_times_out},
		{"virtual_clock_scripted_only",
		 test_virtual_clock_scripted_only},
		{"interrupt_leaves_pcap", test_interrupt_leaves_pcap},
		{"interrupt_between_steps", test_interrupt_between_steps},
		CU_TEST_INFO_NULL,
	};
	CU_pSuite s;
	size_t i;

	if (SUITE_ADD("run", tests))
		return CU_get_error();

	/* the plays table: one test per row, by its name */
	s = CU_add_suite("plays", NULL, NULL);
	for (i = 0; s && i < ARRAY_SIZE(plays); i++) {
		if (!CU_add_test(s, plays[i].name, play_row))
			return CU_get_error();
	}

	return s ? 0 : CU_get_error();
}
