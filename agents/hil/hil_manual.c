/* agents/hil/hil_manual.c — a person at the phone: each verb becomes a
 * prompt ("Phone A: dial bob (sip:bob@example.test) — press Enter when
 * done, or type: fail WHY"), the answer a line on the input (standard
 * input, or the testbed's input: file or FIFO), bounded by timeout: */
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <re.h>
#include "scenario.h"
#include "hil_priv.h"
#include "agent.h"


enum { LINE_MAX_ = 512 };

struct person {
	struct hil *h;
	int in;                  /* where answers come from */
	bool own_in;             /* opened here (not standard input) */
	FILE *out;               /* where prompts go */
	bool own_out;
	struct mbuf *line;       /* an answer being typed */
	bool asking;
	bool listening;          /* asked whether they hear the call */
	int said;                /* … their word: HEARD_* */
	char *words;
};

/* what to ask a person to do, per verb */
static const char *const asks[DO_NVERBS] = {
	[DO_DIAL]       = "dial {user} ({uri})",
	[DO_ANSWER]     = "answer the ringing call",
	[DO_REJECT]     = "reject the ringing call",
	[DO_HANGUP]     = "hang up (or cancel the call while it rings)",
	[DO_HOLD]       = "put the call on hold",
	[DO_RESUME]     = "resume the held call",
	[DO_TRANSFER]   = "transfer the call to {user} ({uri})",
	[DO_DTMF]       = "press the keys {digits} during the call",
	[DO_REGISTER]   = "register the phone (its SIP account on)",
	[DO_UNREGISTER] = "unregister the phone (its SIP account off)",
	[DO_SET]        = "set the phone's {setting} to {value}",
	[DO_RESET]      = "restart the phone (power it off and on); answer "
			  "once it is back (idle, its line registered)",
};


static const char *check(const struct hil_cfg *cfg, const struct do_spec *d)
{
	(void)cfg;

	if (!asks[d->verb])
		return "no person can do that at a phone's keypad";

	return NULL;
}


/* "y" or "yes" (then their words): audio in the handset; "n", "no" or
 * anything else: nothing */
static void heard(struct person *p, const char *s)
{
	size_t w;

	while (*s == ' ' || *s == '\t')
		++s;
	w = strcspn(s, " \t:,");

	p->listening = false;
	p->said = (w == 1 && (*s == 'y' || *s == 'Y')) ||
		(w == 3 && !strncasecmp(s, "yes", 3)) ? HEARD_AUDIO
		: HEARD_NONE;
	if ((w == 1 && (*s == 'n' || *s == 'N')) ||
	    (w == 2 && !strncasecmp(s, "no", 2)) || p->said == HEARD_AUDIO)
		s += w;
	while (*s == ' ' || *s == '\t' || *s == ':' || *s == ',')
		++s;
	p->words = mem_deref(p->words);
	if (*s)
		(void)str_dup(&p->words, s);
}


/* one answer: empty, ok, y, done → done; n, no, fail WHY → failed */
static void answer(struct person *p, const char *s)
{
	if (p->listening) {
		heard(p, s);
		return;
	}
	if (!p->asking)
		return;
	p->asking = false;

	while (*s == ' ' || *s == '\t')
		++s;

	if (!*s || !str_casecmp(s, "ok") || !str_casecmp(s, "y") ||
	    !str_casecmp(s, "yes") || !str_casecmp(s, "done")) {
		hil_done(p->h, 0, NULL);
		return;
	}
	if (!strncasecmp(s, "fail", 4))
		s += 4;
	else if (!str_casecmp(s, "n") || !str_casecmp(s, "no"))
		s = "";
	while (*s == ' ' || *s == ':')
		++s;

	hil_done(p->h, EPROTO, "the person at the phone said it could not "
		 "be done%s%s", *s ? ": " : "", s);
}


