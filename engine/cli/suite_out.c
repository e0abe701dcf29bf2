/* engine/cli/suite_out.c — a suite's console output in the suite's order,
 * however many scenarios play at once
 *
 * With one job each scenario prints as it plays. With several, each
 * scenario writes to a console of its own (a memory stream) as it plays
 * — step lines and notes exactly as one job would print them — and its
 * text goes out once every scenario before it in the suite's order has
 * gone out: the output of --jobs N is that of --jobs 1, but for the
 * timing figures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <re.h>
#include "console.h"
#include "suite_out.h"


/* one scenario's text, by its place in the suite */
struct held {
	struct console con;
	FILE *f;                   /* open while it is written */
	char *buf;
	size_t len;
	bool done;
};

struct suite_out {
	struct console *con;       /* where everything goes in the end */
	struct held *h;            /* per place; NULL with one job */
	unsigned total;
	unsigned shown;            /* places printed (or passed over) */
};


static void close_held(struct held *h)
{
	errno = 0;
	if (h->f && fclose(h->f) && !h->con.err)
		h->con.err = errno ? errno : ENOMEM;
	h->f = NULL;
}


static void destructor(void *data)
{
	struct suite_out *so = data;
	unsigned i;

	for (i = 0; so->h && i < so->total; i++) {
		close_held(&so->h[i]);
		free(so->h[i].buf);
	}
	mem_deref(so->h);
}


/** Output for total scenarios to con; parallel: more than one at once */
int suite_out_alloc(struct suite_out **sop, struct console *con,
		    unsigned total, bool parallel)
{
	struct suite_out *so;

	if (!sop || !con)
		return EINVAL;

	so = mem_zalloc(sizeof(*so), destructor);
	if (!so)
		return ENOMEM;

	so->con = con;
	so->total = total;
	if (parallel && total) {
		so->h = mem_zalloc(total * sizeof(*so->h), NULL);
		if (!so->h) {
			mem_deref(so);
			return ENOMEM;
		}
	}

	*sop = so;
	return 0;
}


/** The console the scenario at place order writes to */
struct console *suite_out_console(struct suite_out *so, unsigned order)
{
	struct held *h;

	if (!so->h || order >= so->total)
		return so->con;

	h = &so->h[order];
	if (!h->f && !h->done) {
		h->f = open_memstream(&h->buf, &h->len);
		if (!h->f)
			return so->con;  /* out of memory: printed at once */
		console_init(&h->con, h->f, so->con->quiet);
		h->con.color = so->con->color;
	}

	return h->f ? &h->con : so->con;
}


/* print the places that are done, up to the first that is not */
static void show(struct suite_out *so, bool all)
{
	while (so->shown < so->total) {
		struct held *h = &so->h[so->shown];

		if (!h->done && !all)
			break;
		close_held(h);
		errno = 0;
		if (h->buf && h->len &&
		    fwrite(h->buf, 1, h->len, so->con->f) != h->len &&
		    !so->con->err)
			so->con->err = errno ? errno : EIO;
		if (h->con.err && !so->con->err)
			so->con->err = h->con.err;
		free(h->buf);
		h->buf = NULL;
		++so->shown;
	}
	(void)console_err(so->con);
}


/** The scenario at place order said all it says (played, skipped or
 *  refused): out it goes once every place before it is out */
void suite_out_done(struct suite_out *so, unsigned order)
{
	if (!so || !so->h || order >= so->total)
		return;

	close_held(&so->h[order]);
	so->h[order].done = true;
	show(so, false);
}


/** The suite ended: whatever is held goes out, in order (a scenario not
 *  played leaves no gap) */
void suite_out_flush(struct suite_out *so)
{
	if (so && so->h)
		show(so, true);
}
