/* engine/cli/torture.c — the play of sipflow torture on libre's loop:
 * mutation after mutation sent to the device from the simulated role
 * that sent the original (its agent: agents/agent.h), an OPTIONS after
 * every K that proves the device still answers, and when it does not:
 * wait for it to come back (restarted by --restart, or by itself),
 * replay the last K one by one with a check after each to find the one
 * that kills it. Everything sent and received goes into the pcap, each
 * mutation's frame commented with what was done to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/wait.h>
#include <re.h>
#include "scenario.h"
#include "agent.h"
#include "pcapw.h"
#include "report.h"
#include "torture.h"


enum phase {
	PH_PROBE = 0,   /* the first check, before any mutation */
	PH_MUTATE,      /* sending mutations, checking every K */
	PH_REVIVE,      /* it died: waiting for it to answer again */
	PH_NARROW,      /* replaying the last K one by one */
	PH_DONE,
};

enum { UDP_MAX = 65507, STREAM_MAX = 262144, T1 = 500 };

struct torture;
typedef void (live_h)(struct torture *t, bool alive);

struct sender {
	struct le le;
	struct role *role;
	struct agent *ag;           /* NULL: it could not listen again */
	struct torture *t;
};

struct torture {
	const struct tort_opts *o;
	struct tort_result *res;
	const struct scenario *sc;
	struct role *dut;
	struct list *tmpls;
	struct list senders;        /* struct sender */
	struct pcapw *pw;
	struct report_scn *rs;
	enum phase phase;
	struct tmr tmr;             /* gap, segments, revival */
	struct tmr ltmr;            /* the check's retransmission */
	uint64_t t0;

	/* the liveness check under way */
	char lcid[80];
	unsigned lnum;
	uint64_t lstart;
	uint32_t lwait;
	uint32_t lframe;            /* its first frame */
	live_h *lnext;
	bool lwaiting;

	/* the mutation under way: its segment */
	struct tort_sent *cur;
	unsigned part;
	tmr_h *after;               /* when its last segment left */
	struct le *replay;          /* narrowing: next of res->last */
	uint64_t revive_end;
	pid_t restart_pid;          /* --restart's shell, or 0 */
	struct le *keep;            /* the report's last message to keep */
	struct le *lmsg;            /* … and the check's first message */
	struct report_step *ok;     /* the report's step of passed checks */
};


static void next_mutation(struct torture *t);
static void check(struct torture *t, live_h *next);


static void sent_destructor(void *data)
{
	struct tort_sent *s = data;

	list_unlink(&s->le);
	mutation_reset(&s->m);
}


static void sender_destructor(void *data)
{
	struct sender *sd = data;

	list_unlink(&sd->le);
	mem_deref(sd->ag);
}


static struct sender *sender_of(struct torture *t, const struct role *r)
{
	struct le *le;

	for (le = t->senders.head; le; le = le->next) {
		struct sender *sd = le->data;

		if (sd->role == r)
			return sd;
	}

	return NULL;
}


static void recv_h(struct agent *ag, const struct sa *src,
		   const struct sa *dst, struct mbuf *mb, const char *bad,
		   void *arg);
static bool stream(const struct role *r);


/*
 * A stream's framing would carry one message's lie (a truncation, a
 * Content-Length too large) into the next one on the same connection: on
 * TCP and TLS each mutation and each check goes on a connection of its
 * own, the sender's agent made anew (its connections closed)
 */
static int fresh(struct torture *t, struct sender *sd)
{
	struct agent_handlers h = {.recvh = recv_h};
	struct role *r = sd->role;
	int err;

	if (!stream(r))
		return 0;

	sd->ag = mem_deref(sd->ag);
	err = agent_alloc(&sd->ag, r, t->sc, &h, sd);
	if (err)
		re_fprintf(stderr, "sipflow torture: role %s cannot listen "
			   "on %J again: %m\n", r->name, &r->addr, err);
	return err;
}


/* the role the checks are sent from: the first template's */
static const char *live_from(const struct torture *t)
{
	const struct sender *sd = list_ledata(t->senders.head);

	return sd ? sd->role->name : "";
}


static bool stream(const struct role *r)
{
	return r->tp == SIP_TRANSP_TCP || r->tp == SIP_TRANSP_TLS;
}


static uint64_t now(const struct torture *t)
{
	return tmr_jiffies() - t->t0;
}


