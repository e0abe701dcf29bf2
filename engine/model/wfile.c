/* engine/model/wfile.c — a file written whole, or the reason it is not
 *
 * Every file sipflow writes (captures, reports) goes through this: the
 * first write, flush or close that fails is kept with its errno — "No
 * space left on device", not a bare EIO — later writes are not tried
 * (the file is broken already), and wfile_close returns it, so the
 * caller can fail the run naming the file and why. Writes gather in the
 * wfile's own buffer first: stdio's fwrite costs ~100 instructions a call
 * whatever its size, and a report is printed a few bytes at a time. An
 * error of a buffered write shows at the next push (a full buffer,
 * wfile_flush, wfile_close), as stdio's own buffering already did.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "wfile.h"


static int fail(struct wfile *wf)
{
	if (!wf->err)
		wf->err = errno ? errno : EIO;

	return wf->err;
}


/** Open path with fopen's mode; errno when it cannot be */
int wfile_open(struct wfile *wf, const char *path, const char *mode)
{
	if (!wf || !path || !mode)
		return EINVAL;

	wf->err = 0;
	wf->n = 0;
	errno = 0;
	wf->f = fopen(path, mode);
	if (!wf->f)
		return fail(wf);

	return 0;
}


/* 0 when wf can be written to, else why not (kept) */
static int ready(struct wfile *wf)
{
	if (!wf)
		return EINVAL;
	if (!wf->err && !wf->f)
		wf->err = EBADF;

	return wf->err;
}


/* hand n bytes at p to stdio */
static int put(struct wfile *wf, const void *p, size_t n)
{
	errno = 0;
	if (n && fwrite(p, 1, n, wf->f) != n)
		return fail(wf);

	return 0;
}


/* hand what buf holds to stdio */
static int push(struct wfile *wf)
{
	size_t n = wf->n;

	wf->n = 0;
	return put(wf, wf->buf, n);
}


/** Write n bytes; the first error from then on */
int wfile_write(struct wfile *wf, const void *p, size_t n)
{
	int err = ready(wf);

	if (err || !n)
		return err;

	if (n <= sizeof(wf->buf) - wf->n) {
		memcpy(wf->buf + wf->n, p, n);
		wf->n += n;
		return 0;
	}

	err = push(wf);
	if (err)
		return err;
	if (n >= sizeof(wf->buf))
		return put(wf, p, n);

	memcpy(wf->buf, p, n);
	wf->n = n;
	return 0;
}


/** A re_printf handler writing to the struct wfile at arg */
int wfile_print_h(const char *p, size_t size, void *arg)
{
	return wfile_write(arg, p, size);
}


/** Push what is buffered to the file */
int wfile_flush(struct wfile *wf)
{
	int err = ready(wf);

	if (err)
		return err;

	err = push(wf);
	if (err)
		return err;

	errno = 0;
	if (fflush(wf->f))
		return fail(wf);

	return 0;
}


/** Close the file: 0 when every byte reached it, else the first error */
int wfile_close(struct wfile *wf)
{
	if (!wf)
		return EINVAL;
	if (!wf->f)
		return wf->err;

	if (!wf->err)
		(void)push(wf);
	wf->n = 0;
	errno = 0;
	if (fflush(wf->f) || ferror(wf->f))
		(void)fail(wf);
	errno = 0;
	if (fclose(wf->f))
		(void)fail(wf);
	wf->f = NULL;

	return wf->err;
}
