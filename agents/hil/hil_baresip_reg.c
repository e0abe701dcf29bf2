/* agents/hil/hil_baresip_reg.c — register and unregister a baresip.
 *
 * baresip 1.0.0 (Debian 12) has no control command that registers or
 * unregisters an account (its menu has uanew, uadel, uafind, reginfo;
 * uareg came in later releases), so the driver makes the account anew
 * from the testbed's account line (driver: {account: "<sip:alice@…>;…"}):
 *   register    uadel AOR (it may not be there), then
 *               uanew LINE;regint=3600 — a new account with a
 *               registration interval registers at once
 *   unregister  uadel AOR — deleting a registered account sends its
 *               REGISTER with Expires: 0 (libre's sipreg) — then
 *               uanew LINE;regint=0, so the phone can still call
 * and then uafind AOR, which makes the new account the current one.
 * The role's testbed auth: goes into the line (auth_user, auth_pass):
 * the registrar role checks the same password. The line with it is
 * never printed; baresip echoes it in its own log (ctrl_tcp's answer to
 * uanew), so a lab password only. What the account had been set to over
 * the control socket (answermode) is the line's again.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "hil_priv.h"
#include "hil_baresip.h"


enum { REGINT = 3600 };


const char *bsip_reg_check(const struct hil_cfg *cfg, bool reg)
{
	/* a provisioned baresip's account is in its accounts file: deleting
	 * it unregisters it, and the next provision makes it anew */
	if (!reg && cfg->provision)
		return NULL;

	return cfg->account ? NULL
		: "the testbed gives it no account: line (baresip 1.0.0 "
		  "registers only an account it creates: driver: {account: "
		  "\"<sip:alice@example.test>;outbound=…\"})";
}


/* the address of record: what is in <…>, else up to the first ';' */
static int aor_of(struct pl *aor, const char *line)
{
	if (!re_regex(line, strlen(line), "<[^>]+>", aor))
		return 0;

	return re_regex(line, strlen(line), "[^;]+", aor);
}


/* the testbed's account line, else (provisioned) the role's AOR */
static const char *line_of(const struct bsip *b)
{
	return b->h->cfg->account ? b->h->cfg->account
		: b->h->aor ? b->h->aor : "";
}


/* CMD AOR: a command on the testbed's account */
static int send_aor(struct bsip *b, const char *cmd)
{
	struct pl aor;
	char *s = NULL;
	int err = aor_of(&aor, line_of(b));

	if (!err)
		err = pl_strdup(&s, &aor);
	if (!err)
		err = bsip_send(b, cmd, s);
	mem_deref(s);

	return err;
}


/* LINE without its regint, with ours and the role's credentials */
static int account_line(char **out, const struct hil *h, uint32_t regint)
{
	const char *line = h->cfg->account;
	struct mbuf *mb = mbuf_alloc(256);
	const char *p;
	int err = 0;

	if (!mb)
		return ENOMEM;

	for (p = line; *p && !err; ) {
		if (!strncmp(p, ";regint=", 8)) {
			p += 8;
			while (*p && *p != ';')
				++p;
			continue;
		}
		err = mbuf_write_u8(mb, (uint8_t)*p++);
	}
	err |= mbuf_printf(mb, ";regint=%u", regint);
	if (h->sip_user && h->sip_pass && !strstr(line, "auth_pass="))
		err |= mbuf_printf(mb, ";auth_user=%s;auth_pass=%s",
				   h->sip_user, h->sip_pass);

	mb->pos = 0;
	if (!err)
		err = mbuf_strdup(mb, out, mb->end);
	memset(mb->buf, 0, mb->size);
	mem_deref(mb);

	return err;
}


static void current(struct bsip *b, bool ok, const char *data)
{
	struct pl aor = PL_INIT;

	if (ok) {
		hil_done(b->h, 0, NULL);
		return;
	}

	(void)aor_of(&aor, line_of(b));
	hil_done(b->h, EPROTO, "baresip did not find its new account %r "
		 "(uafind: %s)", &aor, str_isset(data) ? data : "refused");
}


/* the account made, it becomes the one dial uses: baresip 1.0.0 does not
 * forget a deleted current account (a dial then fails with ENOMEM) */
static void created(struct bsip *b, bool ok, const char *data)
{
	struct pl aor = PL_INIT;
	int err;
	(void)data;   /* it repeats the line, password and all */

	if (!ok) {
		(void)aor_of(&aor, line_of(b));
		hil_done(b->h, EPROTO, "baresip refused to create its account "
			 "%r (uanew)", &aor);
		return;
	}

	err = send_aor(b, "uafind");
	if (err)
		hil_done(b->h, err, "cannot send uafind to baresip: %m", err);
	else
		b->then = current;
}


static int create(struct bsip *b, uint32_t regint)
{
	char *line = NULL;
	int err = account_line(&line, b->h, regint);

	if (!err)
		err = bsip_send(b, "uanew", line);
	if (!err)
		b->then = created;
	if (line)
		memset(line, 0, strlen(line));
	mem_deref(line);

	return err;
}


/* register: whether the old account was there or not, make it anew */
static void deleted_reg(struct bsip *b, bool ok, const char *data)
{
	int err;
	(void)ok;
	(void)data;

	err = create(b, REGINT);
	if (err)
		hil_done(b->h, err, "cannot send uanew to baresip: %m", err);
	else
		hil_sent(b->h);   /* the command that sends the REGISTER */
}


/* unregister: the account must have been there */
static void deleted_unreg(struct bsip *b, bool ok, const char *data)
{
	struct pl aor = PL_INIT;
	int err;

	if (!ok) {
		(void)aor_of(&aor, line_of(b));
		hil_done(b->h, EPROTO, "baresip has no account %r to "
			 "unregister (uadel: %s)", &aor,
			 str_isset(data) ? data : "refused");
		return;
	}
	if (!b->h->cfg->account) {
		hil_done(b->h, 0, NULL);
		return;
	}

	err = create(b, 0);
	if (err)
		hil_done(b->h, err, "cannot send uanew to baresip: %m", err);
}


int bsip_reg_act(struct bsip *b, bool reg)
{
	int err;

	if (bsip_reg_check(b->h->cfg, reg))
		return ENOTSUP;

	err = send_aor(b, "uadel");
	if (err)
		return err;

	b->then = reg ? deleted_reg : deleted_unreg;
	if (!reg)
		hil_sent(b->h);   /* deleting it sends the REGISTER */

	return 0;
}