/* one more message in the report's ladder */
static void report_msg(struct torture *t, uint32_t frame, const char *from,
		       const char *to, const uint8_t *p, size_t len,
		       const char *step)
{
	struct report_msg *m;

	if (report_msg_alloc(&m, t->rs))
		return;

	m->frame = frame;
	m->t_ms = now(t);
	(void)str_dup(&m->from, from);
	(void)str_dup(&m->to, to);
	(void)report_msg_bytes(m, p, len);
	if (step)
		(void)str_dup(&m->step, step);
}


/* one step of the report: a check, or the mutation that killed it */
static struct report_step *report_step(struct torture *t, const char *id,
				       const char *what, const char *from,
				       bool pass, uint32_t frame,
				       const char *reason)
{
	struct report_step *st;

	if (report_step_alloc(&st, t->rs))
		return NULL;

	(void)str_dup(&st->id, id);
	(void)str_dup(&st->type, "message");
	(void)str_dup(&st->what, what);
	(void)str_dup(&st->from, from);
	(void)str_dup(&st->to, t->dut->name);
	(void)str_dup(&st->status, pass ? "pass" : "fail");
	st->frame = frame;
	st->t_ms = now(t);
	st->sent = true;
	if (reason)
		(void)str_dup(&st->reason, reason);
	if (pass)
		++t->rs->npass;
	else
		++t->rs->nfail;
	return st;
}


static void record(struct torture *t, const struct role *from,
		   const struct sa *src, const struct sa *dst,
		   const uint8_t *p, size_t len, uint32_t *framep)
{
	uint32_t frame = 0;

	if (stream(from) ? pcapw_write_tcp(t->pw, src, dst, p, len, &frame)
			 : pcapw_write(t->pw, src, dst, p, len, &frame))
		frame = 0;
	if (framep)
		*framep = frame;
}


static void live_ok(void *arg)
{
	struct torture *t = arg;

	t->lnext(t, true);
}


static void recv_h(struct agent *ag, const struct sa *src,
		   const struct sa *dst, struct mbuf *mb, const char *bad,
		   void *arg)
{
	struct sender *sd = arg;
	struct torture *t = sd->t;
	struct sip_msg *msg = NULL;
	size_t pos = mb->pos;
	uint32_t frame;
	(void)bad;

	record(t, ag->role, src, dst, mbuf_buf(mb), mbuf_get_left(mb),
	       &frame);
	report_msg(t, frame, t->dut->name, ag->role->name, mbuf_buf(mb),
		   mbuf_get_left(mb), NULL);

	if (sip_msg_decode(&msg, mb) || msg->req) {
		mb->pos = pos;
		mem_deref(msg);
		return;
	}
	mb->pos = pos;

	if (t->lwaiting && !pl_strcmp(&msg->callid, t->lcid)) {
		if (!t->res->live_status)
			t->res->live_status = msg->scode;
		t->lwaiting = false;
		mem_deref(msg);
		/* out of the transport's handler first: what comes next may
		 * close this very connection (fresh) */
		tmr_start(&t->ltmr, 0, live_ok, t);
		return;
	}

	++t->res->answers;
	mem_deref(msg);
}


/* send bytes [a, b) of mb from the sender to the device */
static int send_bytes(struct torture *t, struct sender *sd,
		      const struct mbuf *mb, size_t a, size_t b,
		      uint32_t *framep)
{
	struct mbuf *part = mbuf_alloc(b - a + 1);
	struct sa src;
	int err;

	if (!part)
		return ENOMEM;
	if (!sd->ag) {
		mem_deref(part);
		return ENOTCONN;
	}

	(void)mbuf_write_mem(part, mb->buf + a, b - a);
	part->pos = 0;
	sa_init(&src, AF_UNSPEC);
	err = agent_send(sd->ag, &t->dut->addr, part, &src);
	if (!sa_isset(&src, SA_ALL))
		sa_cpy(&src, &sd->role->addr);
	record(t, sd->role, &src, &t->dut->addr, mb->buf + a, b - a,
	       framep);
	mem_deref(part);
	return err;
}


