/* engine/model/diag.c — collect errors and warnings, each with its place */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "esc.h"


static void item_destructor(void *data)
{
	struct diag_item *it = data;

	list_unlink(&it->le);
	mem_deref(it->text);
}


/** Start an empty list */
void diag_init(struct diag *dg)
{
	if (!dg)
		return;

	list_init(&dg->items);
	dg->nerr = 0;
	dg->nwarn = 0;
}


/** Drop all diagnostics */
void diag_reset(struct diag *dg)
{
	if (!dg)
		return;

	list_flush(&dg->items);
	dg->nerr = 0;
	dg->nwarn = 0;
}


static int vadd(struct diag *dg, bool warning, const char *file,
		const struct srcpos *pos, const char *fmt, va_list ap)
{
	const char *wtag = warning ? "warning: " : "";
	struct diag_item *it;
	char *msg = NULL;
	int err;

	if (!dg)
		return EINVAL;

	err = re_vsdprintf(&msg, fmt, ap);
	if (err)
		return err;

	it = mem_zalloc(sizeof(*it), item_destructor);
	if (!it) {
		mem_deref(msg);
		return ENOMEM;
	}

	/* a value quoted from the file may hold what YAML's escapes make
	 * (a "\e[31m"): shown as \xNN, never sent to the terminal raw */
	if (file && pos && pos->line)
		err = re_sdprintf(&it->text, "%H:%u:%u: %s%H", esc_term_str,
				  file, pos->line, pos->col, wtag,
				  esc_term_str, msg);
	else if (file)
		err = re_sdprintf(&it->text, "%H: %s%H", esc_term_str, file,
				  wtag, esc_term_str, msg);
	else
		err = re_sdprintf(&it->text, "%s%H", wtag, esc_term_str,
				  msg);
	mem_deref(msg);
	if (err) {
		mem_deref(it);
		return err;
	}

	it->warning = warning;
	list_append(&dg->items, &it->le, it);
	if (warning)
		++dg->nwarn;
	else
		++dg->nerr;

	return 0;
}


/** Add an error at file:pos; pos or file may be NULL */
int diag_err(struct diag *dg, const char *file, const struct srcpos *pos,
	     const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vadd(dg, false, file, pos, fmt, ap);
	va_end(ap);

	return err;
}


/** Add a warning at file:pos */
int diag_warn(struct diag *dg, const char *file, const struct srcpos *pos,
	      const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vadd(dg, true, file, pos, fmt, ap);
	va_end(ap);

	return err;
}


/** Print every diagnostic, one a line */
int diag_print(struct re_printf *pf, const struct diag *dg)
{
	struct le *le;
	int err = 0;

	if (!dg)
		return 0;

	for (le = dg->items.head; le && !err; le = le->next) {
		const struct diag_item *it = le->data;
		err = re_hprintf(pf, "%s\n", it->text);
	}

	return err;
}


/** The text of the first error, or NULL */
const char *diag_first(const struct diag *dg)
{
	struct le *le;

	for (le = dg ? dg->items.head : NULL; le; le = le->next) {
		const struct diag_item *it = le->data;
		if (!it->warning)
			return it->text;
	}

	return NULL;
}


static bool same(char a, char b)
{
	return (a | 0x20) == (b | 0x20);
}


/* optimal string alignment distance, letters compared without case: an
 * insertion, a deletion, a substitution or two neighbours swapped is one
 * edit each ("tga" is one from "tag") */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][64];
	size_t *prev2 = rows[0], *prev = rows[1], *row = rows[2];
	size_t i, j;

	if (la >= 63 || lb >= 63)
		return (size_t)-1;

	for (j = 0; j <= lb; j++)
		prev[j] = j;

	for (i = 1; i <= la; i++) {
		size_t *t;

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] +
				(same(a[i - 1], b[j - 1]) ? 0 : 1);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) &&
			    same(a[i - 2], b[j - 1]) &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			row[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = row;
		row = t;
	}

	return prev[lb];
}


/** The choice closest to word (edit distance, a swap of neighbours one
 *  edit), or NULL if none is close */
const char *diag_suggest(const char *word, const char *const *choices,
			 size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	size_t i, limit;

	if (!word || !choices)
		return NULL;

	limit = strlen(word) <= 4 ? 1 : (strlen(word) <= 8 ? 2 : 3);

	for (i = 0; i < n; i++) {
		size_t d = distance(word, choices[i]);
		if (d < bestd) {
			bestd = d;
			best = choices[i];
		}
	}

	return bestd <= limit ? best : NULL;
}
