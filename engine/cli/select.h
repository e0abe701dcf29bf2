/* engine/cli/select.h — which loaded scenarios a run plays: --tag,
 * --filter, --rerun-failed, then --shard; --list prints them */
#ifndef SIPFLOW_SELECT_H
#define SIPFLOW_SELECT_H

#include <regex.h>

struct scenario;
struct testbed;

struct select {
	const char **tags;       /* --tag, any of them */
	size_t ntags;
	regex_t re;              /* --filter, if has_re */
	const char *regex;       /* … as given */
	bool has_re;
	char **failed;           /* --rerun-failed: names that did not
				    pass, if rerun */
	size_t nfailed;
	bool rerun;
	const char *rerun_dir;
	unsigned shard_k, shard_n;   /* --shard K/N, 1/1 */
	size_t idx;              /* scenarios past the filters so far */
};

void select_init(struct select *s, const char **tags);
void select_reset(struct select *s);
int  select_filter(struct select *s, const char *regex);
int  select_shard(struct select *s, const char *arg);
int  select_rerun(struct select *s, const char *outdir);
bool select_keep(struct select *s, const struct scenario *sc);
void select_all(struct select *s, struct list *scs, struct list *all);
int  select_empty(const struct select *s, const struct list *scs,
		  size_t nflows);
int  select_list(const struct list *scs, const struct testbed *tb);

#endif
