/* reports/html.c — report.html: one self-contained page, a ladder per
 * scenario
 *
 * The page carries the report's JSON in a <script type="application/json">
 * block, the links to the captures in another, and the script that draws
 * it (reports/html/report.js, with its stylesheet report.css, compiled in:
 * docs/decisions/0031-report-page-assets.md). No network resources.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "wfile.h"
#include "report.h"


/*
 * The report's JSON inside <script>: every "<", ">" and "&" — they occur
 * only inside JSON strings — as a JSON escape (\u003c …), so no text of
 * the JSON, whatever a peer sent, can end the element or open a tag.
 */
static int guard_h(const char *p, size_t size, void *arg)
{
	static const char hex[] = "0123456789abcdef";
	struct wfile *wf = arg;
	size_t i, run = 0;
	int err = 0;

	for (i = 0; i < size && !err; i++) {
		char u[6] = {'\\', 'u', '0', '0', 0, 0};

		if (p[i] != '<' && p[i] != '>' && p[i] != '&') {
			++run;
			continue;
		}
		u[4] = hex[(p[i] >> 4) & 0xf];
		u[5] = hex[p[i] & 0xf];
		err = wfile_write(wf, p + i - run, run);
		if (!err)
			err = wfile_write(wf, u, sizeof(u));
		run = 0;
	}

	return err ? err : wfile_write(wf, p + i - run, run);
}


/* the page's stylesheet and script: reports/html/report.css and .js,
 * compiled in by cmake/embed.cmake */
extern const char html_css[], html_js[];
extern const size_t html_css_len, html_js_len;

static const char head[] =
"<!DOCTYPE html>\n"
"<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
"<title>sipflow report</title>\n"
"<style>\n";

static const char body[] =
"</style></head><body>\n"
"<h1>sipflow report</h1><div id=\"summary\"></div>"
"<div id=\"scenarios\"></div>\n"
"<script type=\"application/json\" id=\"data\">\n";

static const char mid[] =
"\n</script>\n<script type=\"application/json\" id=\"page\">\n";

static const char script[] = "\n</script>\n<script>\n";

static const char tail[] = "</script></body></html>\n";


/* a byte a URL path may hold as it is (RFC 3986 unreserved, and "/") */
static bool url_plain(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("-._~/", c);
}


/* path, percent-encoded as a URL path */
static int url_print(struct re_printf *pf, const char *path)
{
	int err = 0;

	for (; *path && !err; path++) {
		if (url_plain(*path))
			err = re_hprintf(pf, "%c", *path);
		else
			err = re_hprintf(pf, "%%%02X", (uint8_t)*path);
	}

	return err;
}


/*
 * How the page links a scenario's capture: its path from the page's
 * folder when the capture is in that folder or below it (a report moved
 * with its captures keeps its links), else a file: URL of its real path;
 * the path as written when it cannot be resolved
 */
static int pcap_href(char **hrefp, const char *pcap, const char *dir)
{
	char real[PATH_MAX];
	size_t n = strlen(dir);

	if (!realpath(pcap, real))
		return re_sdprintf(hrefp, "%H", url_print, pcap);

	if (!strncmp(real, dir, n) && real[n] == '/')
		return re_sdprintf(hrefp, "%H", url_print, real + n + 1);

	return re_sdprintf(hrefp, "file://%H", url_print, real);
}


/* {"links": {pcap: href}}: what report.js reads besides the report */
static int page_print(struct re_printf *pf, const struct report *rp,
		      const char *path)
{
	struct odict *o = NULL, *links = NULL;
	char dir[PATH_MAX], *slash, *copy = NULL;
	struct le *le;
	int err;

	err = str_dup(&copy, path);
	if (err)
		return err;
	slash = strrchr(copy, '/');
	if (slash)
		*slash = '\0';
	if (!realpath(slash ? (*copy ? copy : "/") : ".", dir))
		dir[0] = '\0';
	mem_deref(copy);

	err = odict_alloc(&o, 8);
	err |= odict_alloc(&links, 8);
	for (le = rp->scns.head; le && !err; le = le->next) {
		const struct report_scn *s = le->data;
		char *href = NULL;

		if (!s->pcap)
			continue;
		err = pcap_href(&href, s->pcap, dir);
		if (!err)
			err = odict_entry_add(links, s->pcap, ODICT_STRING,
					      href);
		mem_deref(href);
	}
	if (!err)
		err = odict_entry_add(o, "links", ODICT_OBJECT, links);
	if (!err)
		err = json_encode_odict(pf, o);
	mem_deref(links);
	mem_deref(o);

	return err;
}


/** Write report.html: 0, or why it is not whole (errno) */
int report_write_html(const struct report *rp, const char *path)
{
	struct wfile wf;
	struct re_printf pf = {guard_h, &wf};
	int err;

	if (!rp || !path)
		return EINVAL;

	err = wfile_open(&wf, path, "w");
	if (err)
		return err;

	err = wfile_write(&wf, head, sizeof(head) - 1);
	if (!err)
		err = wfile_write(&wf, html_css, html_css_len);
	if (!err)
		err = wfile_write(&wf, body, sizeof(body) - 1);
	if (!err)
		err = report_json_print(&pf, rp);
	if (!err)
		err = wfile_write(&wf, mid, sizeof(mid) - 1);
	if (!err)
		err = page_print(&pf, rp, path);
	if (!err)
		err = wfile_write(&wf, script, sizeof(script) - 1);
	if (!err)
		err = wfile_write(&wf, html_js, html_js_len);
	if (!err)
		err = wfile_write(&wf, tail, sizeof(tail) - 1);

	if (wfile_close(&wf))
		err = wf.err;     /* the write's own reason */

	return err;
}
