/* reports/junit.c — junit.xml: one testsuite per scenario, one testcase
 * per step that was judged, in the Ant format Jenkins and GitLab read
 *
 * The document follows Apache Ant's JUnit XML (the schema kept in
 * tests/data/junit-ant.xsd, checked with xmllint): a bare <testsuites>
 * root, each <testsuite> with package, id, hostname and a timestamp
 * without a zone, then properties, testcases, system-out and system-err
 * in that order. The one addition is file and line on a testcase, where
 * its step is written, which GitLab and Jenkins' plugins show. Choices
 * (docs/decisions/0032-ci-console-and-junit.md):
 *  - classname sipflow.<folder>.<scenario>, so a report viewer groups
 *    the scenarios by the folder their file is in;
 *  - a step not run because an earlier one failed is no testcase (it was
 *    neither run nor skipped on purpose): the failure names them;
 *  - a step the suite's interruption failed is an <error>, as is a
 *    scenario refused before it played; a verdict is a <failure>;
 *  - <system-out> holds the scenario's console text, notes included.
 * Everything is written from the report, so merged shards give the same
 * document as one run.
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "wfile.h"
#include "report.h"
#include "xml.h"


/* what one scenario's testsuite counts */
struct counts {
	unsigned tests, failures, errors, skipped;
};


static int secs(struct re_printf *pf, const uint64_t *ms)
{
	return re_hprintf(pf, "%llu.%03llu", (unsigned long long)(*ms / 1000),
			  (unsigned long long)(*ms % 1000));
}


/* a part of a string */
struct span {
	const char *p;
	size_t n;
};

/* what a step's failure text is made of */
struct stepof {
	const struct report_scn *s;
	const struct report_step *st;
};


/* a name part of a Java-like class name: no dots, no spaces */
static int part(struct re_printf *pf, const struct span *sp)
{
	const char *s = sp->p;
	size_t i, n = sp->n;
	char buf[128];

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (i = 0; i < n; i++)
		buf[i] = (s[i] == '.' || s[i] == ' ' || s[i] == '\t')
			 ? '_' : s[i];
	buf[n] = '\0';

	return xml_escape(pf, buf);
}


/* "sipflow.<folder>": the folder the scenario's file is in, or
 * "sipflow" for a file named without one */
static int package(struct re_printf *pf, const struct report_scn *s)
{
	const char *f = s->file ? s->file : "";
	const char *end = strrchr(f, '/'), *b;
	struct span sp;

	while (end && end > f && end[-1] == '/')
		--end;
	if (!end || end == f)
		return re_hprintf(pf, "sipflow");

	for (b = end; b > f && b[-1] != '/'; b--)
		;
	if ((end - b == 1 && *b == '.') ||
	    (end - b == 2 && !strncmp(b, "..", 2)))
		return re_hprintf(pf, "sipflow");

	sp.p = b;
	sp.n = (size_t)(end - b);
	return re_hprintf(pf, "sipflow.%H", part, &sp);
}


static int classname(struct re_printf *pf, const struct report_scn *s)
{
	struct span sp = {s->name, strlen(s->name)};

	return re_hprintf(pf, "%H.%H", package, s, part, &sp);
}


/* a step that is a testcase: a check that was judged, or a wait or
 * group that failed (what came meanwhile, an interruption) */
static bool is_case(const struct report_step *st)
{
	bool check = !strcmp(st->type, "message") ||
		     !strcmp(st->type, "do") || !strcmp(st->type, "media");

	if (!strcmp(st->status, "notrun"))
		return false;

	return check || !strcmp(st->status, "fail");
}


static struct counts count(const struct report_scn *s)
{
	struct counts c = {0, 0, 0, 0};
	struct le *le;

	if (s->skipped || s->refused) {
		c.tests = 1;
		c.skipped = s->skipped ? 1 : 0;
		c.errors = s->refused ? 1 : 0;
		return c;
	}

	for (le = s->steps.head; le; le = le->next) {
		const struct report_step *st = le->data;

		if (!is_case(st))
			continue;
		++c.tests;
		if (!strcmp(st->status, "skip"))
			++c.skipped;
		else if (!strcmp(st->status, "fail") && st->interrupted)
			++c.errors;
		else if (!strcmp(st->status, "fail"))
			++c.failures;
	}

