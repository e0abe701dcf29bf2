/* engine/model/scenario.c — the scenario model's lookups */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "doverb.h"


static void step_destructor(void *data)
{
	struct step *st = data;

	list_unlink(&st->le);
	list_flush(&st->members);
	list_flush(&st->headers);
	list_flush(&st->expects);
	list_flush(&st->sdp.codecs);
	mem_deref(st->sdp.direction);
	list_flush(&st->sdp.crypto.suites);
	list_flush(&st->expect_crypto.suites);
	mem_deref(st->expect_crypto.key);
	mem_deref(st->sdp.crypto.key);
	mem_deref(st->id);
	mem_deref(st->file);
	mem_deref(st->incl);
	mem_deref(st->method);
	mem_deref(st->reason);
	mem_deref(st->to_user);
	mem_deref(st->body);
	mem_deref(st->raw);
	mem_deref(st->dialog);
	mem_deref(st->auth.user);
	mem_deref(st->auth.pass);
	mem_deref(st->auth.realm);
	mem_deref(st->act.text);
	mem_deref(st->media.dtmf);
	mem_deref(st->ev.name);
}


/** A phone's settings as no key sets them: rings until answered, not
 *  busy, forwards nothing, sends what was agreed */
void phone_cfg_defaults(struct phone_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->auto_answer_ms = UINT32_MAX;
	c->fwd_after_ms = 2000;
	c->send_codec = -1;
}


/** A new step of this type (its fields empty), or NULL */
struct step *step_alloc(enum step_type type)
{
	struct step *st = mem_zalloc(sizeof(*st), step_destructor);

	if (st)
		st->type = type;

	return st;
}


/** The role called name, or NULL */
struct role *scenario_role(const struct scenario *sc, const char *name)
{
	struct le *le;

	for (le = sc && name ? sc->roles.head : NULL; le; le = le->next) {
		struct role *r = le->data;
		if (!strcmp(r->name, name))
			return r;
	}

	return NULL;
}


/** The step with this id (group members included), or NULL */
struct step *scenario_step(const struct scenario *sc, const char *id)
{
	struct le *le, *me;

	for (le = sc && id ? sc->steps.head : NULL; le; le = le->next) {
		struct step *st = le->data;

		if (st->id && !strcmp(st->id, id))
			return st;
		for (me = st->members.head; me; me = me->next) {
			struct step *m = me->data;
			if (!strcmp(m->id, id))
				return m;
		}
	}

	return NULL;
}


/** The step with this flat index, or NULL */
struct step *scenario_step_at(const struct scenario *sc, unsigned idx)
{
	struct le *le, *me;

	for (le = sc ? sc->steps.head : NULL; le; le = le->next) {
		struct step *st = le->data;

		if (st->idx == idx)
			return st;
		for (me = st->members.head; me; me = me->next) {
			struct step *m = me->data;
			if (m->idx == idx)
				return m;
		}
	}

	return NULL;
}


/* the kinds a role is declared with (kind:, --role NAME=KIND), by enum
 * role_kind: the one list of their names */
static const char *const kind_names[] = {
	[ROLE_UA] = "ua",
	[ROLE_PROXY] = "proxy",
	[ROLE_PHONE] = "phone",
	[ROLE_DUT] = "dut",
};


/** A role kind's name ("ua", "proxy", "phone", "dut"), or "?" */
const char *role_kind_name(enum role_kind k)
{
	return (unsigned)k < ARRAY_SIZE(kind_names) ? kind_names[k] : "?";
}


/** The kind named by the l characters at s; ENOENT if none is */
int role_kind_parse(enum role_kind *k, const char *s, size_t l)
{
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(kind_names); i++) {
		if (strlen(kind_names[i]) == l &&
		    !strncmp(s, kind_names[i], l)) {
			if (k)
				*k = (enum role_kind)i;
			return 0;
		}
	}

	return ENOENT;
}


/** Every kind's name, n of them (for suggestions) */
const char *const *role_kind_names(size_t *n)
{
	if (n)
		*n = ARRAY_SIZE(kind_names);

	return kind_names;
}


/** "ua, proxy, phone, dut" (a print handler; arg unused) */
int role_kinds_print(struct re_printf *pf, void *arg)
{
	size_t i;
	int err = 0;
	(void)arg;

	for (i = 0; i < ARRAY_SIZE(kind_names) && !err; i++)
		err = re_hprintf(pf, "%s%s", i ? ", " : "", kind_names[i]);

	return err;
}


