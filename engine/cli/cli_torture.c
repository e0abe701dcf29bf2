/* engine/cli/cli_torture.c — sipflow torture SCENARIO: a seeded mutation
 * gate for a device. The scenario is played once against the device as
 * `run` plays it; the requests its simulated roles sent the device are
 * the templates (torture_tmpl.c); then torture.c sends mutations of them
 * with a liveness check every K, and on a dead device this writes the
 * reproducer (torture_repro.c), keeps the pcap and reports.
 *
 * Exit status: 0 the device survived every mutation, 1 it died (or the
 * run was interrupted), 2 bad input, or a device that did not answer
 * before any mutation (it cannot be judged).
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "testbed.h"
#include "console.h"
#include "report.h"
#include "suite.h"
#include "pcapw.h"
#include "cli.h"
#include "cmdtab.h"
#include "torture.h"


/* the one role bound to a device; NULL (said why) if none or several */
static struct role *the_dut(const struct scenario *sc)
{
	struct role *dut = NULL;
	struct le *le;

	for (le = sc->roles.head; le; le = le->next) {
		struct role *r = le->data;

		if (!r->dut)
			continue;
		if (dut) {
			re_fprintf(stderr, "sipflow torture: %s: roles %s and "
				   "%s are both devices; torture one at a "
				   "time\n", sc->file, dut->name, r->name);
			return NULL;
		}
		dut = r;
	}

	if (!dut)
		re_fprintf(stderr, "sipflow torture: %s: no role is bound to "
			   "a device (--role P=dut:udp:HOST:PORT or "
			   "--testbed)\n", sc->file);
	return dut;
}


/* a message as a person reads it: at most 25 lines of at most 100
 * columns, other bytes as \xHH */
static int msg_print(struct re_printf *pf, const struct mbuf *mb)
{
	size_t i, lines = 0, col = 0;
	int err = re_hprintf(pf, "    | ");

	for (i = 0; i < mb->end && !err; i++) {
		uint8_t c = mb->buf[i];

		if (c == '\r' && i + 1 < mb->end && mb->buf[i + 1] == '\n') {
			++i;
			col = 0;
			if (++lines == 25)
				break;
			err = re_hprintf(pf, "\n    | ");
			continue;
		}
		if (col == 100) {
			err = re_hprintf(pf, " …");
		}
		else if (col < 100 && c >= 0x20 && c < 0x7f && c != '\\') {
			err = re_hprintf(pf, "%c", c);
		}
		else if (col < 100) {
			err = re_hprintf(pf, "\\x%02x", c);
		}
		++col;
	}
	if (i < mb->end)
		err |= re_hprintf(pf, "\n    | … (%zu bytes in all)", mb->end);

	return err | re_hprintf(pf, "\n");
}


/* "udp", as --role takes it */
static const char *tp_name(enum sip_transp tp)
{
	return tp == SIP_TRANSP_TCP ? "tcp" : tp == SIP_TRANSP_TLS ? "tls"
		: "udp";
}


/* "70 mutations sent (drop-header 3, …), 6 checks passed, 36 answers" */
static int counts_print(struct re_printf *pf, const struct tort_result *res)
{
	const char *sep = " (";
	size_t k;
	int err = re_hprintf(pf, "%u mutations sent", res->sent);

	for (k = 0; k < MUT_NKINDS && !err; k++) {
		if (!res->bykind[k])
			continue;
		err = re_hprintf(pf, "%s%s %u", sep,
				 mut_kind_name((enum mut_kind)k),
				 res->bykind[k]);
		sep = ", ";
	}

	return err | re_hprintf(pf, "%s, %u liveness checks passed, %u "
				"answers", res->sent ? ")" : "", res->checks,
				res->answers);
}


static void summary(const struct tort_result *res, const struct role *dut,
		    const struct tort_opts *o)
{
	size_t k;

	re_printf("torture: %u mutations sent to %s (%s:%J), seed %llu, in "
		  "%llu.%03llu s; %u liveness checks passed; %u answers\n",
		  res->sent, dut->name, tp_name(dut->tp), &dut->addr,
		  o->seed, res->ms / 1000, res->ms % 1000, res->checks,
		  res->answers);
	re_printf("  by kind:");
	for (k = 0; k < MUT_NKINDS; k++) {
		if (res->bykind[k])
			re_printf(" %s %u", mut_kind_name((enum mut_kind)k),
				  res->bykind[k]);
	}
	re_printf("\n");
}


