/* engine/model/diag.h — diagnostics: errors and warnings with
 * file:line:column */
#ifndef SIPFLOW_DIAG_H
#define SIPFLOW_DIAG_H

struct srcpos;

/** A list of diagnostics collected while loading or linting */
struct diag {
	struct list items;     /* struct diag_item */
	unsigned nerr;
	unsigned nwarn;
};

struct diag_item {
	struct le le;
	bool warning;
	char *text;            /* "file:line:col: message" */
};

void diag_init(struct diag *dg);
void diag_reset(struct diag *dg);
int  diag_err(struct diag *dg, const char *file, const struct srcpos *pos,
	      const char *fmt, ...);
int  diag_warn(struct diag *dg, const char *file, const struct srcpos *pos,
	       const char *fmt, ...);
int  diag_print(struct re_printf *pf, const struct diag *dg);
const char *diag_first(const struct diag *dg);
const char *diag_suggest(const char *word, const char *const *choices,
			 size_t n);

#endif
