/* agents/hil/hil.c — the driver table and what every driver shares: one
 * action at a time, bounded in time, its end reported from the event loop
 * (never from inside the call that started it), the device's notes */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "doverb.h"
#include "hil_priv.h"


static const struct hil_driver *const drivers[] = {
	&hil_baresip, &hil_yealink, &hil_exec, &hil_manual,
};


const struct hil_driver *hil_driver_find(const char *type)
{
	size_t i;

	for (i = 0; type && i < ARRAY_SIZE(drivers); i++) {
		if (!strcmp(drivers[i]->type, type))
			return drivers[i];
	}

	return NULL;
}


const char *hil_driver_type(const struct hil_driver *drv)
{
	return drv ? drv->type : "?";
}


/** "baresip, yealink-http, exec, manual" */
int hil_driver_types(struct re_printf *pf, void *unused)
{
	size_t i;
	int err = 0;
	(void)unused;

	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		err |= re_hprintf(pf, "%s%s", i ? ", " : "", drivers[i]->type);

	return err;
}


const char *const *hil_driver_keys(const struct hil_driver *drv, size_t *n,
				   const char **required)
{
	if (n)
		*n = drv ? drv->nkeys : 0;
	if (required)
		*required = drv ? drv->required : NULL;

	return drv ? drv->keys : NULL;
}


static void cfg_destructor(void *data)
{
	struct hil_cfg *cfg = data;
	size_t i;

	mem_deref(cfg->control);
	mem_deref(cfg->start);
	mem_deref(cfg->provision);
	mem_deref(cfg->account);
	mem_deref(cfg->recording);
	mem_deref(cfg->url);
	mem_deref(cfg->events);
	mem_deref(cfg->line);
	mem_deref(cfg->user);
	mem_deref(cfg->pass);
	mem_deref(cfg->input);
	mem_deref(cfg->output);
	for (i = 0; i < ARRAY_SIZE(cfg->cmd); i++) {
		mem_deref(cfg->cmd[i]);
		mem_deref(cfg->keys[i]);
	}
}


int hil_cfg_alloc(struct hil_cfg **cfgp, const struct hil_driver *drv)
{
	struct hil_cfg *cfg;

	if (!cfgp || !drv)
		return EINVAL;

	cfg = mem_zalloc(sizeof(*cfg), cfg_destructor);
	if (!cfg)
		return ENOMEM;

	cfg->drv = drv;
	*cfgp = cfg;

	return 0;
}


/** NULL when the device's driver can do d, else why not (for lint) */
const char *hil_check(const struct hil_cfg *cfg, const struct do_spec *d)
{
	if (!cfg || !d)
		return "no driver";

	return cfg->drv->check ? cfg->drv->check(cfg, d) : NULL;
}


/** How long one action may take: the testbed's timeout: or the driver's */
uint32_t hil_timeout(const struct hil_cfg *cfg)
{
	if (!cfg)
		return 0;

	return cfg->timeout_ms ? cfg->timeout_ms : cfg->drv->timeout_ms;
}


static void destructor(void *data)
{
	struct hil *h = data;

	tmr_cancel(&h->tmr);
	h->st = mem_deref(h->st);
	mem_deref(h->role);
	mem_deref(h->lost);
	mem_deref(h->why);
	mem_deref(h->waiting);
	mem_deref((void *)h->cfg);
}


/** A driver for the device playing role; it starts reaching it now */
int hil_alloc(struct hil **hp, const struct hil_cfg *cfg, const char *role,
	      hil_note_h *noteh, void *arg)
{
	struct hil *h;
	int err;

	if (!hp || !cfg || !role)
		return EINVAL;

	h = mem_zalloc(sizeof(*h), destructor);
	if (!h)
		return ENOMEM;

	h->cfg = mem_ref((void *)cfg);
	h->noteh = noteh;
	h->arg = arg;
	tmr_init(&h->tmr);
	err = str_dup(&h->role, role);
	if (!err)
		err = cfg->drv->open(h);

	if (err)
		mem_deref(h);
	else
		*hp = h;

	return err;
}


/** The role's digest credentials (testbed auth:), for a driver that
 *  configures the device's account; borrowed from the role, which
 *  outlives the driver */
void hil_set_auth(struct hil *h, const char *user, const char *pass)
{
	if (!h)
		return;

	h->sip_user = user;
	h->sip_pass = pass;
}


/** The role's address of record (sip:user@domain), borrowed */
void hil_set_line(struct hil *h, const char *aor)
{
	if (h)
		h->aor = aor;
}


