/* agents/phone_do.c — what a phone does on a do: step: one handler per
 * verb (the verbs themselves are engine/model/doverb.c's table) */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "placeholder.h"
#include "doverb.h"
#include "media/mstream.h"
#include "media/mmix.h"
#include "phone.h"
#include "phone_priv.h"


typedef int (verb_h)(struct phone *ph, const struct do_spec *d, char **why);


static int nocall(char **why, const struct phone *ph, const char *what)
{
	(void)re_sdprintf(why, "%s has no %s", ph->role->name, what);
	return ENOENT;
}


static int do_dial(struct phone *ph, const struct do_spec *d, char **why)
{
	struct pcall *c = NULL;
	char *uri = NULL;
	int err;

	err = role_aor(&uri, ph->sc, d->target);
	if (!err)
		err = pcall_alloc(&c, ph, false);
	if (!err)
		err = pcall_dial(c, uri);
	if (err) {
		(void)re_sdprintf(why, "%s cannot call %s: %m", ph->role->name,
				  uri ? uri : d->target->name, err);
		if (c)
			c->state = PCALL_CLOSED;
	}
	mem_deref(uri);

	return err;
}


static int do_answer(struct phone *ph, const struct do_spec *d, char **why)
{
	struct pcall *c = phone_call_find(ph, PCALL_RINGING_IN);
	struct le *le;
	int err;
	(void)d;

	if (!c)
		return nocall(why, ph, "ringing call to answer");

	/* call waiting: the call in progress goes on hold first */
	for (le = ph->calls.head; le; le = le->next) {
		struct pcall *o = le->data;

		if (o == c || o->state != PCALL_ESTABLISHED || o->held)
			continue;
		err = pcall_hold(o, true);
		if (err) {
			(void)re_sdprintf(why, "%s cannot hold %s to answer: "
					  "%m", ph->role->name, o->peer, err);
			return err;
		}
		phone_logf(ph, "%s: holds %s to take the waiting call",
			   ph->role->name, o->peer);
	}

	err = pcall_answer(c);
	if (err)
		(void)re_sdprintf(why, "%s cannot answer: %m", ph->role->name,
				  err);
	return err;
}


static int do_reject(struct phone *ph, const struct do_spec *d, char **why)
{
	struct pcall *c = phone_call_find(ph, PCALL_RINGING_IN);

	if (!c)
		return nocall(why, ph, "ringing call to reject");

	return pcall_reject(c, d->scode, NULL);
}


static int do_hangup(struct phone *ph, const struct do_spec *d, char **why)
{
	struct pcall *c = phone_call_current(ph);
	(void)d;

	if (!c)
		return nocall(why, ph, "call to hang up");

	/* the host of a conference ends it: every leg */
	if (c->conf) {
		struct mmix *conf = mem_ref(c->conf);
		struct le *le = ph->calls.head;

		while (le) {
			struct pcall *o = le->data;

			le = le->next;
			if (o->conf == conf)
				pcall_hangup(o);
		}
		mem_deref(conf);
		return 0;
	}

	pcall_hangup(c);
	return 0;
}


/* hold: the call in focus; resume: the oldest held call */
static int hold(struct phone *ph, bool on, char **why)
{
	struct pcall *c = NULL;
	struct le *le;
	int err;

	for (le = ph->calls.head; le; le = le->next) {
		struct pcall *o = le->data;

		if (o->state == PCALL_ESTABLISHED && o->held != on) {
			c = o;
			if (!on)
				break;
		}
	}

	if (!c)
		return nocall(why, ph, on ? "established call to hold"
			      : "held call to resume");

	err = pcall_hold(c, on);
	if (err)
		(void)re_sdprintf(why, "%s cannot %s: %m", ph->role->name,
				  on ? "hold" : "resume", err);
	return err;
}


static int do_hold(struct phone *ph, const struct do_spec *d, char **why)
{
	(void)d;
	return hold(ph, true, why);
}


static int do_resume(struct phone *ph, const struct do_spec *d, char **why)
{
	(void)d;
	return hold(ph, false, why);
}


/* attended: the established call with the target, and another one */
static int consult_pair(struct phone *ph, const char *target,
			struct pcall **xfer, struct pcall **consult)
{
	struct le *le;

