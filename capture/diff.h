/* capture/diff.h — regression comparison of two captures */
#ifndef SIPFLOW_DIFF_H
#define SIPFLOW_DIFF_H

struct diff_capture;

struct diff_opts {
	const char *const *ignore;   /* headers not compared at all */
	size_t nignore;
	const char *const *keep;     /* headers compared exactly, unmasked */
	size_t nkeep;
	uint32_t tolerance_ms;       /* timing shifts below this are equal */
};

/** One difference, as the report lists it */
struct diff_item {
	struct le le;
	unsigned call;
	char *where;                 /* "F5 302 Moved Temporarily 3->2" */
	char *what;                  /* "status", "header Record-Route", … */
	char *old, *new;             /* NULL where one side has nothing */
};

int diff_load(struct diff_capture **dcp, const char *path,
	      const struct diff_opts *o, char **why);
unsigned diff_capture_msgs(const struct diff_capture *dc);
unsigned diff_capture_calls(const struct diff_capture *dc);
int diff_captures(struct list *items, struct diff_capture *a,
		  struct diff_capture *b, const struct diff_opts *o);
int diff_print(struct re_printf *pf, const struct list *items);
int diff_print_json(struct re_printf *pf, const struct list *items);

#endif
