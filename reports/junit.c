/* reports/junit.c — junit.xml: one testsuite per scenario, one testcase
 * per message step, failures carrying the verdict's reason
 *
 * The shape is the one Jenkins, GitLab and GitHub parsers read: a
 * <testsuites> root, <testsuite name tests failures skipped errors time>,
 * <testcase classname name time> with <failure message type> or <skipped>.
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "wfile.h"
#include "report.h"
#include "xml.h"


static int secs(struct re_printf *pf, const uint64_t *ms)
{
	return re_hprintf(pf, "%llu.%03llu", (unsigned long long)(*ms / 1000),
			  (unsigned long long)(*ms % 1000));
}


static int testcase(struct re_printf *pf, const struct report_scn *s,
		    const struct report_step *st, uint64_t prev)
{
	uint64_t took = st->t_ms > prev ? st->t_ms - prev : 0;
	char name[160];
	int err;

	if (!strcmp(st->type, "message"))
		re_snprintf(name, sizeof(name), "%s %s %s -> %s", st->id,
			    st->what, st->from, st->to);
	else
		re_snprintf(name, sizeof(name), "%s %s", st->id, st->what);

	err = re_hprintf(pf, "    <testcase classname=\"%H\" name=\"%H\" "
			 "time=\"%H\"", xml_escape, s->name, xml_escape,
			 name, secs, &took);

	if (!strcmp(st->status, "pass"))
		return err | re_hprintf(pf, "/>\n");

	err |= re_hprintf(pf, ">\n");
	if (!strcmp(st->status, "fail")) {
		char frame[32] = "";

		if (st->frame)
			re_snprintf(frame, sizeof(frame), " (pcap frame %u)",
				    st->frame);
		err |= re_hprintf(pf, "      <failure type=\"verdict\" "
				  "message=\"%H\">%H%s</failure>\n",
				  xml_escape, st->reason ? st->reason : "",
				  xml_escape, st->reason ? st->reason : "",
				  frame);
	}
	else {
		err |= re_hprintf(pf, "      <skipped message=\"%s\"/>\n",
				  !strcmp(st->status, "skip")
				  ? "optional step did not happen"
				  : "not run: an earlier step failed");
	}

	return err | re_hprintf(pf, "    </testcase>\n");
}


/* a scenario not played: one test case, skipped with the reason */
static int skipped_suite(struct re_printf *pf, const struct report *rp,
			 const struct report_scn *s)
{
	int err;

	err = re_hprintf(pf, "  <testsuite name=\"%H\" tests=\"1\" "
			 "failures=\"0\" errors=\"0\" skipped=\"1\" "
			 "time=\"0.000\" timestamp=\"%s\">\n", xml_escape,
			 s->name, rp->started);
	err |= re_hprintf(pf, "    <testcase classname=\"%H\" name=\"%H\" "
			  "time=\"0.000\">\n      <skipped message=\"%H\"/>\n"
			  "    </testcase>\n", xml_escape, s->name,
			  xml_escape, s->name, xml_escape, s->skipped);

	return err | re_hprintf(pf, "  </testsuite>\n");
}


static int testsuite(struct re_printf *pf, const struct report *rp,
		     const struct report_scn *s)
{
	uint64_t prev = 0;
	struct le *le;
	int err;

	if (s->skipped)
		return skipped_suite(pf, rp, s);

	err = re_hprintf(pf, "  <testsuite name=\"%H\" tests=\"%u\" "
			 "failures=\"%u\" errors=\"0\" skipped=\"%u\" "
			 "time=\"%H\" timestamp=\"%s\">\n", xml_escape,
			 s->name, s->npass + s->nfail + s->nskip + s->nnotrun,
			 s->nfail, s->nskip + s->nnotrun, secs, &s->ms,
			 rp->started);
	err |= re_hprintf(pf, "    <properties>\n"
			  "      <property name=\"file\" value=\"%H\"/>\n"
			  "      <property name=\"pcap\" value=\"%H\"/>\n"
			  "    </properties>\n", xml_escape,
			  s->file ? s->file : "", xml_escape,
			  s->pcap ? s->pcap : "");

	for (le = s->steps.head; le && !err; le = le->next) {
		const struct report_step *st = le->data;

		/* waits and groups only pace the steps that are checks */
		if (strcmp(st->type, "message") && strcmp(st->type, "do") &&
		    strcmp(st->type, "media"))
			continue;
		err = testcase(pf, s, st, prev);
		if (st->t_ms)
			prev = st->t_ms;
	}

	return err | re_hprintf(pf, "  </testsuite>\n");
}




/** Write junit.xml: 0, or why it is not whole (errno) */
int report_write_junit(const struct report *rp, const char *path)
{
	struct wfile wf;
	struct re_printf pf = {wfile_print_h, &wf};
	unsigned tests = 0, failures = 0, skipped = 0;
	struct le *le;
	int err;

	if (!rp || !path)
		return EINVAL;

	for (le = rp->scns.head; le; le = le->next) {
		const struct report_scn *s = le->data;

		if (s->skipped) {
			++tests;
			++skipped;
			continue;
		}
		tests += s->npass + s->nfail + s->nskip + s->nnotrun;
		failures += s->nfail;
		skipped += s->nskip + s->nnotrun;
	}

	err = wfile_open(&wf, path, "w");
	if (err)
		return err;

	err = re_hprintf(&pf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<testsuites name=\"sipflow\" tests=\"%u\" "
			 "failures=\"%u\" errors=\"0\" skipped=\"%u\" "
			 "time=\"%H\">\n", tests, failures, skipped, secs,
			 &rp->ms);
	for (le = rp->scns.head; le && !err; le = le->next)
		err = testsuite(&pf, rp, le->data);
	err |= re_hprintf(&pf, "</testsuites>\n");

	if (wfile_close(&wf))
		err = wf.err;     /* the write's own reason, not a sum */

	return err;
}