	/* failed with no step failed: every step left was not run */
	if (!s->passed && !c.failures && !c.errors) {
		++c.tests;
		++c.failures;
	}

	return c;
}


static int step_name(struct re_printf *pf, const struct report_step *st);


/* "\nnot run after it: F6 ACK A -> B, F7 BYE A -> B" */
static int notrun_print(struct re_printf *pf, const struct report_scn *s)
{
	struct le *le;
	unsigned n = 0;
	int err = 0;

	for (le = s->steps.head; le && !err; le = le->next) {
		const struct report_step *st = le->data;

		if (strcmp(st->status, "notrun"))
			continue;
		err = re_hprintf(pf, "%s%H", n++ ? ", " : "\nnot run after "
				 "it: ", step_name, st);
	}

	return err;
}


/* "F5 302 Moved Temporarily B -> P", "do@L34 do C answer" (not escaped) */
static int step_name(struct re_printf *pf, const struct report_step *st)
{
	if (!strcmp(st->type, "message"))
		return re_hprintf(pf, "%s %s %s -> %s", st->id, st->what,
				  st->from, st->to);

	return re_hprintf(pf, "%s %s", st->id, st->what);
}


/* the step's name, escaped for an attribute */
static int step_attr(struct re_printf *pf, const struct report_step *st)
{
	char name[256];

	re_snprintf(name, sizeof(name), "%H", step_name, st);

	return xml_escape(pf, name);
}


/* the failure's text: reason, where, the frame, what was not run */
static int failure_text(struct re_printf *pf, const struct stepof *so)
{
	const struct report_scn *s = so->s;
	const struct report_step *st = so->st;
	int err;

	err = re_hprintf(pf, "%s", st->reason ? st->reason : "failed");
	if (st->line)
		err |= re_hprintf(pf, "\n%s:%u: step %H",
				  st->file ? st->file : s->file, st->line,
				  step_name, st);
	if (st->frame)
		err |= re_hprintf(pf, "\npcap frame %u of %s", st->frame,
				  s->pcap ? s->pcap : "the capture");

	return err | notrun_print(pf, s);
}


/* a <failure> or <error>, its text escaped as element content */
static int fault(struct re_printf *pf, const char *elem, const char *type,
		 const char *message, const char *text)
{
	return re_hprintf(pf, "      <%s type=\"%s\" message=\"%H\">%H</%s>\n",
			  elem, type, xml_escape, message, xml_escape_text,
			  text, elem);
}


static int testcase(struct re_printf *pf, const struct report_scn *s,
		    const struct report_step *st, uint64_t prev)
{
	uint64_t took = st->t_ms > prev ? st->t_ms - prev : 0;
	char *text = NULL;
	int err;

	err = re_hprintf(pf, "    <testcase classname=\"%H\" name=\"%H\" "
			 "time=\"%H\" file=\"%H\"", classname, s, step_attr,
			 st, secs, &took, xml_escape,
			 st->file ? st->file : s->file);
	if (st->line)
		err |= re_hprintf(pf, " line=\"%u\"", st->line);

	if (!strcmp(st->status, "pass"))
		return err | re_hprintf(pf, "/>\n");

	err |= re_hprintf(pf, ">\n");
	if (!strcmp(st->status, "fail")) {
		struct stepof so = {s, st};

		err |= re_sdprintf(&text, "%H", failure_text, &so);
		if (!err)
			err = fault(pf, st->interrupted ? "error" : "failure",
				    st->interrupted ? "interrupted"
				    : "verdict", st->reason ? st->reason
				    : "failed", text);
		mem_deref(text);
	}
	else {
		err |= re_hprintf(pf, "      <skipped message=\"%H\"/>\n",
				  xml_escape, st->reason ? st->reason :
				  "optional step did not happen");
	}

	return err | re_hprintf(pf, "    </testcase>\n");
}


/* a scenario not played (skipped, refused): one testcase named after it */
static int unplayed_case(struct re_printf *pf, const struct report_scn *s)
{
	int err;

	err = re_hprintf(pf, "    <testcase classname=\"%H\" name=\"%H\" "
			 "time=\"0.000\" file=\"%H\">\n", classname, s,
			 xml_escape, s->name, xml_escape, s->file);
	if (s->skipped)
		err |= re_hprintf(pf, "      <skipped message=\"%H\"/>\n",
				  xml_escape, s->skipped);
	else
		err |= fault(pf, "error", "refused", s->refused, s->refused);

	return err | re_hprintf(pf, "    </testcase>\n");
}