/** The standard reason phrase of a status code (RFC 3261 §21 and on) */
const char *sip_reason_std(uint16_t scode)
{
	static const struct {
		uint16_t code;
		const char *reason;
	} t[] = {
		{100, "Trying"}, {180, "Ringing"},
		{181, "Call Is Being Forwarded"}, {182, "Queued"},
		{183, "Session Progress"}, {199, "Early Dialog Terminated"},
		{200, "OK"}, {202, "Accepted"}, {204, "No Notification"},
		{300, "Multiple Choices"}, {301, "Moved Permanently"},
		{302, "Moved Temporarily"}, {305, "Use Proxy"},
		{380, "Alternative Service"}, {400, "Bad Request"},
		{401, "Unauthorized"}, {402, "Payment Required"},
		{403, "Forbidden"}, {404, "Not Found"},
		{405, "Method Not Allowed"}, {406, "Not Acceptable"},
		{407, "Proxy Authentication Required"},
		{408, "Request Timeout"}, {410, "Gone"},
		{413, "Request Entity Too Large"},
		{414, "Request-URI Too Long"},
		{415, "Unsupported Media Type"},
		{416, "Unsupported URI Scheme"}, {420, "Bad Extension"},
		{421, "Extension Required"},
		{422, "Session Interval Too Small"},
		{423, "Interval Too Brief"},
		{480, "Temporarily Unavailable"},
		{481, "Call/Transaction Does Not Exist"},
		{482, "Loop Detected"}, {483, "Too Many Hops"},
		{484, "Address Incomplete"}, {485, "Ambiguous"},
		{486, "Busy Here"}, {487, "Request Terminated"},
		{488, "Not Acceptable Here"}, {489, "Bad Event"},
		{491, "Request Pending"}, {493, "Undecipherable"},
		{500, "Server Internal Error"}, {501, "Not Implemented"},
		{502, "Bad Gateway"}, {503, "Service Unavailable"},
		{504, "Server Time-out"}, {505, "Version Not Supported"},
		{513, "Message Too Large"}, {600, "Busy Everywhere"},
		{603, "Decline"}, {604, "Does Not Exist Anywhere"},
		{606, "Not Acceptable"},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		if (t[i].code == scode)
			return t[i].reason;
	}

	return "Unknown";
}


/** "A <-> B two-way", "A -> B tone 1004 Hz", "B dtmf 123#" */
int media_print(struct re_printf *pf, const struct media_spec *m)
{
	static const char *const words[] = {
		"audio", "two-way", "tone", "dtmf", "silence",
	};
	int err;

	if (m->from)
		err = re_hprintf(pf, "%s %s %s %s", m->from->name,
				 m->between ? "<->" : "->", m->to->name,
				 words[m->expect]);
	else
		err = re_hprintf(pf, "%s %s", m->to ? m->to->name : "?",
				 words[m->expect]);

	if (m->expect == MEDIA_TONE)
		err |= re_hprintf(pf, " %u Hz", m->tone_hz);
	else if (m->expect == MEDIA_DTMF)
		err |= re_hprintf(pf, " %s", m->dtmf);

	return err;
}


/** Whether a status: alternative (a code, or 2..6 for a class: 4xx)
 * takes a response with this code */
bool status_alt_takes(uint16_t alt, uint16_t scode)
{
	return alt < 10 ? scode / 100 == alt : scode == alt;
}


/** A status: alternative's code, or its class's lowest (4xx: 400) */
uint16_t status_alt_code(uint16_t alt)
{
	return alt < 10 ? (uint16_t)(alt * 100) : alt;
}


/** Whether a response with this code fulfils the response step st: its
 * message line's code, or one of its status: alternatives */
bool step_accepts(const struct step *st, uint16_t scode)
{
	unsigned i;

	if (!st->nalt)
		return scode == st->scode;

	for (i = 0; i < st->nalt; i++) {
		if (status_alt_takes(st->alt[i], scode))
			return true;
	}

	return false;
}


/* "408 or 480", "408, 480 or 404": what a step with alternatives accepts */
static int alt_print(struct re_printf *pf, const struct step *st)
{
	int err = 0;
	unsigned i;

	for (i = 0; i < st->nalt; i++) {
		err |= re_hprintf(pf, "%s%u%s", !i ? "" : i + 1 < st->nalt
				  ? ", " : " or ", st->alt[i],
				  st->alt[i] < 10 ? "xx" : "");
	}

	return err;
}


/** What a step is, as reports print it: "INVITE", "180 Ringing",
 * "408 or 480" (status: alternatives), "wait 500 ms", "any-order" */
int step_print(struct re_printf *pf, const struct step *st)
{
	switch (st->type) {

	case STEP_WAIT:
		return re_hprintf(pf, "wait %u ms", st->wait_ms);
	case STEP_GROUP:
		return re_hprintf(pf, "any-order");
	case STEP_DO:
		return re_hprintf(pf, "do %H", doverb_print, &st->act);
	case STEP_MEDIA:
		return re_hprintf(pf, "media %H", media_print, &st->media);
	case STEP_EVENT:
		return re_hprintf(pf, "event %s %s", st->ev.from->name,
				  st->ev.name);
	default:
		if (st->req)
			return re_hprintf(pf, "%s", st->method);
		if (st->nalt > 1)
			return alt_print(pf, st);
		return re_hprintf(pf, "%u %s", st->scode, st->reason);
	}
}


/** The file a step was written in: a block's, when it was included */
const char *step_file(const struct scenario *sc, const struct step *st)
{
	return st && st->file ? st->file : sc ? sc->file : NULL;
}


/** " (included from FILE:L:C with …)" for an included step, else "" */
const char *step_from(const struct step *st)
{
	return st && st->incl ? st->incl : "";
}
