/* engine/cli/cli.h — the command line's commands and what they share */
#ifndef SIPFLOW_CLI_H
#define SIPFLOW_CLI_H

struct report;
struct testbed;
struct diag;

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_BAD = 2 };

/** Scenario files found on the command line, in order */
struct files {
	char **v;
	size_t n, cap;
};

int  files_add(struct files *fl, const char *path);
void files_free(struct files *fl);
int  collect(struct files *fl, const char *path, unsigned depth);
int  mkdirs(const char *path);
int  cli_testbed(struct testbed **tbp, const char *file,
		 const char **roles, size_t nroles, struct diag *dg);
int  stdout_flush(void);
int  write_reports(const struct report *rp, const char *outdir,
		   const char *junit);

int cmd_run(int argc, char *argv[]);
int cmd_lint(int argc, char *argv[]);
int cmd_ladder(int argc, char *argv[]);
int cmd_diff(int argc, char *argv[]);
int cmd_verify(int argc, char *argv[]);
int cmd_merge(int argc, char *argv[]);
int cmd_record(int argc, char *argv[]);
int cmd_torture(int argc, char *argv[]);
int cmd_scenario(int argc, char *argv[]);
int cmd_rules(int argc, char *argv[]);
int cmd_version(int argc, char *argv[]);
int cmd_help(int argc, char *argv[]);

#endif
