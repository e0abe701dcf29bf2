/* agents/kind.c — the kind table: one row per role kind with what the
 * runner may ask of it (build a step's message, act on a do: verb, be
 * ready, hand out its media leg, say where it is reached, close what it
 * opened), and the door functions the runner calls them through. The
 * runner never looks at a phone, a driver or a kind's name: adding a
 * kind is adding a row (as agents/hil/hil.c does for drivers). */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "agent.h"
#include "phone.h"
#include "transport.h"
#include "sipframe.h"
#include "hil/hil.h"


/* a phone (agents/phone.c): libre's stack acts at once and plays its
 * own media */

/** A phone's teardown: its calls go (phone_close); what arrives then
 *  its own stack answers */
void phone_teardown(struct agent *ag, struct agent_teardown *td)
{
	if (!td->r)
		phone_close(ag->phone);
}


static int phone_act(struct agent *ag, const struct do_spec *d,
		     const char *uri, agent_done_h *doneh, void *arg,
		     char **why)
{
	int err;
	(void)uri;
	(void)doneh;
	(void)arg;

	err = phone_do(ag->phone, d, why);
	if (err && !*why)
		(void)str_dup(why, "failed");

	return err;
}


/* a phone takes part once libre's socket is in sight (phone_wire.c) */
static bool phone_ready_h(const struct agent *ag, struct re_printf *pf)
{
	if (phone_ready(ag->phone))
		return true;
	if (pf)
		(void)re_hprintf(pf, "phone %s: its SIP socket did not come "
				 "up", ag->role->name);

	return false;
}


static void phone_leg(const struct agent *ag, struct agent_leg *leg)
{
	leg->ms = phone_stream(ag->phone);
	leg->tone_hz = phone_tone_hz(ag->phone);
	leg->dtmf = phone_dtmf(ag->phone);
}


static int phone_record(struct agent *ag, const char *prefix)
{
	return phone_record_to(ag->phone, prefix);
}


static int phone_record_fail(const struct agent *ag, const char **pathp)
{
	return phone_record_err(ag->phone, pathp);
}


/* a device under test: it acts through its driver (agents/hil/), when
 * the testbed gives it one */

static void dut_note(bool lost, const char *line, void *arg)
{
	struct agent *ag = arg;

	if (ag->h.noteh)
		ag->h.noteh(ag, lost, line, ag->arg);
}


static void dut_event(const char *name, const char *detail, void *arg)
{
	struct agent *ag = arg;

	if (ag->h.eventh)
		ag->h.eventh(ag, name, detail, ag->arg);
}


static int dut_start(struct agent *ag, char **why)
{
	const struct role *r = ag->role;
	int err;

	if (!r->dut || !r->driver)
		return 0;

	err = hil_alloc(&ag->hil, r->driver, r->name, dut_note, ag);
	if (!err) {
		hil_set_auth(ag->hil, r->auth_user, r->auth_pass);
		hil_set_event_h(ag->hil, dut_event);
		hil_set_line(ag->hil, ag->aor);
	}
	if (err)
		(void)re_sdprintf(why, "driver %s: cannot start: %m",
				  hil_driver_type(r->driver->drv), err);

	return err;
}


static void dut_done(int err, const char *why, void *arg)
{
	struct agent *ag = arg;
	agent_done_h *doneh = ag->doneh;

	ag->doneh = NULL;
	if (doneh)
		doneh(err, why, hil_sent_at(ag->hil), ag->done_arg);
}


static int dut_act(struct agent *ag, const struct do_spec *d,
		   const char *uri, agent_done_h *doneh, void *arg,
		   char **why)
{
	int err;

	if (!ag->hil) {
		(void)re_sdprintf(why, "%s has no driver to act through%s",
				  ag->role->name, ag->role->dut ? "" :
				  " (a device in the scenario, bound to no "
				  "device)");
		return ENOTSUP;
	}

	err = hil_act(ag->hil, d, uri, dut_done, ag);
	if (err) {
		(void)re_sdprintf(why, "%s's driver (%H) is busy: %m",
				  ag->role->name, hil_print, ag->hil, err);
		return err;
	}
	ag->doneh = doneh;
	ag->done_arg = arg;

	return EINPROGRESS;
}


static bool dut_ready(const struct agent *ag, struct re_printf *pf)
{
	if (!ag->hil || hil_ready(ag->hil))
		return true;
	if (pf)
		(void)re_hprintf(pf, "device %s: its driver (%H) did not "
				 "reach it", ag->role->name, hil_print,
				 ag->hil);

	return false;
}


static int dut_where(struct re_printf *pf, const struct agent *ag)
{
	return hil_print(pf, ag->hil);
}


/* what the device heard: its own recording, where the testbed names one
 * (agents/hil/hil_record.c) */
static int dut_heard_mark(const struct agent *ag, struct agent_heard *mk)
{
	return hil_heard_mark(ag->hil, mk->path, sizeof(mk->path),
			      &mk->size);
}


static int dut_heard(const struct agent *ag, const struct agent_heard *mk,
		     struct agent_heard_pcm *hp, char **why)
{
	if (!hil_heard_word(ag->hil, &hp->said, &hp->words))
		return 0;   /* a person listened */

	return hil_heard_read(ag->hil, mk->path, mk->size, &hp->pcm, &hp->n,
			      &hp->path, why);
}


