/* engine/cli/cli_verify.c — sipflow verify SCENARIO --pcap FILE: a
 * capture judged step by step as if its roles had been played; where a
 * role the scenario expects is not in the capture, which address was
 * expected and which the capture has instead */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "testbed.h"
#include "run.h"
#include "console.h"
#include "report.h"
#include "pcapr.h"
#include "cli.h"
#include "cmdtab.h"

/* an address the capture's SIP messages came from or went to */
struct endpoint {
	struct le le;
	struct sa sa;
	unsigned n;            /* messages from or to it */
	char first[80];        /* the first one's start line */
};

struct verify {
	struct run *run;
	uint64_t t0;
	bool have_t0;
	int err;
	struct list eps;       /* struct endpoint, in order of first sight */
	bool *auto_roles;      /* by role idx: a role no --role or
				  --testbed placed (mem) */
	size_t nauto;
};


static void endpoint_seen(struct list *eps, const struct sa *sa,
			  const struct pcapr_msg *m)
{
	struct endpoint *ep;
	struct le *le;

	for (le = eps->head; le; le = le->next) {
		ep = le->data;
		if (sa_cmp(&ep->sa, sa, SA_ALL)) {
			++ep->n;
			return;
		}
	}

	ep = mem_zalloc(sizeof(*ep), NULL);
	if (!ep)
		return;
	ep->sa = *sa;
	ep->n = 1;
	re_snprintf(ep->first, sizeof(ep->first), "%r", &m->sip.line);
	list_append(eps, &ep->le, ep);
}


/* a role is at an endpoint: the same address and port, or over TCP/TLS
 * the same address (a connection's other end has an ephemeral port) */
static bool role_at(const struct role *r, const struct sa *sa)
{
	return sa_cmp(&r->addr, sa, SA_ALL) ||
	       (r->tp != SIP_TRANSP_UDP && sa_cmp(&r->addr, sa, SA_ADDR));
}


/* whether any role of sc is at an endpoint */
static bool claimed(const struct scenario *sc, const struct endpoint *ep)
{
	struct le *le;

	for (le = sc->roles.head; le; le = le->next) {
		if (role_at(le->data, &ep->sa))
			return true;
	}

	return false;
}


/*
 * A role whose address no SIP message of the capture has is a binding
 * that does not match the capture: every step of it would fail as "not
 * in the capture". Say which address the role was expected at, where
 * that came from, and the capture's addresses no role is at (the one
 * it is, when there is one).
 */
static unsigned addresses_check(const struct scenario *sc,
				const struct list *eps,
				const struct verify *v)
{
	struct le *le, *l2;
	unsigned missing = 0, spare = 0;
	const struct endpoint *last = NULL;

	for (l2 = eps->head; l2; l2 = l2->next) {
		if (!claimed(sc, l2->data)) {
			++spare;
			last = l2->data;
		}
	}

	for (le = sc->roles.head; le; le = le->next) {
		const struct role *r = le->data;
		bool seen = false;

		for (l2 = eps->head; l2 && !seen; l2 = l2->next)
			seen = role_at(r, &((struct endpoint *)l2->data)->sa);
		if (seen)
			continue;
		++missing;
		re_fprintf(stderr, "sipflow verify: role %s: expected at %J "
			   "(%s); the capture has no SIP message from or to "
			   "that address\n", r->name, &r->addr,
			   r->idx < v->nauto && v->auto_roles[r->idx] ?
			   "given by no --role or --testbed: where a run of "
			   "this scenario alone puts it" : "--role or "
			   "--testbed");
	}

	if (missing == 1 && spare == 1)
		re_fprintf(stderr, "sipflow verify: the capture has %J "
			   "instead, which no role is at (%u messages, the "
			   "first: %s)\n", &last->sa, last->n, last->first);
	else if (missing && spare) {
		re_fprintf(stderr, "sipflow verify: addresses in the capture "
			   "no role is at:\n");
		for (l2 = eps->head; l2; l2 = l2->next) {
			const struct endpoint *ep = l2->data;

			if (!claimed(sc, ep))
				re_fprintf(stderr, "  %J (%u messages, the "
					   "first: %s)\n", &ep->sa, ep->n,
					   ep->first);
		}
	}
	if (missing)
		re_fprintf(stderr, "sipflow verify: say where each role is: "
			   "--role NAME=HOST:PORT or --testbed FILE\n");

	return missing;
}


/* the reader only scans; what libre does not decode is not a message of
 * the flow to the runner either (it was never fed one) */
static bool decodes(const struct pcapr_msg *m)
{
	struct mbuf *mb = mbuf_alloc(m->len);
	struct sip_msg *msg = NULL;
	bool ok;

	if (!mb)
		return false;
	(void)mbuf_write_mem(mb, m->p, m->len);
	mb->pos = 0;
	ok = !sip_msg_decode(&msg, mb) && msg;
	mem_deref(msg);
	mem_deref(mb);

	return ok;
}


static void verify_msg_h(const struct pcapr_msg *m, void *arg)
{
	struct verify *v = arg;
	uint64_t t = (uint64_t)m->ts.tv_sec * 1000 + m->ts.tv_usec / 1000;

	if (!decodes(m))
		return;

	endpoint_seen(&v->eps, &m->src, m);
	endpoint_seen(&v->eps, &m->dst, m);
	if (!v->have_t0) {
		v->t0 = t;
		v->have_t0 = true;
	}
	if (!v->err)
		v->err = run_inject(v->run, &m->src, &m->dst, m->p, m->len,
				    m->frame, t - v->t0);
}


