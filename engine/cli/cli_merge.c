/* engine/cli/cli_merge.c — sipflow merge: shard outputs into one report set */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <dirent.h>
#include <sys/stat.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "testbed.h"
#include "run.h"
#include "console.h"
#include "report.h"
#include "rules.h"
#include "suite.h"
#include "trace.h"
#include "pcapr.h"
#include "diff.h"
#include "cli.h"
#include "cmdtab.h"


static bool by_file_h(struct le *le1, struct le *le2, void *arg)
{
	const struct report_scn *a = le1->data, *b = le2->data;

	(void)arg;
	return strcmp(a->file ? a->file : "", b->file ? b->file : "") <= 0;
}


/* a scenario in two of the reports (shards that overlap, one given
 * twice) would be two JUnit suites of one name: said, true */
static bool merge_twice(const struct report *rp)
{
	struct le *le, *le2;

	for (le = rp->scns.head; le; le = le->next) {
		const struct report_scn *a = le->data;

		for (le2 = rp->scns.head; le2 != le; le2 = le2->next) {
			const struct report_scn *b = le2->data;

			if (strcmp(a->name, b->name))
				continue;
			re_fprintf(stderr, "sipflow merge: scenario %s is in "
				   "two of the reports (%s, %s): shards "
				   "that overlap, or a report given twice\n",
				   a->name, b->file ? b->file : "?",
				   a->file ? a->file : "?");
			return true;
		}
	}

	return false;
}


/* sipflow merge OUT DIR...: shard outputs into one report set */
int cmd_merge(int argc, char *argv[])
{
	struct report *rp = NULL;
	struct cli_args a;
	const char *outdir = NULL;
	char *path = NULL;
	bool dir;
	struct stat st;
	unsigned nin = 0;
	int c, err, rc = EXIT_PASS;

	if (report_alloc(&rp))
		return EXIT_BAD;

	/* the first positional is where the merge goes, the rest are
	 * read */
	cli_args_init(&a, cli_cmd_find("merge"), argc, argv);
	while ((c = cli_args_next(&a)) != CLI_END) {
		if (c != CLI_POS) {
			rc = EXIT_BAD;
			continue;
		}
		if (!outdir) {
			outdir = a.arg;
			continue;
		}
		++nin;
		dir = !stat(a.arg, &st) && S_ISDIR(st.st_mode);
		if (dir)
			err = re_sdprintf(&path, "%s/report.json", a.arg);
		else
			err = str_dup(&path, a.arg);

		if (!err)
			err = report_load_json(rp, path);
		if (err) {
			re_fprintf(stderr, "%s%s: %s\n", a.arg,
				   dir ? "/report.json" : "",
				   err == EBADMSG ? "not a sipflow report.json"
				   : err == EPROTO ? "unknown report schema"
				   : strerror(err));
			rc = EXIT_BAD;
		}
		path = mem_deref(path);
	}
	if (!nin) {
		mem_deref(rp);
		return cli_usage(a.cmd);
	}

	if (rc == EXIT_PASS && merge_twice(rp))
		rc = EXIT_BAD;

	if (rc == EXIT_PASS) {
		list_sort(&rp->scns, by_file_h, NULL);
		if (mkdirs(outdir)) {
			re_fprintf(stderr, "%s: cannot create: %m\n", outdir,
				   errno);
			rc = EXIT_BAD;
		}
	}

	if (rc == EXIT_PASS) {
		bool lost = write_reports(rp, outdir, NULL) != 0;

		re_printf("merged %u scenarios: %u passed, %u failed, %u "
			  "skipped, %u not run, %u refused\n",
			  list_count(&rp->scns), report_count(rp, true),
			  report_count(rp, false), report_skipped(rp),
			  rp->notrun, report_refused(rp));
		if (report_count(rp, false) || rp->notrun ||
		    report_refused(rp))
			rc = EXIT_FAIL;
		if (lost)
			rc = EXIT_BAD;    /* a report is not whole */
	}

	mem_deref(rp);
	return rc;
}
