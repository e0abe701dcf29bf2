/* agents/hil/hil_baresip.c — a baresip as the device: its ctrl_tcp
 * control socket takes netstring JSON commands ({"command": "dial",
 * "params": URI, "token": T}) and answers each ({"response": true, "ok":
 * …, "token": T}); between answers it streams its events ({"event": true,
 * "type": "CALL_RINGING", …}), which become notes in the run's log */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "hil_priv.h"
#include "hil_baresip.h"


enum {
	NETSTRING_MAX = 65536,   /* a longer one is not baresip talking */
	JSON_DEPTH = 8,
};

/* the verbs, as baresip's long commands (menu module) */
static const struct {
	enum do_verb verb;
	const char *cmd;
} cmds[] = {
	{DO_DIAL,     "dial"},
	{DO_ANSWER,   "accept"},
	{DO_REJECT,   "hangup"},    /* an incoming call: 486 Rejected */
	{DO_HANGUP,   "hangup"},
	{DO_HOLD,     "hold"},
	{DO_RESUME,   "resume"},
	{DO_TRANSFER, "transfer"},  /* blind: REFER */
	{DO_DTMF,     "sndcode"},   /* RFC 4733 telephone events */
	{DO_SET,      "answermode"},/* auto-answer only: answermode() */
};


static const char *command_of(enum do_verb verb)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (cmds[i].verb == verb)
			return cmds[i].cmd;
	}

	return NULL;
}


/*
 * set: the one setting baresip's control socket can change is its
 * account's answer mode (menu's 'answermode manual|early|auto'): auto
 * answers every call at once, manual leaves it ringing. NULL when there
 * is none for this setting (*why then says so)
 */
static const char *answermode(const struct phone_cfg *c, const char **why)
{
	*why = "baresip's control socket has no command for it";

	if (c->given != PHONE_CFG_AUTO_ANSWER)
		return NULL;

	if (c->auto_answer_ms == 0)
		return "auto";
	if (c->auto_answer_ms == UINT32_MAX)
		return "manual";

	*why = "baresip answers at once or when told, not after a delay";
	return NULL;
}


/* provision: its accounts file into provision:, then restarted */
static const char *provision_check(const struct hil_cfg *cfg,
				   const struct do_spec *d)
{
	if (!cfg->provision)
		return "the testbed gives it no provision: directory (its "
		       "config directory, where sipflow writes its accounts "
		       "file)";
	if (bsip_reset_check(cfg))
		return bsip_reset_check(cfg);

	return hil_prov_check(d->actor);
}


static const char *check(const struct hil_cfg *cfg, const struct do_spec *d)
{
	const char *why;

	if (d->verb == DO_SET)
		return answermode(&d->set, &why) ? NULL : why;
	if (d->verb == DO_REGISTER || d->verb == DO_UNREGISTER)
		return bsip_reg_check(cfg, d->verb == DO_REGISTER);
	if (d->verb == DO_RESET)
		return bsip_reset_check(cfg);
	if (d->verb == DO_PROVISION)
		return provision_check(cfg, d);
	if (!command_of(d->verb))
		return "baresip's control socket has no command for it";
	if (d->verb == DO_REJECT && d->scode != 486)
		return "baresip rejects a call with 486 only";
	if (d->verb == DO_TRANSFER && d->attended)
		return "baresip transfers blind only (no Replaces)";

	return NULL;
}


static int where(struct re_printf *pf, const struct hil *h)
{
	return re_hprintf(pf, "%s", h->cfg->control);
}


/* baresip's events that mean what a Yealink's Action URL of that name
 * means (an event: step's vocabulary, agents/hil/hil_event.c) */
static const struct {
	const char *type;
	const char *name;
} evmap[] = {
	{"CALL_INCOMING",    "incoming_call"},
	{"CALL_ESTABLISHED", "call_established"},
	{"CALL_CLOSED",      "call_terminated"},
	{"REGISTER_OK",      "log_on"},
	{"REGISTER_FAIL",    "register_failed"},
	{"UNREGISTERING",    "log_off"},
};

static const char *const evnames[] = {
	"incoming_call", "call_established", "call_terminated", "log_on",
	"register_failed", "log_off",
};


