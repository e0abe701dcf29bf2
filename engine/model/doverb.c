/* engine/model/doverb.c — the do: verbs: adding a verb is adding a row
 * here and a handler in each actor (agents/phone_do.c, the hil drivers) */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "doverb.h"


static const struct do_verb_def verbs[] = {
	{DO_DIAL,     "dial",     DO_ARG_ROLE,
	 "dial: ROLE — call that role (through the phone's proxy)"},
	{DO_ANSWER,   "answer",   DO_ARG_NONE,
	 "answer — take the ringing call (200 OK with SDP)"},
	{DO_REJECT,   "reject",   DO_ARG_SCODE,
	 "reject: CODE — refuse the ringing call (default 486)"},
	{DO_HANGUP,   "hangup",   DO_ARG_NONE,
	 "hangup — end the call (BYE), or cancel it while it rings"},
	{DO_HOLD,     "hold",     DO_ARG_NONE,
	 "hold — re-INVITE with a=sendonly"},
	{DO_RESUME,   "resume",   DO_ARG_NONE,
	 "resume — re-INVITE with a=sendrecv"},
	{DO_TRANSFER, "transfer", DO_ARG_TRANSFER,
	 "transfer: ROLE | {to: ROLE, attended: true} — REFER the far end"},
	{DO_DTMF,     "dtmf",     DO_ARG_DIGITS,
	 "dtmf: DIGITS — send 0-9 * # A-D (as set by dtmf-mode)"},
	{DO_PLAY,     "play",     DO_ARG_FILE,
	 "play: FILE.wav — send a WAV file (8 kHz mono 16-bit)"},
	{DO_SET,      "set",      DO_ARG_SET,
	 "set: {busy, auto-answer, forward-no-answer, forward-after, "
	 "forward-always, forward-busy, give-up, mute, tone, dtmf-mode, "
	 "send-codec, early-media}"},
	{DO_REGISTER, "register", DO_ARG_NONE,
	 "register — REGISTER its address of record through its proxy "
	 "(digest credentials from the testbed's auth:)"},
	{DO_UNREGISTER, "unregister", DO_ARG_NONE,
	 "unregister — REGISTER with Expires: 0"},
	{DO_CONFERENCE, "conference", DO_ARG_NONE,
	 "conference — join its established calls into a three-way call, "
	 "held ones resumed, mixed in the phone"},
	{DO_RESET,    "reset",    DO_ARG_NONE,
	 "reset — restart a device (its driver: baresip restarted, a "
	 "Yealink rebooted, a command, a person); done once it is back"},
	{DO_PROVISION, "provision", DO_ARG_NONE,
	 "provision — a device takes the configuration sipflow makes for "
	 "the flow (baresip: its accounts file, then restarted)"},
};


const struct do_verb_def *doverb_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(verbs); i++) {
		if (strlen(verbs[i].name) == len &&
		    !strncmp(verbs[i].name, name, len))
			return &verbs[i];
	}

	return NULL;
}


const struct do_verb_def *doverb_def(enum do_verb verb)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verbs); i++) {
		if (verbs[i].verb == verb)
			return &verbs[i];
	}

	return NULL;
}


const struct do_verb_def *doverb_table(size_t *n)
{
	if (n)
		*n = ARRAY_SIZE(verbs);

	return verbs;
}


/** "B transfer C", "A dtmf 123#" — how reports name a do: step */
int doverb_print(struct re_printf *pf, const struct do_spec *d)
{
	const struct do_verb_def *v = doverb_def(d->verb);
	int err;

	err = re_hprintf(pf, "%s %s", d->actor ? d->actor->name : "?",
			 v ? v->name : "?");
	if (d->target)
		err |= re_hprintf(pf, " %s%s", d->target->name,
				  d->attended ? " (attended)" : "");
	if (d->verb == DO_REJECT)
		err |= re_hprintf(pf, " %u", d->scode);
	if (d->text)
		err |= re_hprintf(pf, " %s", d->text);

	return err;
}


/* the phone settings (role keys and set:), by bit number: bit i of
 * phone_cfg.given is settings[i] */
static const char *const settings[PHONE_CFG_NKEYS] = {
	"busy", "auto-answer", "forward-no-answer", "forward-after", "mute",
	"tone", "dtmf-mode", "send-codec", "early-media", "forward-always",
	"forward-busy", "give-up",
};

_Static_assert(PHONE_CFG_GIVE_UP == 1u << 11 &&
	       PHONE_CFG_FWD_BUSY == 1u << 10 && PHONE_CFG_BUSY == 1u,
	       "settings[] is indexed by the PHONE_CFG_* bit");


const char *const *doverb_settings(size_t *n)
{
	if (n)
		*n = ARRAY_SIZE(settings);

	return settings;
}


/** "forward-busy" for PHONE_CFG_FWD_BUSY */
const char *doverb_setting_name(unsigned bit)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		if (bit == 1u << i)
			return settings[i];
	}

	return "?";
}


static int ms_print(struct re_printf *pf, uint32_t ms)
{
	if (ms == UINT32_MAX)
		return re_hprintf(pf, "off");
	if (ms % 1000 == 0)
		return re_hprintf(pf, "%us", ms / 1000);

	return re_hprintf(pf, "%ums", ms);
}


/** A setting's value as written: true, 2s, off, C, 425Hz, rfc4733 */
int doverb_setting_value(struct re_printf *pf, const struct do_setting *s)
{
	static const char *const modes[] = {"rfc4733", "inband", "info"};
	const struct phone_cfg *c = s->cfg;
	const struct role *r = NULL;

	switch (s->bit) {

	case PHONE_CFG_BUSY:        return re_hprintf(pf, "%s", c->busy ?
						      "true" : "false");
	case PHONE_CFG_MUTE:        return re_hprintf(pf, "%s", c->mute ?
						      "true" : "false");
	case PHONE_CFG_EARLY_MEDIA: return re_hprintf(pf, "%s",
						      c->early_media ? "true"
						      : "false");
	case PHONE_CFG_AUTO_ANSWER: return ms_print(pf, c->auto_answer_ms);
	case PHONE_CFG_FWD_AFTER:   return ms_print(pf, c->fwd_after_ms);
	case PHONE_CFG_GIVE_UP:     return ms_print(pf, c->giveup_ms);
	case PHONE_CFG_TONE:
		return c->tone_hz ? re_hprintf(pf, "%uHz", c->tone_hz)
				  : re_hprintf(pf, "off");
	case PHONE_CFG_DTMF_MODE:
		return re_hprintf(pf, "%s", c->dtmf_mode >= 0 &&
				  c->dtmf_mode < 3 ?
				  modes[c->dtmf_mode] : "?");
	case PHONE_CFG_SEND_CODEC:
		return re_hprintf(pf, "%s", c->send_codec == 8 ? "PCMA"
				  : "PCMU");
	case PHONE_CFG_FWD_NOANS:   r = c->fwd_noans; break;
	case PHONE_CFG_FWD_ALWAYS:  r = c->fwd_always; break;
	case PHONE_CFG_FWD_BUSY:    r = c->fwd_busy; break;
	default:                    return re_hprintf(pf, "?");
	}

	if (s->uri)
		return re_hprintf(pf, "%s", s->uri);

	return re_hprintf(pf, "%s", r ? r->name : "?");
}


/** "busy: true" */
int doverb_setting_print(struct re_printf *pf, const struct do_setting *s)
{
	return re_hprintf(pf, "%s: %H", doverb_setting_name(s->bit),
			  doverb_setting_value, s);
}
