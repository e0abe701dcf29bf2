/* agents/hil/hil_baresip_reset.c — reset a baresip: make it quit, start
 * it again, and wait until its control socket answers.
 *
 * baresip's control socket has `quit` (menu's long command), and no
 * command that restarts it; the testbed gives the shell command that
 * starts it (driver: {start: "baresip -f DIR >DIR/log 2>&1 &"}). A reset
 *   1. sends quit; baresip closes its control connection as it exits
 *   2. runs start: (it must end: a program left in the background sends
 *      its output elsewhere)
 *   3. connects to the control socket again, every RETRY_MS, until it
 *      answers: the device is back
 * all within the reset's bound (testbed reset: {timeout:}), whose message
 * names the phase it was in. The connection closing on the way is the
 * reset, not a lost device.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "hil_priv.h"
#include "hil_baresip.h"


enum { RETRY_MS = 100 };


const char *bsip_reset_check(const struct hil_cfg *cfg)
{
	return cfg->start ? NULL
		: "baresip's control socket can make it quit, not start "
		  "again: the testbed gives no start: command (driver: "
		  "{start: \"baresip -f DIR >DIR/log 2>&1 &\"})";
}


static void retry_h(void *arg)
{
	struct bsip *b = arg;
	int err;

	if (!b->h->doneh) {   /* the reset's bound ran out */
		b->rs = BSIP_RS_NONE;
		hil_lost(b->h, "baresip at %s did not come back after its "
			 "reset", b->h->cfg->control);
		return;
	}

	err = bsip_connect(b);

	if (err)
		hil_done(b->h, err, "cannot connect to baresip's control "
			 "socket at %s: %m", b->h->cfg->control, err);
}


static void started_h(int err, const char *why, void *arg)
{
	struct bsip *b = arg;

	b->cmd_run = mem_deref(b->cmd_run);
	if (err) {
		b->rs = BSIP_RS_NONE;
		hil_done(b->h, err, "baresip's start: command failed: %s",
			 why ? why : "no reason given");
		return;
	}

	b->rs = BSIP_RS_CONNECT;
	hil_waiting(b->h, "its start: command ended, but baresip's control "
		    "socket at %s does not answer", b->h->cfg->control);
	retry_h(b);
}


/** The control connection closed during a reset: baresip quit (then
 *  start it), or it is not listening yet (then try again) */
void bsip_reset_closed(struct bsip *b, int err)
{
	int e;

	if (b->rs == BSIP_RS_CONNECT) {
		hil_waiting(b->h, "baresip's control socket at %s does not "
			    "answer: %m", b->h->cfg->control,
			    err ? err : ECONNRESET);
		tmr_start(&b->retry, RETRY_MS, retry_h, b);
		return;
	}

	b->rs = BSIP_RS_START;
	hil_note(b->h, "baresip quit; starting it again: %s",
		 b->h->cfg->start);
	hil_waiting(b->h, "its start: command did not end");
	e = hil_cmd_start(&b->cmd_run, b->h->cfg->start, started_h, b);
	if (e) {
		b->rs = BSIP_RS_NONE;
		hil_done(b->h, e, "cannot run baresip's start: command: %m",
			 e);
	}
}


/** The control socket answers again: the device is back */
void bsip_reset_back(struct bsip *b)
{
	b->rs = BSIP_RS_NONE;
	hil_note(b->h, "baresip is back after its reset");
	hil_done(b->h, 0, NULL);
}


static void quit_answered(struct bsip *b, bool ok, const char *data)
{
	if (ok)
		return;   /* it closes the connection as it exits */

	b->rs = BSIP_RS_NONE;
	hil_done(b->h, EPROTO, "baresip refused to quit%s%s",
		 str_isset(data) ? ": " : "", str_isset(data) ? data : "");
}


/** provision: its accounts file written for role r, then the reset that
 *  makes baresip read it (it registers by itself, regint) */
int bsip_provision_act(struct bsip *b, const struct role *r)
{
	char *why = NULL;
	int err = hil_prov_baresip(b->h, r, &why);

	if (err) {
		hil_done(b->h, err, "%s", why ? why : "cannot provision it");
		mem_deref(why);
		return 0;
	}

	return bsip_reset_act(b);
}


int bsip_reset_act(struct bsip *b)
{
	int err;

	if (!b->h->cfg->start)
		return ENOTSUP;

	err = bsip_send(b, "quit", NULL);
	if (err)
		return err;

	b->then = quit_answered;
	b->rs = BSIP_RS_QUIT;
	hil_sent(b->h);
	hil_waiting(b->h, "baresip at %s did not quit: its control "
		    "connection stayed open", b->h->cfg->control);

	return 0;
}