bool hil_ready(const struct hil *h)
{
	return h && (h->ready || h->lost);
}


void hil_set_ready(struct hil *h)
{
	h->ready = true;
}


static void done_tmr_h(void *arg)
{
	struct hil *h = arg;
	hil_done_h *doneh = h->doneh;
	void *darg = h->done_arg;
	char *why = h->why;
	int err = h->err;

	h->doneh = NULL;
	h->done_arg = NULL;
	h->why = NULL;
	h->err = 0;

	if (doneh)
		doneh(err, why, darg);
	mem_deref(why);
}


/** The driver's stimulus leaves for the device now: its request is sent,
 *  its command started, its prompt shown. A device's reaction counts
 *  from here, not from the driver's acknowledgement (docs/hil.md) */
void hil_sent(struct hil *h)
{
	if (h->doneh)
		h->sent = tmr_jiffies();
}


/** When the stimulus of the action in progress (or the last one) left,
 *  in tmr_jiffies(); 0 when it has not */
uint64_t hil_sent_at(const struct hil *h)
{
	return h ? h->sent : 0;
}


/** The driver ends the action in progress (err 0: it was done) */
void hil_done(struct hil *h, int err, const char *fmt, ...)
{
	va_list ap;

	if (!h->doneh)
		return;

	h->err = err;
	h->why = mem_deref(h->why);
	if (fmt) {
		va_start(ap, fmt);
		(void)re_vsdprintf(&h->why, fmt, ap);
		va_end(ap);
	}
	tmr_start(&h->tmr, 0, done_tmr_h, h);
}


static void timeout_h(void *arg)
{
	struct hil *h = arg;
	uint32_t t = h->bound_ms;

	h->err = ETIMEDOUT;
	h->why = mem_deref(h->why);
	if (h->verb == DO_RESET || h->verb == DO_PROVISION)
		(void)re_sdprintf(&h->why, "the device was not back within "
				  "%u.%u s of its %s%s%s%s", t / 1000,
				  t % 1000 / 100, h->verb == DO_RESET ?
				  "reset" : "provisioning's restart",
				  h->waiting ? " (" : "",
				  h->waiting ? h->waiting : "",
				  h->waiting ? ")" : "");
	else
		(void)re_sdprintf(&h->why, "the device did not acknowledge "
				  "within %u.%u s", t / 1000, t % 1000 / 100);
	done_tmr_h(h);
}


/** What the driver waits for now, for the message of a bound that runs
 *  out ("baresip's control socket at … refuses connections") */
void hil_waiting(struct hil *h, const char *fmt, ...)
{
	va_list ap;

	h->waiting = mem_deref(h->waiting);
	va_start(ap, fmt);
	(void)re_vsdprintf(&h->waiting, fmt, ap);
	va_end(ap);
}


/** A line about the device for the run's log */
void hil_note(struct hil *h, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsdprintf(&line, fmt, ap);
	va_end(ap);

	if (line && h->noteh)
		h->noteh(false, line, h->arg);
	mem_deref(line);
}


/** The driver cannot reach the device any more: an action in progress
 *  fails with why, and so does every later one */
void hil_lost(struct hil *h, const char *fmt, ...)
{
	va_list ap;

	if (h->lost)
		return;

	va_start(ap, fmt);
	(void)re_vsdprintf(&h->lost, fmt, ap);
	va_end(ap);

	if (h->doneh)
		hil_done(h, ECONNRESET, "%s", h->lost);
	else if (h->noteh)
		h->noteh(true, h->lost, h->arg);
}


/** Start d on the device (uri: dial/transfer's target); doneh reports
 *  its end from the event loop, also when it could not start */
int hil_act(struct hil *h, const struct do_spec *d, const char *uri,
	    hil_done_h *doneh, void *arg)
{
	int err;

	if (!h || !d || !doneh)
		return EINVAL;
	if (h->doneh)
		return EBUSY;

	h->doneh = doneh;
	h->done_arg = arg;
	h->sent = 0;
	h->verb = d->verb;
	h->waiting = mem_deref(h->waiting);
	h->bound_ms = hil_timeout(h->cfg);
	if (d->verb == DO_RESET || d->verb == DO_PROVISION)
		h->bound_ms = h->cfg->reset_ms ? h->cfg->reset_ms
			: HIL_RESET_MS;

	if (h->lost) {
		hil_done(h, ENOTCONN, "%s", h->lost);
		return 0;
	}

	tmr_start(&h->tmr, h->bound_ms, timeout_h, h);
	/* a driver either reports the end itself or returns an error */
	err = h->cfg->drv->act(h, d, uri);
	if (err)
		hil_done(h, err, "the driver could not start it: %m", err);

	return 0;
}