/* the device died: the reproducer, and what the console says of it; an
 * errno when the reproducer could not be written */
static int report_death(const struct tort_result *res,
			 const struct scenario *sc, const struct role *dut,
			 const struct tort_opts *o, const char *outdir)
{
	const struct tort_sent *s = res->killer ? res->killer
		: list_ledata(res->last.tail);
	const struct tort_sent *first = list_ledata(res->last.head);
	char *path = NULL;
	struct le *le;
	int err;

	if (!s || !first) {
		re_printf("FAIL %s stopped answering\n", dut->name);
		return 0;
	}

	if (res->killer) {
		re_printf("FAIL %s stopped answering after mutation %llu "
			  "(%s): %s\n", dut->name, s->n,
			  mut_kind_name(s->m.kind), s->m.what);
		re_printf("  replayed alone after it came back, it killed %s "
			  "again; as first sent (frame %u), %zu bytes:\n",
			  dut->name, s->frame, s->m.mb->end);
		re_printf("%H", msg_print, s->m.mb);
	}
	else {
		re_printf("FAIL %s stopped answering after one of mutations "
			  "%llu to %llu\n", dut->name, first->n, s->n);
		re_printf("  it %s; the %u mutations since its last answer "
			  "are the reproducer:\n", res->revived ?
			  "came back, but none of them alone killed it again"
			  : "did not come back (--restart restarts it, "
			  "to narrow it down)", list_count(&res->last));
		for (le = res->last.head; le; le = le->next) {
			const struct tort_sent *x = le->data;

			re_printf("  mutation %llu (%s): %s, %zu bytes, "
				  "frame %u\n", x->n,
				  mut_kind_name(x->m.kind), x->m.what,
				  x->m.mb->end, x->frame);
		}
		re_printf("  the last of them:\n%H", msg_print, s->m.mb);
	}

	if (re_sdprintf(&path, "%s/reproducer.yaml", outdir))
		return ENOMEM;
	err = torture_repro(path, sc, dut, res, o);
	if (err)
		re_fprintf(stderr, "%s: cannot write the reproducer: %m\n",
			   path, err);
	else
		re_printf("  reproducer: %s (sipflow run %s --role "
			  "%s=dut:%s:%J)\n  exact bytes: "
			  "%s/reproducer-M*.raw\n", path, path, dut->name,
			  tp_name(dut->tp), &dut->addr, outdir);
	mem_deref(path);

	return err;
}


static int report_roles(struct report_scn *rs, const struct scenario *sc)
{
	struct le *le;
	int err = 0;

	for (le = sc->roles.head; le && !err; le = le->next) {
		const struct role *r = le->data;
		char addr[64];

		re_snprintf(addr, sizeof(addr), "%J", &r->addr);
		err = report_role_add(&rs->roles, r->name, r->dut ? "dut"
				      : "ua", addr);
	}

	return err;
}


/* a number option; false (said why) if it is not one in [lo, hi] */
static bool num_opt(uint64_t *v, const char *name, const char *arg,
		    uint64_t lo, uint64_t hi)
{
	char *end = NULL;
	unsigned long long n = strtoull(arg, &end, 10);

	if (end && !*end && *arg >= '0' && *arg <= '9' && n >= lo &&
	    n <= hi) {
		*v = n;
		return true;
	}

	re_fprintf(stderr, "--%s: '%s' is not a number from %llu to %llu\n",
		   name, arg, lo, hi);
	return false;
}


static bool dur_opt(uint32_t *ms, const char *name, const char *arg)
{
	if (!duration_parse(ms, arg) && *ms)
		return true;

	re_fprintf(stderr, "--%s: '%s' is not a duration (500ms, 2s, 1m)\n",
		   name, arg);
	return false;
}