static void verify_step_h(const struct run *run, const struct step *st,
			  const struct verdict *vd, void *arg)
{
	(void)run;
	console_step(arg, st, vd);
}


static void verify_log_h(const struct run *run, const char *line,
			 void *arg)
{
	(void)run;
	console_log(arg, line);
}


/* --role NAME=HOST:PORT: where the role is in the capture, as a device
 * (NAME=dut:HOST:PORT) the run only watches; NULL (said why) if not */
static char *verify_role(const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *s = NULL;

	if (!eq || eq == arg || !eq[1]) {
		re_fprintf(stderr, "--role: '%s' is not NAME=HOST:PORT\n",
			   arg);
		return NULL;
	}
	(void)re_sdprintf(&s, "%b=dut:%s", arg, (size_t)(eq - arg), eq + 1);

	return s;
}


/* sipflow verify SCENARIO --pcap FILE [--testbed FILE]
 *                [--role NAME=HOST:PORT]... [--out DIR] */
int cmd_verify(int argc, char *argv[])
{
	const char *file = NULL, *pcap = NULL, *outdir = NULL, *tbfile = NULL;
	char **roles = NULL;
	size_t nroles = 0, i;
	struct scenario *sc = NULL;
	struct testbed *tb = NULL;
	struct report *rp = NULL;
	struct console con;
	struct verify v;
	struct run_handlers h = {verify_step_h, verify_log_h, NULL, &con};
	struct run_opts ro = {.offline = true};
	struct cli_args a;
	struct diag dg;
	char *why = NULL;
	struct le *le;
	unsigned npos = 0;
	int c, err = 0, rc = EXIT_BAD;

	memset(&v, 0, sizeof(v));
	diag_init(&dg);
	roles = mem_zalloc((size_t)argc * sizeof(*roles), NULL);
	if (!roles)
		return EXIT_BAD;

	cli_args_init(&a, cli_cmd_find("verify"), argc, argv);
	while ((c = cli_args_next(&a)) != CLI_END) {
		switch (c) {

		case 'P':
			pcap = a.arg;
			break;
		case 'o':
			outdir = a.arg;
			break;
		case 't':
			tbfile = a.arg;
			break;
		case 'r':
			roles[nroles] = verify_role(a.arg);
			if (!roles[nroles++])
				err = EINVAL;
			break;
		case CLI_POS:
			file = npos++ ? NULL : a.arg;
			break;
		default:
			err = EINVAL;
			break;
		}
	}

	if (!err && (!file || !pcap)) {
		if (!pcap)
			re_fprintf(stderr, "sipflow verify: --pcap is "
				   "required\n");
		cli_usage(a.cmd);
		goto out;
	}
	/* the testbed file first, then each --role over it */
	if (err || cli_testbed(&tb, tbfile, (const char **)roles, nroles,
			       &dg))
		goto out;

	if (scenario_load(&sc, file, &dg))
		goto out;

	/* roles not named sit where a run of this scenario alone puts
	 * them (127.0.0.10, …, past the named ones' addresses) */
	v.nauto = list_count(&sc->roles);
	v.auto_roles = mem_zalloc(v.nauto * sizeof(*v.auto_roles) + 1,
				  NULL);
	if (!v.auto_roles)
		goto out;
	if (!scenario_bind(sc, tb, NULL)) {
		for (le = sc->roles.head; le; le = le->next) {
			struct role *r = le->data;
			char *arg = NULL;

			if (!r->auto_addr)
				continue;
			if (r->idx < v.nauto)
				v.auto_roles[r->idx] = true;
			if (re_sdprintf(&arg, "%s=dut:%J", r->name, &r->addr))
				goto out;
			err = testbed_add_arg(tb, arg, &dg);
			mem_deref(arg);
			if (err)
				goto out;
		}
	}
	if (scenario_bind(sc, tb, &dg))
		goto out;

	console_init(&con, stdout, false);
	if (run_alloc(&v.run, sc, &ro, &h, &dg))
		goto out;

	console_begin(&con, sc, NULL);
	run_start(v.run);
	err = pcapr_read(pcap, verify_msg_h, &v, NULL, &why);
	if (err) {
		re_fprintf(stderr, "%s: %s\n", pcap,
			   why ? why : strerror(err));
		goto out;
	}
	run_end_offline(v.run);
	console_end(&con, v.run, pcap);
	(void)addresses_check(sc, &v.eps, &v);

	rc = run_passed(v.run) ? EXIT_PASS : EXIT_FAIL;

	/* reports that cannot be written fail the command */
	if (outdir && mkdirs(outdir)) {
		re_fprintf(stderr, "%s: cannot create: %m\n", outdir, errno);
		rc = EXIT_BAD;
	}
	else if (outdir && !report_alloc(&rp) &&
		 !report_add_run(rp, v.run, pcap, 0) &&
		 write_reports(rp, outdir, NULL)) {
		rc = EXIT_BAD;
	}

 out:
	if (dg.nerr)
		re_fprintf(stderr, "%H", diag_print, &dg);
	diag_reset(&dg);
	mem_deref(why);
	mem_deref(v.auto_roles);
	mem_deref(rp);
	mem_deref(v.run);
	mem_deref(sc);
	mem_deref(tb);
	list_flush(&v.eps);
	for (i = 0; i < nroles; i++)
		mem_deref(roles[i]);
	mem_deref(roles);
	return rc;
}