static void live_timeout(void *arg)
{
	struct torture *t = arg;
	uint64_t waited = tmr_jiffies() - t->lstart;
	struct sender *sd = list_ledata(t->senders.head);
	char buf[512];
	struct mbuf mb;
	int n;

	if (waited >= t->o->live_ms) {
		t->lwaiting = false;
		t->lnext(t, false);
		return;
	}

	/* RFC 3261 17.1.2.2: over UDP, resent at T1, 2*T1 … */
	n = re_snprintf(buf, sizeof(buf),
			"OPTIONS sip:%J SIP/2.0\r\n"
			"Via: SIP/2.0/%s %J;branch=z9hG4bK-%s\r\n"
			"Max-Forwards: 70\r\n"
			"From: <sip:torture@%J>;tag=%s\r\n"
			"To: <sip:%J>\r\n"
			"Call-ID: %s\r\n"
			"CSeq: 1 OPTIONS\r\n"
			"Content-Length: 0\r\n\r\n",
			&t->dut->addr, sip_transp_name(sd->role->tp),
			&sd->role->addr, t->lcid, &sd->role->addr,
			t->lcid, &t->dut->addr, t->lcid);
	if (!t->lwait && fresh(t, sd)) {
		t->lwaiting = false;
		t->lnext(t, false);
		return;
	}
	if (n > 0 && (t->lwait == 0 || !stream(sd->role))) {
		uint32_t frame;

		mbuf_init(&mb);
		mb.buf = (uint8_t *)buf;
		mb.size = mb.end = (size_t)n;
		(void)send_bytes(t, sd, &mb, 0, mb.end, &frame);
		report_msg(t, frame, sd->role->name, t->dut->name,
			   mb.buf, mb.end, NULL);
		if (!t->lwait) {
			t->lframe = frame;
			t->lmsg = t->rs->msgs.tail;
		}
	}

	t->lwait = t->lwait ? t->lwait * 2 : T1;
	tmr_start(&t->ltmr, min(t->lwait, t->o->live_ms - waited),
		  live_timeout, t);
}


/* an OPTIONS to the device; next hears whether any answer came */
static void check(struct torture *t, live_h *next)
{
	re_snprintf(t->lcid, sizeof(t->lcid), "torture-live-%llu-%u",
		    t->o->seed, ++t->lnum);
	t->lnext = next;
	t->lwaiting = true;
	t->lstart = tmr_jiffies();
	t->lwait = 0;
	live_timeout(t);
}


static void done(struct torture *t)
{
	t->phase = PH_DONE;
	tmr_cancel(&t->tmr);
	tmr_cancel(&t->ltmr);
	re_cancel();
}


static void part_h(void *arg);


/* the next segment of the mutation under way; after the last, the gap,
 * then t->after */
static void send_part(struct torture *t)
{
	struct tort_sent *s = t->cur;
	struct sender *sd = sender_of(t, s->t->from);
	size_t a = t->part ? s->m.split[t->part - 1] : 0;
	size_t b = t->part < MUT_MAXSPLIT && s->m.split[t->part]
		? s->m.split[t->part] : s->m.mb->end;
	uint32_t frame = 0;

	if (!t->part)
		(void)fresh(t, sd);
	(void)send_bytes(t, sd, s->m.mb, a, b, &frame);
	if (!t->part) {
		char c[200];

		if (t->phase == PH_NARROW)
			s->rframe = frame;
		else
			s->frame = frame;
		re_snprintf(c, sizeof(c), "sipflow torture: mutation %llu "
			    "(%s)%s: %s", s->n, mut_kind_name(s->m.kind),
			    t->phase == PH_NARROW ? " replayed alone" : "",
			    s->m.what);
		if (frame)
			(void)pcapw_comment(t->pw, frame, c);
	}

	if (b < s->m.mb->end) {
		/* the next segment after a moment: a write of its own */
		++t->part;
		tmr_start(&t->tmr, 5, part_h, t);
		return;
	}

	report_msg(t, t->phase == PH_NARROW ? s->rframe : s->frame,
		   s->t->from->name, t->dut->name, s->m.mb->buf, s->m.mb->end,
		   NULL);
	tmr_start(&t->tmr, t->o->gap_ms, t->after, t);
}


static void part_h(void *arg)
{
	send_part(arg);
}


static void send_cur(struct torture *t, tmr_h *after)
{
	t->part = 0;
	t->after = after;
	send_part(t);
}


static void after_gap(void *arg);
static void after_check(struct torture *t, bool alive);
static void revive_check(struct torture *t, bool alive);
static void narrow_next(struct torture *t);


static void reason_dead(char *buf, size_t sz, const struct torture *t,
			const struct tort_sent *s)
{
	re_snprintf(buf, sz, "%s stopped answering after mutation %llu "
		    "(%s): %s", t->dut->name, s->n, mut_kind_name(s->m.kind),
		    s->m.what);
}


/*
 * --restart: the command started in a shell of its own and not waited
 * for (the loop never blocks): it may return at once (a service
 * restart) or be the device itself, in the foreground. Reaped at the end
 */