int cmd_torture(int argc, char *argv[])
{
	struct tort_opts o = {1, 100, 10, 10, 2000, 0, NULL, NULL, true, 0};
	const char *tbfile = NULL, **roles = NULL;
	struct list scs = LIST_INIT, vars = LIST_INIT, tmpls = LIST_INIT;
	struct tort_result res;
	struct suite_opts so;
	struct testbed *tb = NULL;
	struct scenario *sc = NULL;
	struct report *rp = NULL;
	struct report_scn *rs = NULL;
	struct role *dut = NULL;
	struct console con;
	struct diag dg;
	char *bpcap = NULL, *tpcap = NULL, *why = NULL;
	bool quiet = false, interrupted = false;
	size_t nroles = 0;
	struct cli_args a;
	const char *file = NULL;
	unsigned npos = 0;
	uint64_t v;
	int c, rc = EXIT_PASS;

	memset(&res, 0, sizeof(res));
	memset(&so, 0, sizeof(so));
	so.outdir = "sipflow-out";
	so.pcapng = true;
	diag_init(&dg);

	roles = mem_zalloc((size_t)argc * sizeof(*roles), NULL);
	if (!roles)
		return EXIT_BAD;

	cli_args_init(&a, cli_cmd_find("torture"), argc, argv);
	while ((c = cli_args_next(&a)) != CLI_END) {
		switch (c) {

		case CLI_POS:
			file = npos++ ? NULL : a.arg;
			break;

		case 't':
			tbfile = a.arg;
			break;
		case 'r':
			roles[nroles++] = a.arg;
			break;
		case 's':
			if (!num_opt(&o.seed, "seed", a.arg, 0, UINT64_MAX))
				rc = EXIT_BAD;
			break;
		case 'n':
			if (num_opt(&v, "count", a.arg, 1, 10000000))
				o.count = (unsigned)v;
			else
				rc = EXIT_BAD;
			break;
		case 'k':
			if (num_opt(&v, "every", a.arg, 1, 10000000))
				o.every = (unsigned)v;
			else
				rc = EXIT_BAD;
			break;
		case 'o':
			so.outdir = a.arg;
			break;
		case 'g':
			if (!dur_opt(&o.gap_ms, "gap", a.arg))
				rc = EXIT_BAD;
			break;
		case 'T':
			if (!dur_opt(&o.live_ms, "timeout", a.arg))
				rc = EXIT_BAD;
			break;
		case 'R':
			o.restart = a.arg;
			break;
		case 'v':
			if (!dur_opt(&o.revive_ms, "revive", a.arg))
				rc = EXIT_BAD;
			break;
		case 'V':
			if (var_arg_add(&vars, a.arg)) {
				re_fprintf(stderr, "--var: '%s' is not "
					   "NAME=VALUE\n", a.arg);
				rc = EXIT_BAD;
			}
			break;
		case 'q':
			quiet = true;
			break;
		default:
			/* main() has read them all: never here */
			rc = EXIT_BAD;
			goto out;
		}
	}

	/* without --restart a device that comes back by itself (a
	 * watchdog) has the liveness wait once more */
	/* a line now and then on a long torture: a CI log shows it goes */
	if (!quiet)
		o.progress = o.count >= 10000 ? 1000 : 100;
	if (!o.revive_ms)
		o.revive_ms = o.restart ? 10000 : o.live_ms;

	if (rc == EXIT_PASS && npos != 1) {
		re_fprintf(stderr, "sipflow torture: one scenario, please\n");
		cli_usage(a.cmd);
		rc = EXIT_BAD;
	}
	if (rc != EXIT_PASS)
		goto out;

	if (cli_testbed(&tb, tbfile, roles, nroles, &dg))
		rc = EXIT_BAD;
	if (rc == EXIT_PASS &&
	    scenario_load_vars(&sc, file, NULL, &vars, &dg))
		rc = EXIT_BAD;
	if (rc == EXIT_PASS && scenario_bind(sc, tb, &dg))
		rc = EXIT_BAD;
	if (rc == EXIT_PASS && !(dut = the_dut(sc)))
		rc = EXIT_BAD;
	if (rc != EXIT_PASS)
		goto out;

	if (mkdirs(so.outdir) || report_alloc(&rp)) {
		re_fprintf(stderr, "%s: cannot create: %m\n", so.outdir,
			   errno);
		rc = EXIT_BAD;
		goto out;
	}

	/* the scenario once, as run plays it: what its roles send the
	 * device are the templates */
	so.tb = tb;
	list_append(&scs, &sc->le, sc);
	console_init(&con, stdout, quiet);
	(void)suite_run(&scs, &so, &con, rp, &interrupted);
	if (interrupted) {
		rc = EXIT_FAIL;
		goto out;
	}

	if (re_sdprintf(&bpcap, "%s/%s%s", so.outdir, sc->name,
			pcapw_ext(PCAPW_PCAPNG)) ||
	    re_sdprintf(&tpcap, "%s/torture-%s%s", so.outdir, sc->name,
			pcapw_ext(PCAPW_PCAPNG))) {
		rc = EXIT_BAD;
		goto out;
	}
	if (tort_tmpls_read(&tmpls, bpcap, sc, dut, &why)) {
		re_fprintf(stderr, "%s: %s\n", bpcap, why ? why
			   : "cannot read");
		rc = EXIT_BAD;
		goto out;
	}
	if (list_isempty(&tmpls)) {
		re_fprintf(stderr, "sipflow torture: %s sent %s no request "
			   "from a ua or proxy role: nothing to mutate\n",
			   sc->file, dut->name);
		rc = EXIT_BAD;
		goto out;
	}
	if (!quiet)
		re_printf("torture: %u request%s to %s to mutate, seed %llu, "
			  "%u mutations, a check every %u\n",
			  list_count(&tmpls), list_count(&tmpls) == 1 ? ""
			  : "s", dut->name, o.seed, o.count, o.every);

	o.pcap = tpcap;
	if (report_scn_alloc(&rs, rp) || report_roles(rs, sc)) {
		rc = EXIT_BAD;
		goto out;
	}
	(void)re_sdprintf(&rs->name, "torture-%s", sc->name);
	(void)str_dup(&rs->file, sc->file);
	(void)re_sdprintf(&rs->title, "sipflow torture --seed %llu --count "
			  "%u --every %u", o.seed, o.count, o.every);
	(void)str_dup(&rs->pcap, tpcap);

	if (torture_play(&res, sc, dut, &tmpls, &o, rs)) {
		rc = EXIT_BAD;
		goto out;
	}
	rs->ms = res.ms;
	rs->title = mem_deref(rs->title);
	(void)re_sdprintf(&rs->title, "sipflow torture --seed %llu --count "
			  "%u --every %u: %H", o.seed, o.count, o.every,
			  counts_print, &res);
	rs->passed = res.judged && !res.died && !res.interrupted;

	summary(&res, dut, &o);
	if (!res.judged) {
		re_printf("CANNOT JUDGE %s: it did not answer an OPTIONS "
			  "within %u ms before any mutation\n", dut->name,
			  o.live_ms);
		rc = EXIT_BAD;
	}
	else if (res.died) {
		/* a reproducer that could not be written fails the torture
		 * as bad output would a run */
		rc = report_death(&res, sc, dut, &o, so.outdir) ? EXIT_BAD
			: EXIT_FAIL;
	}
	else if (res.interrupted) {
		re_printf("INTERRUPTED after %u mutations\n", res.sent);
		rc = EXIT_FAIL;
	}
	else {
		re_printf("PASS %s answered after all %u mutations\n",
			  dut->name, res.sent);
	}
	re_printf("  pcap: %s\n", tpcap);
	write_reports(rp, so.outdir, NULL);

 out:
	if (dg.nerr || dg.nwarn)
		re_fprintf(stderr, "%H", diag_print, &dg);
	diag_reset(&dg);
	tort_result_reset(&res);
	list_flush(&tmpls);
	if (sc && sc->le.list)
		list_unlink(&sc->le);
	mem_deref(sc);
	list_flush(&vars);
	mem_deref(why);
	mem_deref(bpcap);
	mem_deref(tpcap);
	mem_deref(tb);
	mem_deref(rp);
	mem_deref(roles);
	return rc;
}
