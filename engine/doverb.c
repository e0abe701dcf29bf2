/* engine/doverb.c — the do: verbs: adding a verb is adding a row here and
 * a handler in each actor (agents/phone_do.c, the hil drivers) */
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