static void restart(struct torture *t)
{
	pid_t pid = fork();

	if (pid == 0) {
		(void)setsid();
		execl("/bin/sh", "sh", "-c", t->o->restart, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		re_fprintf(stderr, "sipflow torture: --restart: cannot start "
			   "'%s': %m\n", t->o->restart, errno);
	else
		t->restart_pid = pid;
}


/* the restart command's end, if it ended: said when it failed */
static void restart_reap(struct torture *t)
{
	int st = 0;

	if (t->restart_pid <= 0 ||
	    waitpid(t->restart_pid, &st, WNOHANG) != t->restart_pid)
		return;

	if (!WIFEXITED(st) || WEXITSTATUS(st))
		re_fprintf(stderr, "sipflow torture: --restart '%s' failed "
			   "(status %d)\n", t->o->restart,
			   WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}


/* the report keeps the first check's messages and those since the last
 * check passed, that check's own included (the pcap keeps every one) */
static void report_trim(struct torture *t)
{
	struct le *le = t->keep ? t->keep->next : t->rs->msgs.head;

	while (le && le != t->lmsg) {
		struct le *nx = le->next;

		mem_deref(le->data);
		le = nx;
	}
}


static void after_check(struct torture *t, bool alive)
{
	struct tort_result *res = t->res;
	char id[32], what[96], why[256], *id_what = NULL;

	re_snprintf(id, sizeof(id), "check-M%u", res->sent - 1);
	re_snprintf(what, sizeof(what), "OPTIONS (alive after %u "
		    "mutations)", res->sent);
	if (alive) {
		++res->checks;
		report_trim(t);
		if (t->o->progress && res->sent / t->o->progress >
		    (res->sent - min(res->sent, t->o->every)) /
		    t->o->progress && res->sent < t->o->count)
			re_printf("  %u mutations sent, %u liveness checks "
				  "passed (%llu s)\n", res->sent,
				  res->checks, now(t) / 1000);
		/* one step for all the checks it passed: the report stays
		 * as long whatever the count */
		re_snprintf(what, sizeof(what), "OPTIONS after every %u "
			    "mutations (%u passed, the last after %u)",
			    t->o->every, res->checks, res->sent);
		if (!t->ok)
			t->ok = report_step(t, "checks", what, live_from(t),
					    true, t->lframe, NULL);
		else if (!str_dup(&id_what, what)) {
			mem_deref(t->ok->what);
			t->ok->what = id_what;
			t->ok->frame = t->lframe;
			t->ok->t_ms = now(t);
		}
		list_flush(&res->last);
		next_mutation(t);
		return;
	}

	res->died = true;
	re_snprintf(why, sizeof(why), "no answer from %s within %u ms after "
		    "mutation %u", t->dut->name, t->o->live_ms,
		    res->sent - 1);
	report_step(t, id, what, live_from(t), false, t->lframe, why);

	/* it comes back by itself, or restarted */
	t->phase = PH_REVIVE;
	t->revive_end = tmr_jiffies() + t->o->revive_ms;
	if (t->o->restart)
		restart(t);
	check(t, revive_check);
}


static void revive_check(struct torture *t, bool alive)
{
	if (alive) {
		t->res->revived = true;
		t->phase = PH_NARROW;
		t->replay = t->res->last.head;
		narrow_next(t);
		return;
	}

	if (tmr_jiffies() < t->revive_end) {
		check(t, revive_check);
		return;
	}

	done(t);
}


static void narrow_after_check(struct torture *t, bool alive)
{
	struct tort_sent *s = t->cur;
	char id[32], what[96], why[256];

	re_snprintf(id, sizeof(id), "replay-M%llu", s->n);
	re_snprintf(what, sizeof(what), "mutation %llu (%s) alone, then "
		    "OPTIONS", s->n, mut_kind_name(s->m.kind));
	if (!alive) {
		t->res->killer = s;
		reason_dead(why, sizeof(why), t, s);
		report_step(t, id, what, s->t->from->name, false,
			    s->rframe, why);
		done(t);
		return;
	}

	report_step(t, id, what, s->t->from->name, true, s->rframe, NULL);
	t->replay = t->replay->next;
	narrow_next(t);
}


static void narrow_gap(void *arg)
{
	struct torture *t = arg;

	check(t, narrow_after_check);
}


/* replay the next of the last mutations alone (a new frame of its own),
 * then check */
static void narrow_next(struct torture *t)
{
	if (!t->replay) {
		done(t);
		return;
	}

	t->cur = t->replay->data;
	send_cur(t, narrow_gap);
}


static void after_gap(void *arg)
{
	struct torture *t = arg;
	unsigned k = t->res->sent;

	if (k % t->o->every == 0 || k >= t->o->count) {
		check(t, after_check);
		return;
	}

	next_mutation(t);
}


static void next_mutation(struct torture *t)
{
	struct tort_result *res = t->res;
	struct tort_sent *s;
	const struct tort_tmpl *tp;
	struct mbuf *mb = NULL;
	uint64_t n = res->sent;
	struct le *le;
	uint32_t i;
	int err;

	if (n >= t->o->count) {
		done(t);
		return;
	}

	/* the templates in turn */
	t->phase = PH_MUTATE;
	le = list_head(t->tmpls);
	for (i = (uint32_t)(n % list_count(t->tmpls)); i; i--)
		le = le->next;
	tp = le->data;

	s = mem_zalloc(sizeof(*s), sent_destructor);
	if (!s) {
		done(t);
		return;
	}
	s->n = n;
	s->t = tp;
	err = tort_renew(&mb, tp, t->o->seed, n);
	if (!err)
		err = mutate(&s->m, mb->buf, mb->end, t->o->seed, n,
			     stream(tp->from),
			     stream(tp->from) ? STREAM_MAX : UDP_MAX);
	mem_deref(mb);
	if (err) {
		mem_deref(s);
		done(t);
		return;
	}

	list_append(&res->last, &s->le, s);
	++res->sent;
	++res->bykind[s->m.kind];
	t->cur = s;
	send_cur(t, after_gap);
}


static void probe_done(struct torture *t, bool alive)
{
	t->res->judged = alive;
	t->keep = t->rs->msgs.tail;
	report_step(t, "probe", "OPTIONS (alive before any mutation)",
		    live_from(t), alive, t->lframe, alive ? NULL :
		    "no answer before any mutation: the device cannot be "
		    "judged");
	if (!alive) {
		done(t);
		return;
	}

	next_mutation(t);
}


static void signal_h(int sig)
{
	(void)sig;
	re_cancel();
}


/**
 * Send the mutations o asks for to dut from the roles that sent the
 * templates tmpls (struct tort_tmpl), checking every o->every that it
 * answers; what happened into res, the report scenario rs and the pcap
 * o->pcap. Returns an errno when it could not start (a role could not
 * listen, the pcap could not be opened).
 */
int torture_play(struct tort_result *res, struct scenario *sc,
		 struct role *dut, struct list *tmpls,
		 const struct tort_opts *o, struct report_scn *rs)
{
	struct agent_handlers h = {.recvh = recv_h};
	struct torture t;
	struct le *le;
	int err;

	memset(&t, 0, sizeof(t));
	t.o = o;
	t.res = res;
	t.sc = sc;
	t.dut = dut;
	t.tmpls = tmpls;
	t.rs = rs;
	tmr_init(&t.tmr);
	tmr_init(&t.ltmr);

	err = pcapw_open(&t.pw, o->pcap, o->pcapng ? PCAPW_PCAPNG
			 : PCAPW_PCAP);
	if (err) {
		re_fprintf(stderr, "%s: cannot write: %m\n", o->pcap, err);
		return err;
	}

	for (le = tmpls->head; le && !err; le = le->next) {
		struct tort_tmpl *tp = le->data;
		struct sender *sd;

		if (sender_of(&t, tp->from))
			continue;
		sd = mem_zalloc(sizeof(*sd), sender_destructor);
		if (!sd) {
			err = ENOMEM;
			break;
		}
		sd->t = &t;
		sd->role = tp->from;
		list_append(&t.senders, &sd->le, sd);
		err = agent_alloc(&sd->ag, tp->from, sc, &h, sd);
		if (err)
			re_fprintf(stderr, "sipflow torture: role %s cannot "
				   "listen on %J: %m\n", tp->from->name,
				   &tp->from->addr, err);
	}

	if (!err) {
		t.t0 = tmr_jiffies();
		check(&t, probe_done);
		(void)re_main(signal_h);
		res->interrupted = t.phase != PH_DONE;
		res->ms = tmr_jiffies() - t.t0;
	}

	tmr_cancel(&t.tmr);
	tmr_cancel(&t.ltmr);
	restart_reap(&t);
	list_flush(&t.senders);
	if (pcapw_finish(t.pw) && !err) {
		re_fprintf(stderr, "%s: cannot write\n", o->pcap);
		err = EIO;
	}
	mem_deref(t.pw);
	return err;
}


void tort_result_reset(struct tort_result *res)
{
	list_flush(&res->last);
}