static void event(struct bsip *b, const struct odict *od)
{
	const char *type = odict_string(od, "type");
	const char *peer = odict_string(od, "peeruri");
	const char *param = odict_string(od, "param");
	size_t i;

	hil_note(b->h, "%s%s%s%s%s", type ? type : "event",
		 peer ? " " : "", peer ? peer : "",
		 param ? ": " : "", param ? param : "");

	for (i = 0; type && i < ARRAY_SIZE(evmap); i++) {
		if (!strcmp(evmap[i].type, type))
			hil_event(b->h, evmap[i].name, peer);
	}
}


static void response(struct bsip *b, const struct odict *od)
{
	const char *tok = odict_string(od, "token");
	const char *data = odict_string(od, "data");
	const char *cmd = b->cmd;
	char want[16];
	bool ok = false;

	re_snprintf(want, sizeof(want), "%u", b->token);
	if (!b->cmd || !tok || strcmp(tok, want))
		return;   /* not the answer to ours (another client's) */

	(void)odict_get_boolean(od, &ok, "ok");
	b->cmd = NULL;
	if (b->then) {
		bsip_then_h *then = b->then;

		b->then = NULL;
		then(b, ok, data);
	}
	else if (ok)
		hil_done(b->h, 0, NULL);
	else
		hil_done(b->h, EPROTO, "baresip refused '%s'%s%s", cmd,
			 str_isset(data) ? ": " : "", str_isset(data) ? data
			 : "");
}


/* one message of the control socket */
static int message(struct bsip *b, const char *p, size_t n)
{
	struct odict *od = NULL;
	bool flag = false;
	int err;

	err = json_decode_odict(&od, 16, p, n, JSON_DEPTH);
	if (err)
		return err;

	if (odict_get_boolean(od, &flag, "response") && flag)
		response(b, od);
	else if (odict_get_boolean(od, &flag, "event") && flag)
		event(b, od);
	else
		err = EBADMSG;

	mem_deref(od);
	return err;
}


/* "LEN:DATA," — the whole ones in b->rx; a broken one loses the device */
static void recv_h(struct mbuf *mb, void *arg)
{
	struct bsip *b = arg;
	struct mbuf *rx = b->rx;

	rx->pos = rx->end;
	if (mbuf_write_mem(rx, mbuf_buf(mb), mbuf_get_left(mb)))
		return;
	rx->pos = 0;

	while (mbuf_get_left(rx)) {
		const char *p = (const char *)mbuf_buf(rx);
		size_t left = mbuf_get_left(rx), i, len = 0;

		for (i = 0; i < left && p[i] >= '0' && p[i] <= '9'; i++) {
			len = len * 10 + (size_t)(p[i] - '0');
			if (len > NETSTRING_MAX)
				break;
		}
		if (i == left)
			break;   /* the length is not all here yet */
		if (i == 0 || p[i] != ':' || len > NETSTRING_MAX) {
			struct hil_text t = {p, left < 24 ? left : 24};

			hil_lost(b->h, "baresip at %s sent a malformed "
				 "control message (not a netstring: \"%H\")",
				 b->h->cfg->control, hil_print_text, &t);
			return;
		}
		if (left < i + 1 + len + 1)
			break;   /* the rest is on its way */
		if (p[i + 1 + len] != ',') {
			hil_lost(b->h, "baresip at %s sent a malformed "
				 "control message (a netstring without its "
				 "',')",
				 b->h->cfg->control);
			return;
		}
		if (message(b, p + i + 1, len)) {
			struct hil_text t = {p + i + 1, len < 60 ? len : 60};

			hil_lost(b->h, "baresip at %s sent a malformed "
				 "control message: \"%H\"", b->h->cfg->control,
				 hil_print_text, &t);
			return;
		}
		mbuf_advance(rx, (ssize_t)(i + 1 + len + 1));
	}

	/* keep only what is not parsed yet */
	if (rx->pos) {
		size_t left = mbuf_get_left(rx);

		memmove(rx->buf, mbuf_buf(rx), left);
		rx->end = left;
	}
	rx->pos = 0;
}


static void estab_h(void *arg)
{
	struct bsip *b = arg;

	hil_set_ready(b->h);
	if (b->rs)
		bsip_reset_back(b);
}


