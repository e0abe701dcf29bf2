/* engine/load/textfile.c — reading a scenario, block or testbed file:
 * a regular file only, never blocking, never more than a bound
 *
 * A FIFO given as a file (or as an include:) would block the open and the
 * read for ever; /dev/zero never ends; a /proc file says its size is 0;
 * a directory cannot be read. So the file is opened without blocking,
 * looked at (fstat) before a byte is read, and anything but a regular
 * file is refused naming what it is. Its size is read, not believed: the
 * read stops one byte past the bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "textfile.h"


/* what a file of this mode is, when it is not a regular file */
static const char *mode_kind(mode_t m)
{
	static const struct {
		mode_t type;
		const char *why;
	} kinds[] = {
		{S_IFDIR,  "it is a directory, not a file"},
		{S_IFIFO,  "it is a FIFO, not a regular file"},
		{S_IFCHR,  "it is a character device, not a regular file"},
		{S_IFBLK,  "it is a block device, not a regular file"},
		{S_IFSOCK, "it is a socket, not a regular file"},
	};
	size_t i;

	if (S_ISREG(m))
		return NULL;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if ((m & S_IFMT) == kinds[i].type)
			return kinds[i].why;
	}

	return "it is not a regular file";
}


/** Why a file that exists is not a regular file ("it is a FIFO, …"), or
 *  NULL (a regular file, or one stat cannot see: opening it says why) */
const char *textfile_kind(const char *file)
{
	struct stat st;

	if (!file || stat(file, &st))
		return NULL;

	return mode_kind(st.st_mode);
}


/* read fd to its end into a new NUL-terminated text; EFBIG past max */
static int read_all(char **textp, size_t *lenp, int fd, size_t hint,
		    size_t max)
{
	size_t cap = (hint < max ? hint : max) + 1, len = 0;
	char *text = mem_alloc(cap + 1, NULL);
	int err = 0;

	if (!text)
		return ENOMEM;

	/* each pass reads at least a byte or ends: at most max + 1 bytes */
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *t;

			if (cap > max) {
				err = EFBIG;
				break;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			t = mem_realloc(text, cap + 1);
			if (!t) {
				err = ENOMEM;
				break;
			}
			text = t;
		}

		n = read(fd, text + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno ? errno : EIO;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (!err && len > max)
		err = EFBIG;

	if (err) {
		mem_deref(text);
		return err;
	}

	text[len] = '\0';
	*textp = text;
	*lenp = len;

	return 0;
}


/**
 * Read a whole regular file of at most max bytes into a NUL-terminated
 * text (mem); *lenp is its length (it may hold a NUL: the YAML parser
 * says where). 0, or an error and why: an errno of open or read (*whyp
 * NULL: say "%m"), EFBIG (larger than max, *whyp NULL), or EINVAL with
 * *whyp saying what it is instead ("it is a FIFO, not a regular file").
 */
int textfile_read(char **textp, size_t *lenp, const char *file,
		  size_t max, const char **whyp)
{
	struct stat st;
	const char *why;
	int fd, err;

	if (whyp)
		*whyp = NULL;
	if (!textp || !lenp || !file)
		return EINVAL;

	/* O_NONBLOCK: a FIFO without a writer must not hold the open */
	fd = open(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno ? errno : EIO;

	if (fstat(fd, &st)) {
		err = errno ? errno : EIO;
		(void)close(fd);
		return err;
	}

	why = mode_kind(st.st_mode);
	if (why) {
		(void)close(fd);
		if (whyp)
			*whyp = why;
		return EINVAL;
	}

	/* st_size is a hint only (a /proc file says 0) */
	err = read_all(textp, lenp, fd,
		       st.st_size > 0 ? (size_t)st.st_size : 4096, max);
	(void)close(fd);

	return err;
}
