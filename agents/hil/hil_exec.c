/* agents/hil/hil_exec.c — any vendor's tooling: the testbed gives a shell
 * command per verb ({uri}, {user}, {digits}, {code}, {role} filled in,
 * each value single-quoted; set: runs once per setting with {setting}
 * and {value}); exit status 0 means done, anything else fails the step
 * with the command's last line of output */
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <re.h>
#include "scenario.h"
#include "hil_priv.h"


enum { OUT_MAX = 4096, REAP_MS = 5, FD_SCAN_MAX = 65536 };

struct xcmd {
	struct hil *h;
	pid_t pid;
	int fd;                  /* the command's stdout and stderr */
	struct mbuf *out;
	struct tmr tmr;
};


static const char *check(const struct hil_cfg *cfg, const struct do_spec *d)
{
	return cfg->cmd[d->verb] ? NULL
		: "the testbed gives no command for it (driver: commands:)";
}


static void stop(struct xcmd *x)
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


static void reap_h(void *arg)
{
	struct xcmd *x = arg;
	int status = 0;
	pid_t p = waitpid(x->pid, &status, WNOHANG);

	if (p == 0) {
		tmr_start(&x->tmr, REAP_MS, reap_h, x);
		return;
	}
	x->pid = 0;

	if (p > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		hil_done(x->h, 0, NULL);
	else if (p > 0 && WIFEXITED(status))
		hil_done(x->h, EPROTO, "the command exited with %d: %H",
			 WEXITSTATUS(status), last_line, x->out);
	else
		hil_done(x->h, EPROTO, "the command was killed (signal %d): "
			 "%H", WIFSIGNALED(status) ? WTERMSIG(status) : 0,
			 last_line, x->out);
}


static void read_h(int flags, void *arg)
{
	struct xcmd *x = arg;
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
	struct xcmd *x = data;

	stop(x);
	mem_deref(x->out);
}


static int open_(struct hil *h)
{
	struct xcmd *x = mem_zalloc(sizeof(*x), destructor);

	if (!x)
		return ENOMEM;
	x->h = h;
	x->fd = -1;
	tmr_init(&x->tmr);
	h->st = x;
	hil_set_ready(h);

	return 0;
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


static int act(struct hil *h, const struct do_spec *d, const char *uri)
{
	struct xcmd *x = h->st;
	char *line = NULL;
	int pfd[2], err;
	pid_t pid;

	stop(x);
	x->out = mem_deref(x->out);
	x->out = mbuf_alloc(256);
	if (!x->out)
		return ENOMEM;

	err = hil_subst(&line, h->cfg->cmd[d->verb], h, d, uri, true);
	if (err)
		return err;

	hil_note(h, "exec: %s", line);

	if (pipe(pfd)) {
		err = errno;
		mem_deref(line);
		return err;
	}

	pid = fork();
	if (pid < 0) {
		err = errno;
		(void)close(pfd[0]);
		(void)close(pfd[1]);
		mem_deref(line);
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

	hil_sent(h);
	mem_deref(line);
	(void)close(pfd[1]);
	(void)fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
	x->pid = pid;
	x->fd = pfd[0];

	return fd_listen(x->fd, FD_READ, read_h, x);
}


static const char *const keys[] = {"type", "commands", "timeout",
				    "recording"};

const struct hil_driver hil_exec = {
	.type = "exec",
	.keys = keys,
	.nkeys = ARRAY_SIZE(keys),
	.required = "commands",
	.timeout_ms = 10000,
	.check = check,
	.open = open_,
	.act = act,
	.where = NULL,
};
