/* agents/hil/hil_exec.c — any vendor's tooling: the testbed gives a shell
 * command per verb ({uri}, {user}, {digits}, {code}, {role} filled in,
 * each value single-quoted; set: runs once per setting with {setting}
 * and {value}); exit status 0 means done, anything else fails the step
 * with the command's last line of output (hil_cmd.c runs it) */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "secret.h"
#include "hil_priv.h"


struct xdrv {
	struct hil *h;
	struct hil_cmd *cmd;     /* the verb's command, while it runs */
};


static const char *check(const struct hil_cfg *cfg, const struct do_spec *d)
{
	return cfg->cmd[d->verb] ? NULL
		: "the testbed gives no command for it (driver: commands:)";
}


static void end_h(int err, const char *why, void *arg)
{
	struct xdrv *x = arg;

	hil_done(x->h, err, why ? "%s" : NULL, why);
}


static void destructor(void *data)
{
	struct xdrv *x = data;

	mem_deref(x->cmd);
}


static int open_(struct hil *h)
{
	struct xdrv *x = mem_zalloc(sizeof(*x), destructor);

	if (!x)
		return ENOMEM;
	x->h = h;
	h->st = x;
	hil_set_ready(h);

	return 0;
}


static int act(struct hil *h, const struct do_spec *d, const char *uri)
{
	struct xdrv *x = h->st;
	char *line = NULL;
	int err;

	x->cmd = mem_deref(x->cmd);

	err = hil_subst(&line, h->cfg->cmd[d->verb], h, d, uri, true);
	if (err)
		return err;

	/* the log line never shows a credential the command carries */
	hil_note(h, "exec: %H", secret_mask_print, line);
	err = hil_cmd_start(&x->cmd, line, end_h, x);
	if (!err)
		hil_sent(h);
	mem_deref(line);

	return err;
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
