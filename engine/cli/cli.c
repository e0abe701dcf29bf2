/* engine/cli/cli.c — what the commands share: finding scenario files,
 * making the output folder, writing the report files */
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





int files_add(struct files *fl, const char *path)
{
	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 16;
		char **v = realloc(fl->v, cap * sizeof(*v));
		if (!v)
			return ENOMEM;
		fl->v = v;
		fl->cap = cap;
	}

	fl->v[fl->n] = strdup(path);
	if (!fl->v[fl->n])
		return ENOMEM;
	++fl->n;

	return 0;
}


void files_free(struct files *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		free(fl->v[i]);
	free(fl->v);
}


static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}


static bool is_yaml(const char *name)
{
	size_t l = strlen(name);

	return (l > 5 && !strcmp(name + l - 5, ".yaml")) ||
	       (l > 4 && !strcmp(name + l - 4, ".yml"));
}


/* a file as given, or every *.yaml below a folder, sorted */
int collect(struct files *fl, const char *path, unsigned depth)
{
	struct stat st;
	struct dirent *de;
	size_t first = fl->n;
	DIR *d;
	int err = 0;

	if (stat(path, &st)) {
		re_fprintf(stderr, "%s: %m\n", path, errno);
		return errno;
	}

	if (!S_ISDIR(st.st_mode))
		return files_add(fl, path);

	if (depth > 8)
		return 0;

	d = opendir(path);
	if (!d) {
		re_fprintf(stderr, "%s: %m\n", path, errno);
		return errno;
	}

	while (!err && (de = readdir(d))) {
		char *sub = NULL;

		if (de->d_name[0] == '.')
			continue;

		/* as long as the path is (PATH_MAX, not a buffer of ours) */
		if (re_sdprintf(&sub, "%s%s%s", path,
				path[strlen(path) - 1] == '/' ? "" : "/",
				de->d_name)) {
			err = ENOMEM;
			break;
		}
		if (stat(sub, &st))
			;
		else if (S_ISDIR(st.st_mode))
			err = collect(fl, sub, depth + 1);
		else if (is_yaml(de->d_name))
			err = files_add(fl, sub);
		mem_deref(sub);
	}
	closedir(d);

	/* an empty directory added nothing: qsort's array may be NULL */
	if (!err && fl->n > first)
		qsort(fl->v + first, fl->n - first, sizeof(*fl->v), cmpstr);

	return err;
}


/**
 * The testbed of run's and torture's options: the --testbed file (or an
 * empty one), then each --role over it. EINVAL when one is wrong (dg
 * says why)
 */
int cli_testbed(struct testbed **tbp, const char *file,
		const char **roles, size_t nroles, struct diag *dg)
{
	size_t i;

	if (file ? testbed_load(tbp, file, dg) : testbed_alloc(tbp))
		return EINVAL;
	for (i = 0; i < nroles; i++) {
		if (testbed_add_arg(*tbp, roles[i], dg))
			return EINVAL;
	}

	return 0;
}


int mkdirs(const char *path)
{
	char *buf = NULL;
	char *p;
	int err = 0;

	/* the whole path: a cut one would make another directory */
	if (str_dup(&buf, path))
		return ENOMEM;
	for (p = buf + 1; *p && !err; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			err = errno;
		*p = '/';
	}
	if (!err && mkdir(buf, 0755) && errno != EEXIST)
		err = errno;
	mem_deref(buf);

	return err;
}



/* what a command printed has reached stdout: 0, or why not; EPIPE is
 * none (the reader stopped reading: its choice, as with | head) */
int stdout_flush(void)
{
	errno = 0;
	if (!fflush(stdout) && !ferror(stdout))
		return 0;

	return errno == EPIPE ? 0 : (errno ? errno : EIO);
}


/* report.json, junit.xml and report.html in the output folder (junit.xml
 * at junit when given): each that cannot be written whole is named on
 * stderr with why, the others are written all the same; 0 when all
 * were, else the first error */
int write_reports(const struct report *rp, const char *outdir,
		  const char *junit)
{
	static const struct {
		const char *name;
		int (*write)(const struct report *rp, const char *path);
	} files[] = {
		{"report.json", report_write_json},
		{"junit.xml", report_write_junit},
		{"report.html", report_write_html},
	};
	size_t i;
	int err, first = 0;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		char *path = NULL;

		if (junit && files[i].write == report_write_junit)
			err = str_dup(&path, junit);
		else
			err = re_sdprintf(&path, "%s/%s", outdir,
					  files[i].name);
		if (!err)
			err = files[i].write(rp, path);
		if (err)
			re_fprintf(stderr, "%s: cannot write: %m\n",
				   path ? path : files[i].name, err);
		if (err && !first)
			first = err;
		mem_deref(path);
	}

	return first;
}