	*xfer = *consult = NULL;
	for (le = ph->calls.head; le; le = le->next) {
		struct pcall *c = le->data;

		if (c->state != PCALL_ESTABLISHED)
			continue;
		if (!*consult && c->peer && !strcmp(c->peer, target))
			*consult = c;
		else if (!*xfer)
			*xfer = c;
	}

	return *xfer && *consult ? 0 : ENOENT;
}


static int do_transfer(struct phone *ph, const struct do_spec *d,
		       char **why)
{
	struct pcall *c = phone_call_find(ph, PCALL_ESTABLISHED);
	struct pcall *consult = NULL;
	char *uri = NULL;
	int err;

	err = role_aor(&uri, ph->sc, d->target);
	if (err)
		return err;

	if (d->attended && consult_pair(ph, uri, &c, &consult)) {
		(void)re_sdprintf(why, "%s needs an established call with %s "
				  "and another to transfer (attended)",
				  ph->role->name, uri);
		mem_deref(uri);
		return ENOENT;
	}
	if (!c) {
		mem_deref(uri);
		return nocall(why, ph, "established call to transfer");
	}

	err = pcall_refer(c, uri, consult);
	if (err)
		(void)re_sdprintf(why, "%s cannot REFER: %m", ph->role->name,
				  err);
	mem_deref(uri);

	return err;
}


/* a three-way call: every established call, held ones resumed, mixed
 * here (an existing conference takes the new calls in) */
static int do_conference(struct phone *ph, const struct do_spec *d,
			 char **why)
{
	struct mmix *mix = NULL;
	unsigned n = 0;
	struct le *le;
	int err = 0;
	(void)d;

	for (le = ph->calls.head; le; le = le->next) {
		struct pcall *c = le->data;

		if (c->state != PCALL_ESTABLISHED)
			continue;
		++n;
		if (c->conf && !mix)
			mix = mem_ref(c->conf);
	}

	if (n < 2) {
		(void)re_sdprintf(why, "%s needs two established calls to "
				  "conference (it has %u)", ph->role->name, n);
		mem_deref(mix);
		return ENOENT;
	}

	if (!mix)
		err = mmix_alloc(&mix);

	for (le = ph->calls.head; le && !err; le = le->next) {
		struct pcall *c = le->data;

		if (c->state == PCALL_ESTABLISHED)
			err = pcall_conference(c, mix);
	}

	if (err)
		(void)re_sdprintf(why, "%s cannot conference: %m",
				  ph->role->name, err);
	else
		phone_logf(ph, "%s: conference of %u calls, mixed here",
			   ph->role->name, mmix_count(mix));
	mem_deref(mix);

	return err;
}


static int do_dtmf(struct phone *ph, const struct do_spec *d, char **why)
{
	struct pcall *c = phone_call_find(ph, PCALL_ESTABLISHED);
	int err;

	if (!c || !c->ms)
		return nocall(why, ph, "established call to send DTMF in");

	if (ph->cfg.dtmf_mode == DTMF_INFO) {
		const char *p;

		err = 0;
		for (p = d->text; *p && !err; p++) {
			struct mbuf *mb = mbuf_alloc(64);

			if (!mb)
				return ENOMEM;
			(void)mbuf_printf(mb, "Signal=%c\r\nDuration=160\r\n",
					  *p);
			mb->pos = 0;
			err = sipsess_info(c->sess, "application/dtmf-relay",
					   mb, NULL, NULL);
			mem_deref(mb);
		}
	}
	else {
		err = mstream_send_dtmf(c->ms, d->text,
					ph->cfg.dtmf_mode == DTMF_INBAND);
	}
	if (err)
		(void)re_sdprintf(why, "%s cannot send DTMF: %m",
				  ph->role->name, err);
	return err;
}


static int do_play(struct phone *ph, const struct do_spec *d, char **why)
{
	struct pcall *c = phone_call_current(ph);
	int err;

	mem_deref(ph->wav);
	err = str_dup(&ph->wav, d->text);
	if (!err && c)
		err = pcall_media_source(c);
	if (err)
		(void)re_sdprintf(why, "%s cannot play %s: %m",
				  ph->role->name, d->text, err);
	return err;
}