static void close_h(int err, void *arg)
{
	struct bsip *b = arg;

	b->tc = mem_deref(b->tc);
	mbuf_rewind(b->rx);
	b->cmd = NULL;
	if (b->rs)
		bsip_reset_closed(b, err);
	else if (b->h->ready && !err)
		hil_lost(b->h, "baresip's control connection at %s closed "
			 "by baresip: did it exit?", b->h->cfg->control);
	else if (b->h->ready)
		hil_lost(b->h, "baresip's control connection at %s closed "
			 "(%m): did baresip exit?", b->h->cfg->control, err);
	else
		hil_lost(b->h, "cannot reach baresip's control socket at %s: "
			 "%m", b->h->cfg->control, err ? err : ECONNRESET);
}


static void destructor(void *data)
{
	struct bsip *b = data;

	tmr_cancel(&b->retry);
	mem_deref(b->cmd_run);
	mem_deref(b->tc);
	mem_deref(b->rx);
}


/** Connect to baresip's control socket (again, after a reset) */
int bsip_connect(struct bsip *b)
{
	b->tc = mem_deref(b->tc);

	return tcp_connect(&b->tc, &b->addr, estab_h, recv_h, close_h, b);
}


static int open_(struct hil *h)
{
	struct bsip *b;
	int err;

	b = mem_zalloc(sizeof(*b), destructor);
	if (!b)
		return ENOMEM;
	b->h = h;
	h->st = b;
	tmr_init(&b->retry);

	b->rx = mbuf_alloc(1024);
	if (!b->rx)
		return ENOMEM;

	err = sa_decode(&b->addr, h->cfg->control, str_len(h->cfg->control));
	if (err)
		return err;

	return bsip_connect(b);
}


/** Send one command (params may be NULL); its answer ends the action,
 *  or goes to b->then when the caller set it */
int bsip_send(struct bsip *b, const char *cmd, const char *params)
{
	struct odict *od = NULL;
	struct mbuf *js = NULL, *out = NULL;
	char tok[16];
	int err;

	if (!b->tc || !b->h->ready)
		return ENOTCONN;

	b->cmd = cmd;
	b->token++;
	re_snprintf(tok, sizeof(tok), "%u", b->token);

	err = odict_alloc(&od, 4);
	if (err)
		return err;
	err = odict_entry_add(od, "command", ODICT_STRING, cmd);
	if (params)
		err |= odict_entry_add(od, "params", ODICT_STRING, params);
	err |= odict_entry_add(od, "token", ODICT_STRING, tok);
	if (err)
		goto out;

	js = mbuf_alloc(256);
	out = mbuf_alloc(256);
	if (!js || !out) {
		err = ENOMEM;
		goto out;
	}
	err = mbuf_printf(js, "%H", json_encode_odict, od);
	if (!err)
		err = mbuf_printf(out, "%zu:%b,", js->end, js->buf, js->end);
	if (err)
		goto out;

	out->pos = 0;
	err = tcp_send(b->tc, out);

 out:
	if (js)
		memset(js->buf, 0, js->size);   /* it may hold a password */
	if (out)
		memset(out->buf, 0, out->size);
	mem_deref(od);
	mem_deref(js);
	mem_deref(out);
	return err;
}


static int act(struct hil *h, const struct do_spec *d, const char *uri)
{
	struct bsip *b = h->st;
	const char *params = NULL;
	int err;

	if (!b->tc || !h->ready)
		return ENOTCONN;

	b->then = NULL;
	if (d->verb == DO_REGISTER || d->verb == DO_UNREGISTER)
		return bsip_reg_act(b, d->verb == DO_REGISTER);
	if (d->verb == DO_RESET)
		return bsip_reset_act(b);
	if (d->verb == DO_PROVISION)
		return bsip_provision_act(b, d->actor);

	if (uri && (d->verb == DO_DIAL || d->verb == DO_TRANSFER))
		params = uri;
	else if (d->verb == DO_DTMF)
		params = d->text;
	else if (d->verb == DO_SET) {
		const char *why;

		params = answermode(&d->set, &why);
		if (!params)
			return ENOTSUP;
	}

	err = bsip_send(b, command_of(d->verb), params);
	if (!err)
		hil_sent(h);

	return err;
}


static const char *const keys[] = {"type", "control", "account",
				   "start", "provision", "timeout",
				   "recording"};

const struct hil_driver hil_baresip = {
	.type = "baresip",
	.keys = keys,
	.nkeys = ARRAY_SIZE(keys),
	.required = "control",
	.timeout_ms = 5000,
	.events = evnames,
	.nevents = ARRAY_SIZE(evnames),
	.check = check,
	.open = open_,
	.act = act,
	.where = where,
};