static const struct agent_kind kinds[] = {
	[ROLE_UA]    = {"ua", false, ua_build, ua_teardown},
	[ROLE_PROXY] = {"proxy", true, proxy_build, proxy_teardown},
	[ROLE_PHONE] = {"phone", false, NULL, phone_teardown, NULL,
			phone_act, phone_ready_h, phone_leg, NULL,
			phone_record, phone_record_fail},
	[ROLE_DUT]   = {"dut", false, NULL, NULL, dut_start, dut_act,
			dut_ready, NULL, dut_where, NULL, NULL,
			dut_heard_mark, dut_heard},
};


/** The row of the role as bound: a device under test, or what the
 *  scenario declares it */
const struct agent_kind *agent_kind_of(const struct role *role)
{
	return &kinds[role->dut ? ROLE_DUT : role->kind];
}


/** Start reaching what the agent stands for beyond its own sockets (a
 *  device's driver); not when a capture is verified */
int agent_start(struct agent *ag, char **why)
{
	if (!ag || !why)
		return EINVAL;

	return ag->kind->starth ? ag->kind->starth(ag, why) : 0;
}


/**
 * The agent carries out d (see agent_act_h). A kind that cannot act
 * says so in *why: ENOTSUP
 */
int agent_act(struct agent *ag, const struct do_spec *d, const char *uri,
	      agent_done_h *doneh, void *arg, char **why)
{
	if (!ag || !d || !why)
		return EINVAL;

	*why = NULL;
	if (!ag->kind->acth) {
		(void)re_sdprintf(why, "%s is a scripted %s, which sends what "
				  "the flow's steps build and acts on no "
				  "do: (only a phone or a device under test "
				  "with a driver does)", ag->role->name,
				  ag->kind->name);
		return ENOTSUP;
	}

	return ag->kind->acth(ag, d, uri, doneh, arg, why);
}


/** The agent can play: a phone's socket is in sight, a driver reached
 *  its device */
bool agent_ready(const struct agent *ag)
{
	return !ag || !ag->kind->readyh || ag->kind->readyh(ag, NULL);
}


/** What an agent that is not ready still waits for */
int agent_unready_print(struct re_printf *pf, const struct agent *ag)
{
	if (ag && ag->kind->readyh)
		(void)ag->kind->readyh(ag, pf);

	return 0;
}


/**
 * Whether the role plays media itself (its RTP reaches the run through
 * the media handler, as it leaves and as it arrives); leg, if given,
 * gets its media leg (all zero when it has none)
 */
bool agent_leg(const struct agent *ag, struct agent_leg *leg)
{
	if (leg)
		memset(leg, 0, sizeof(*leg));
	if (!ag || !ag->kind->legh)
		return false;
	if (leg)
		ag->kind->legh(ag, leg);

	return true;
}


/** Where the run reaches the role: a device's driver ("baresip at
 *  127.0.0.30:4444"), else its transport and address */
int agent_where(struct re_printf *pf, const struct agent *ag)
{
	if (!ag)
		return 0;
	if (ag->kind->whereh)
		return ag->kind->whereh(pf, ag);

	return re_hprintf(pf, "%s:%J", sip_transp_name(ag->role->tp),
			  &ag->role->addr);
}


/** Recordings of the role's audio go to PREFIX-ROLE-N.wav (a kind that
 *  records nothing ignores it) */
int agent_record_to(struct agent *ag, const char *prefix)
{
	if (!ag || !prefix)
		return EINVAL;

	return ag->kind->recordh ? ag->kind->recordh(ag, prefix) : 0;
}


/** The first of the role's recordings that could not be written whole
 *  (an errno; a full disk), 0 if none; *pathp: its file */
int agent_record_err(const struct agent *ag, const char **pathp)
{
	if (!ag || !pathp)
		return 0;

	return ag->kind->record_errh ? ag->kind->record_errh(ag, pathp) : 0;
}


/** Mark where the role's own recording of what it hears stands (a media
 *  window opens); ENOTSUP: the role cannot tell what it hears */
int agent_heard_mark(const struct agent *ag, struct agent_heard *mk)
{
	if (!ag || !mk)
		return EINVAL;

	return ag->kind->heard_markh ? ag->kind->heard_markh(ag, mk)
				     : ENOTSUP;
}


/** What the role heard since mk, from its own recording; *why
 *  (allocated) when it cannot be read */
int agent_heard(const struct agent *ag, const struct agent_heard *mk,
		struct agent_heard_pcm *hp, char **why)
{
	if (!ag || !mk || !hp || !why)
		return EINVAL;

	memset(hp, 0, sizeof(*hp));

	return ag->kind->heardh ? ag->kind->heardh(ag, mk, hp, why)
				: ENOTSUP;
}


/**
 * "; the TCP connection from B (127.0.0.11) holds an incomplete message
 * (…): Content-Length 5000, 12 bytes of body arrived": why a message
 * that began to arrive at af->ag from af->from never became whole
 * (sipframe.c). Nothing when no connection of it holds one.
 */
int agent_held_print(struct re_printf *pf, const struct agent_from *af)
{
	const struct sipframe *fr;

	if (!af || !af->ag || !af->ag->tr || !af->from)
		return 0;

	fr = transport_held(af->ag->tr, &af->from->addr);
	if (!fr)
		return 0;

	return re_hprintf(pf, "; the %s connection from %s (%j) holds %H",
			  sip_transp_name(af->ag->role->tp), af->from->name,
			  &af->from->addr, sipframe_held_print, fr);
}