static void read_h(int flags, void *arg)
{
	struct person *p = arg;
	char buf[256];
	ssize_t n, i;
	(void)flags;

	n = read(p->in, buf, sizeof(buf));
	if (n <= 0) {
		fd_close(p->in);
		hil_lost(p->h, "the prompts' input closed: no one is at the "
			 "phone to act");
		return;
	}

	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (p->line->end < LINE_MAX_ && buf[i] != '\r')
				(void)mbuf_write_u8(p->line, (uint8_t)buf[i]);
			continue;
		}
		(void)mbuf_write_u8(p->line, 0);
		answer(p, (const char *)p->line->buf);
		mbuf_rewind(p->line);
	}
}


static void destructor(void *data)
{
	struct person *p = data;

	mem_deref(p->words);
	if (p->in >= 0) {
		fd_close(p->in);
		if (p->own_in)
			(void)close(p->in);
	}
	if (p->out && p->own_out)
		(void)fclose(p->out);
	mem_deref(p->line);
}


static int open_(struct hil *h)
{
	const struct hil_cfg *cfg = h->cfg;
	struct person *p = mem_zalloc(sizeof(*p), destructor);
	struct stat sb;

	if (!p)
		return ENOMEM;
	p->h = h;
	p->in = -1;
	h->st = p;

	p->line = mbuf_alloc(64);
	if (!p->line)
		return ENOMEM;

	if (cfg->output) {
		/* never waits: a FIFO no one reads yet is an error (ENXIO),
		 * not a process stuck in open() */
		int fd = open(cfg->output, O_WRONLY | O_APPEND | O_CREAT |
			      O_NONBLOCK | O_CLOEXEC, 0644);

		p->out = fd < 0 ? NULL : fdopen(fd, "a");
		if (!p->out) {
			int err = errno;

			if (fd >= 0)
				(void)close(fd);
			return err;
		}
		p->own_out = true;
	}
	else {
		p->out = stderr;
	}

	if (cfg->input) {
		/* a FIFO opened for writing too never blocks nor ends */
		bool fifo = !stat(cfg->input, &sb) && S_ISFIFO(sb.st_mode);

		p->in = open(cfg->input, (fifo ? O_RDWR : O_RDONLY) |
			     O_CLOEXEC);
		if (p->in < 0)
			return errno;
		p->own_in = true;
	}
	else {
		p->in = STDIN_FILENO;
	}

	hil_set_ready(h);

	return fd_listen(p->in, FD_READ, read_h, p);
}


static int act(struct hil *h, const struct do_spec *d, const char *uri)
{
	struct person *p = h->st;
	uint32_t t = h->bound_ms;
	char *what = NULL;
	int err;

	err = hil_subst(&what, asks[d->verb], h, d, uri, false);
	if (err)
		return err;

	(void)re_fprintf(p->out, "[sipflow] Phone %s: %s — press Enter when "
			 "done, or type: fail WHY (%u s)\n", h->role, what,
			 t / 1000);
	(void)fflush(p->out);
	hil_sent(h);
	hil_note(h, "asked: %s", what);
	mem_deref(what);

	mbuf_rewind(p->line);
	p->asking = true;

	return 0;
}


/*
 * A media window towards the device opens: the person is asked whether
 * they hear the call in the handset (the device has no recording). Their
 * y or n while the window lasts is the verdict of that direction (the
 * runner's run_heard.c); no answer by its end is said as such.
 */
static int listen_ask(const struct hil *h)
{
	struct person *p = h->st;

	p->listening = true;
	p->said = HEARD_NO_WORD;
	p->words = mem_deref(p->words);
	(void)re_fprintf(p->out, "[sipflow] Phone %s: listen: do you hear "
			 "the call's audio (a tone) in the handset now? — "
			 "press y or n, then Enter, before the tone ends\n",
			 h->role);
	(void)fflush(p->out);

	return 0;
}


static int said(const struct hil *h, int *saidp, char **words)
{
	struct person *p = h->st;

	*saidp = p->said;
	*words = p->words ? mem_ref(p->words) : NULL;
	p->listening = false;

	return 0;
}


static const char *const keys[] = {"type", "timeout", "input", "output"};

const struct hil_driver hil_manual = {
	.type = "manual",
	.keys = keys,
	.nkeys = ARRAY_SIZE(keys),
	.required = NULL,
	.timeout_ms = 120000,
	.check = check,
	.open = open_,
	.act = act,
	.listen = listen_ask,
	.heard = said,
	.where = NULL,
};
