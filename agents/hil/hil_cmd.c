/* agents/hil/hil_cmd.c — a shell command run for a driver (exec's verbs,
 * baresip's start: after a reset): its output read without blocking, its
 * end reaped from the event loop, reported to the driver with the exit
 * status and the command's last line of output */
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <re.h>
#include "scenario.h"
#include "hil_priv.h"


enum { OUT_MAX = 4096, REAP_MS = 5, FD_SCAN_MAX = 65536 };

struct hil_cmd {
	pid_t pid;
	int fd;                  /* the command's stdout and stderr */
	struct mbuf *out;
	struct tmr tmr;
	hil_cmd_h *endh;
	void *arg;
};


static void stop(struct hil_cmd *x)
{
	tmr_cancel(&x->tmr);
	if (x->fd >= 0) {
		fd_close(x->fd);
		(void)close(x->fd);
		x->fd = -1;
	}
	if (x->pid > 0) {
		(void)kill(x->pid, SIGKILL);
		(void)waitpid(x->pid, NULL, 0);
		x->pid = 0;
	}
}


/* the last non-empty line of what the command printed */
static int last_line(struct re_printf *pf, const struct mbuf *mb)
{
	size_t end = mb->end, start;

	while (end && (mb->buf[end - 1] == '\n' || mb->buf[end - 1] == '\r'))
		--end;
	start = end;
	while (start && mb->buf[start - 1] != '\n')
		--start;

	return re_hprintf(pf, "%b", mb->buf + start, end - start);
}


static void end(struct hil_cmd *x, int err, const char *fmt, ...)
{
	hil_cmd_h *endh = x->endh;
	char *why = NULL;
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		(void)re_vsdprintf(&why, fmt, ap);
		va_end(ap);
	}
	x->endh = NULL;
	if (endh)
		endh(err, why, x->arg);
	mem_deref(why);
}


static void reap_h(void *arg)
{
	struct hil_cmd *x = arg;
	int status = 0;
	pid_t p = waitpid(x->pid, &status, WNOHANG);

	if (p == 0) {
		tmr_start(&x->tmr, REAP_MS, reap_h, x);
		return;
	}
	x->pid = 0;

	if (p > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		end(x, 0, NULL);
	else if (p > 0 && WIFEXITED(status))
		end(x, EPROTO, "the command exited with %d: %H",
		    WEXITSTATUS(status), last_line, x->out);
	else
		end(x, EPROTO, "the command was killed (signal %d): %H",
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0, last_line,
		    x->out);
}


static void read_h(int flags, void *arg)
{
	struct hil_cmd *x = arg;
	uint8_t buf[512];
	ssize_t n;
	(void)flags;

	n = read(x->fd, buf, sizeof(buf));
	if (n > 0) {
		if (x->out->end + (size_t)n <= OUT_MAX)
			(void)mbuf_write_mem(x->out, buf, (size_t)n);
		return;
	}

	/* closed: the command is ending */
	fd_close(x->fd);
	(void)close(x->fd);
	x->fd = -1;
	reap_h(x);
}


static void destructor(void *data)
{
	struct hil_cmd *x = data;

	stop(x);
	mem_deref(x->out);
}


/* in the child: the run's sockets (every role's SIP and RTP, the pcap)
 * are not the command's. A command that outlives the run (a slow one
 * killed at its end leaves its children) would hold them and the next
 * run could not listen on its addresses */
static void close_inherited(void)
{
	long max = sysconf(_SC_OPEN_MAX);
	int fd;

	if (max < 0 || max > FD_SCAN_MAX)
		max = FD_SCAN_MAX;
	for (fd = STDERR_FILENO + 1; fd < max; fd++)
		(void)close(fd);
}


/**
 * Run line with /bin/sh; endh hears its end from the event loop (exit 0:
 * err 0). A command that leaves a program running in the background must
 * send that program's output elsewhere: the command has ended when its
 * output closes. Dereferencing *xp kills a command still running.
 */
int hil_cmd_start(struct hil_cmd **xp, const char *line, hil_cmd_h *endh,
		  void *arg)
{
	struct hil_cmd *x;
	int pfd[2], err;
	pid_t pid;

	if (!xp || !line || !endh)
		return EINVAL;

	x = mem_zalloc(sizeof(*x), destructor);
	if (!x)
		return ENOMEM;
	x->fd = -1;
	x->endh = endh;
	x->arg = arg;
	tmr_init(&x->tmr);
	x->out = mbuf_alloc(256);
	if (!x->out) {
		mem_deref(x);
		return ENOMEM;
	}

	if (pipe(pfd)) {
		err = errno;
		mem_deref(x);
		return err;
	}

	pid = fork();
	if (pid < 0) {
		err = errno;
		(void)close(pfd[0]);
		(void)close(pfd[1]);
		mem_deref(x);
		return err;
	}
	if (pid == 0) {
		(void)dup2(pfd[1], STDOUT_FILENO);
		(void)dup2(pfd[1], STDERR_FILENO);
		(void)close(pfd[0]);
		(void)close(pfd[1]);
		close_inherited();
		execl("/bin/sh", "sh", "-c", line, (char *)NULL);
		_exit(127);
	}

	(void)close(pfd[1]);
	(void)fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
	x->pid = pid;
	x->fd = pfd[0];

	err = fd_listen(x->fd, FD_READ, read_h, x);
	if (err)
		mem_deref(x);
	else
		*xp = x;

	return err;
}