static int do_set(struct phone *ph, const struct do_spec *d, char **why)
{
	const struct phone_cfg *s = &d->set;
	struct phone_cfg *cfg = &ph->cfg;
	struct pcall *c;
	(void)why;

	if (s->given & PHONE_CFG_BUSY)
		cfg->busy = s->busy;
	if (s->given & PHONE_CFG_AUTO_ANSWER)
		cfg->auto_answer_ms = s->auto_answer_ms;
	if (s->given & PHONE_CFG_FWD_NOANS)
		cfg->fwd_noans = s->fwd_noans;
	if (s->given & PHONE_CFG_FWD_AFTER)
		cfg->fwd_after_ms = s->fwd_after_ms;
	if (s->given & PHONE_CFG_FWD_ALWAYS)
		cfg->fwd_always = s->fwd_always;
	if (s->given & PHONE_CFG_FWD_BUSY)
		cfg->fwd_busy = s->fwd_busy;
	if (s->given & PHONE_CFG_MUTE)
		cfg->mute = s->mute;
	if (s->given & PHONE_CFG_TONE)
		cfg->tone_hz = s->tone_hz;
	if (s->given & PHONE_CFG_DTMF_MODE)
		cfg->dtmf_mode = s->dtmf_mode;
	if (s->given & PHONE_CFG_SEND_CODEC)
		cfg->send_codec = s->send_codec;
	if (s->given & PHONE_CFG_EARLY_MEDIA)
		cfg->early_media = s->early_media;
	if (s->given & PHONE_CFG_GIVE_UP)
		cfg->giveup_ms = s->giveup_ms;

	/* what the current call sends follows at once */
	c = phone_call_current(ph);
	if (c && c->ms && c->state == PCALL_ESTABLISHED) {
		(void)pcall_media_source(c);
		pcall_media_update(c);
	}

	return 0;
}


static int do_register(struct phone *ph, const struct do_spec *d,
		       char **why)
{
	int err = phone_register(ph, d->verb == DO_REGISTER);

	if (err == ENOENT)
		(void)re_sdprintf(why, "%s is not registered", ph->role->name);
	else if (err == EDESTADDRREQ)
		(void)re_sdprintf(why, "%s has no proxy and no domain to "
				  "register with", ph->role->name);
	else if (err)
		(void)re_sdprintf(why, "%s cannot REGISTER: %m",
				  ph->role->name, err);
	return err;
}


/* a simulated phone starts each flow afresh as the scenario says: there
 * is nothing to restart or provision (a device's driver does) */
static int do_reset(struct phone *ph, const struct do_spec *d, char **why)
{
	(void)d;
	(void)re_sdprintf(why, "%s is a simulated phone: it has nothing to "
			  "restart or provision (a device's driver does: "
			  "testbed kind: dut)", ph->role->name);
	return ENOTSUP;
}


static verb_h *const handlers[DO_NVERBS] = {
	[DO_DIAL]     = do_dial,
	[DO_ANSWER]   = do_answer,
	[DO_REJECT]   = do_reject,
	[DO_HANGUP]   = do_hangup,
	[DO_HOLD]     = do_hold,
	[DO_RESUME]   = do_resume,
	[DO_TRANSFER] = do_transfer,
	[DO_DTMF]     = do_dtmf,
	[DO_PLAY]     = do_play,
	[DO_SET]      = do_set,
	[DO_REGISTER] = do_register,
	[DO_UNREGISTER] = do_register,
	[DO_CONFERENCE] = do_conference,
	[DO_RESET]    = do_reset,
	[DO_PROVISION] = do_reset,
};


/**
 * Act on a do: step. 0 when the phone did it; else an errno and, in why,
 * a sentence for the step's verdict.
 */
int phone_do(struct phone *ph, const struct do_spec *d, char **why)
{
	if (!ph || !d || d->verb >= DO_NVERBS || !handlers[d->verb])
		return EINVAL;

	phone_logf(ph, "%s: do %H", ph->role->name, doverb_print, d);

	return handlers[d->verb](ph, d, why);
}