/** "baresip at 127.0.0.30:4444" — never a credential */
int hil_print(struct re_printf *pf, const struct hil *h)
{
	if (!h)
		return 0;

	if (h->cfg->drv->where)
		return re_hprintf(pf, "%s at %H", h->cfg->drv->type,
				  h->cfg->drv->where, h);

	return re_hprintf(pf, "%s", h->cfg->drv->type);
}


/** What a device sent, for a message: control characters escaped */
int hil_print_text(struct re_printf *pf, const struct hil_text *t)
{
	size_t i;
	int err = 0;

	for (i = 0; i < t->n && !err; i++) {
		uint8_t c = (uint8_t)t->p[i];

		if (c == '\r')
			err = re_hprintf(pf, "\\r");
		else if (c == '\n')
			err = re_hprintf(pf, "\\n");
		else if (c < 0x20 || c == 0x7f || c == '"')
			err = re_hprintf(pf, "\\x%02x", c);
		else
			err = re_hprintf(pf, "%c", c);
	}

	return err;
}


/* a value into a shell command, in single quotes */
static int put_value(struct mbuf *mb, const char *v, bool quote)
{
	int err = 0;

	if (!quote)
		return mbuf_write_str(mb, v);

	err |= mbuf_write_u8(mb, '\'');
	for (; *v; v++) {
		if (*v == '\'')
			err |= mbuf_write_str(mb, "'\\''");
		else
			err |= mbuf_write_u8(mb, (uint8_t)*v);
	}
	err |= mbuf_write_u8(mb, '\'');

	return err;
}


/*
 * A command or prompt with its fields filled in: {role} {verb} {uri}
 * {user} (the target's user part) {digits} {code} {file}, {line} (the
 * device's own account, user@domain: driver: {line:}, else the role's
 * address of record without sip:), and for set
 * (one setting at a time) {setting} {value} (forward-*: the target's
 * uri); with quote, every value goes in single quotes for /bin/sh.
 */
int hil_subst(char **out, const char *tmpl, const struct hil *h,
	      const struct do_spec *d, const char *uri, bool quote)
{
	const struct do_verb_def *vd = doverb_def(d->verb);
	struct mbuf *mb = mbuf_alloc(256);
	const char *p = tmpl;
	char code[8], user[128] = "", value[160] = "";
	const char *line = "";
	struct do_setting ds = {&d->set, d->set.given, uri};
	int err = 0;

	if (!mb)
		return ENOMEM;

	re_snprintf(code, sizeof(code), "%u", d->scode);
	if (d->verb == DO_SET)
		re_snprintf(value, sizeof(value), "%H", doverb_setting_value,
			    &ds);
	if (h->cfg->line)
		line = h->cfg->line;
	else if (h->aor && !strncmp(h->aor, "sip:", 4))
		line = h->aor + 4;
	if (uri) {
		struct pl u;

		if (!re_regex(uri, strlen(uri), "sip:[^@;>]+@", &u))
			pl_strcpy(&u, user, sizeof(user));
	}

	while (*p && !err) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		const char *v = NULL;
		struct pl name;

		if (!close) {
			err = mbuf_write_u8(mb, (uint8_t)*p++);
			continue;
		}
		name.p = p + 1;
		name.l = (size_t)(close - p - 1);

		if (!pl_strcmp(&name, "role"))
			v = h->role;
		else if (!pl_strcmp(&name, "verb"))
			v = vd ? vd->name : "";
		else if (!pl_strcmp(&name, "uri"))
			v = uri ? uri : "";
		else if (!pl_strcmp(&name, "user"))
			v = user;
		else if (!pl_strcmp(&name, "line"))
			v = line;
		else if (!pl_strcmp(&name, "digits") ||
			 !pl_strcmp(&name, "file"))
			v = d->text ? d->text : "";
		else if (!pl_strcmp(&name, "code"))
			v = code;
		else if (!pl_strcmp(&name, "setting") && d->verb == DO_SET)
			v = doverb_setting_name(d->set.given);
		else if (!pl_strcmp(&name, "value") && d->verb == DO_SET)
			v = value;

		if (!v) {
			err = mbuf_write_u8(mb, (uint8_t)*p++);
			continue;
		}
		err = put_value(mb, v, quote);
		p = close + 1;
	}

	mb->pos = 0;
	if (!err)
		err = mbuf_strdup(mb, out, mb->end);
	mem_deref(mb);

	return err;
}