/* a failed scenario none of whose steps failed: what was not run */
static int unfinished_case(struct re_printf *pf, const struct report_scn *s)
{
	char *text = NULL;
	int err;

	err = re_sdprintf(&text, "the scenario did not finish%H",
			  notrun_print, s);
	if (err)
		return err;

	err = re_hprintf(pf, "    <testcase classname=\"%H\" name=\"%H\" "
			 "time=\"%H\" file=\"%H\">\n", classname, s,
			 xml_escape, s->name, secs, &s->ms, xml_escape,
			 s->file);
	err |= fault(pf, "failure", "verdict", "the scenario did not finish",
		     text);
	mem_deref(text);

	return err | re_hprintf(pf, "    </testcase>\n");
}


/* when it started (else the suite), without a zone: what Ant writes */
static int stamp(struct re_printf *pf, const char *t)
{
	size_t n = t ? strlen(t) : 0;

	if (n && t[n - 1] == 'Z')
		--n;

	return n ? re_hprintf(pf, "%b", t, n)
		 : re_hprintf(pf, "1970-01-01T00:00:00");
}


static int testsuite(struct re_printf *pf, const struct report *rp,
		     const struct report_scn *s, unsigned id)
{
	struct counts c = count(s);
	const char *host = s->host && *s->host ? s->host
			 : rp->host ? rp->host : "localhost";
	uint64_t prev = 0;
	struct le *le;
	unsigned cases = 0;
	int err;

	err = re_hprintf(pf, "  <testsuite name=\"%H\" package=\"%H\" "
			 "id=\"%u\" hostname=\"%H\" timestamp=\"%H\" "
			 "tests=\"%u\" failures=\"%u\" errors=\"%u\" "
			 "skipped=\"%u\" time=\"%H\">\n", xml_escape, s->name,
			 package, s, id, xml_escape, host, stamp,
			 s->stamp ? s->stamp : rp->started,
			 c.tests, c.failures, c.errors, c.skipped, secs,
			 &s->ms);
	err |= re_hprintf(pf, "    <properties>\n"
			  "      <property name=\"file\" value=\"%H\"/>\n",
			  xml_escape, s->file ? s->file : "");
	if (s->pcap)
		err |= re_hprintf(pf, "      <property name=\"pcap\" "
				  "value=\"%H\"/>\n", xml_escape, s->pcap);
	err |= re_hprintf(pf, "    </properties>\n");

	if (s->skipped || s->refused)
		err |= unplayed_case(pf, s);

	for (le = s->steps.head; le && !err; le = le->next) {
		const struct report_step *st = le->data;

		if (!is_case(st))
			continue;
		err = testcase(pf, s, st, prev);
		++cases;
		if (st->t_ms)
			prev = st->t_ms;
	}
	if (!err && !s->skipped && !s->refused && cases < c.tests)
		err = unfinished_case(pf, s);

	err |= re_hprintf(pf, "    <system-out>%H</system-out>\n"
			  "    <system-err></system-err>\n", xml_escape_text,
			  s->console ? s->console : "");

	return err | re_hprintf(pf, "  </testsuite>\n");
}


/** Print the report as junit.xml */
int report_junit_print(struct re_printf *pf, const struct report *rp)
{
	struct le *le;
	unsigned id = 0;
	int err;

	if (!pf || !rp)
		return EINVAL;

	err = re_hprintf(pf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<testsuites>\n");
	for (le = rp->scns.head; le && !err; le = le->next)
		err = testsuite(pf, rp, le->data, id++);

	return err | re_hprintf(pf, "</testsuites>\n");
}


/** Write junit.xml: 0, or why it is not whole (errno) */
int report_write_junit(const struct report *rp, const char *path)
{
	struct wfile wf;
	struct re_printf pf = {wfile_print_h, &wf};
	int err;

	if (!rp || !path)
		return EINVAL;

	err = wfile_open(&wf, path, "w");
	if (err)
		return err;

	err = report_junit_print(&pf, rp);
	if (wfile_close(&wf))
		err = wf.err;     /* the write's own reason, not a sum */

	return err;
}
