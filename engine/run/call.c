/* engine/run/call.c — one call of a scenario: its state, its verdicts, its
 * time and the Call-IDs it owns (the cursor: call_step.c) */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "msgtext.h"
#include "run.h"
#include "call.h"
#include "clock.h"


/* a Call-ID the call has seen a call begin with, or a step touch */
struct callid {
	struct le he;
	char *id;
};


static void destructor(void *data)
{
	struct call *call = data;
	unsigned i, n = call->cfg.sc->nsteps;

	list_clear(&call->inbox);
	hash_flush(call->ids);
	mem_deref(call->ids);
	for (i = 0; call->v && i < n; i++)
		mem_deref(call->v[i].reason);
	for (i = 0; call->defer && i < n; i++)
		mem_deref(call->defer[i]);
	mem_deref(call->defer);
	mem_deref(call->v);
	mem_deref(call->steprec);
	mem_deref(call->sent);
	mem_deref(call->at);
}


/**
 * A call of cfg->sc, its wants to go out through port (every handler set
 * but logh, earlierh and whyh). It does nothing until call_start.
 */
int call_alloc(struct call **callp, const struct call_cfg *cfg,
	       const struct call_port *port)
{
	struct call *call;
	size_t n;
	int err;

	if (!callp || !cfg || !cfg->sc || !cfg->clock || !cfg->ledgers ||
	    !cfg->findings || !cfg->timers || !port || !port->sendh ||
	    !port->acth || !port->tmrh || !port->verdicth || !port->stoph ||
	    !port->endh || !port->absorbh)
		return EINVAL;

	call = mem_zalloc(sizeof(*call), destructor);
	if (!call)
		return ENOMEM;

	call->cfg = *cfg;
	call->port = *port;
	n = cfg->sc->nsteps + 1;
	call->v = mem_zalloc(sizeof(*call->v) * n, NULL);
	call->steprec = mem_zalloc(sizeof(*call->steprec) * n, NULL);
	call->sent = mem_zalloc(sizeof(*call->sent) * n, NULL);
	call->at = mem_zalloc(sizeof(*call->at) * n, NULL);
	call->defer = mem_zalloc(sizeof(*call->defer) * n, NULL);
	err = hash_alloc(&call->ids, 64);
	if (!err && (!call->v || !call->steprec || !call->sent ||
		     !call->at || !call->defer))
		err = ENOMEM;

	if (err)
		mem_deref(call);
	else
		*callp = call;

	return err;
}


/** The cursor goes to the first step; the caller advances it
 *  (call_advance, or call_kick) */
void call_start(struct call *call)
{
	call->started = true;
	call->t0 = clock_now(call->cfg.clock);
	call->cur = call->cfg.sc->steps.head;
}


/** The call's time: ms since it started, on its clock */
uint64_t call_now(const struct call *call)
{
	return clock_now(call->cfg.clock) - call->t0;
}


/** A note, through the port (formatted only when someone reads it) */
void call_vlogf(struct call *call, const char *fmt, va_list ap)
{
	char *line = NULL;

	if (!call->port.logh)
		return;

	(void)re_vsdprintf(&line, fmt, ap);
	if (line)
		call->port.logh(call, line, call->port.arg);
	mem_deref(line);
}


void call_logf(struct call *call, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	call_vlogf(call, fmt, ap);
	va_end(ap);
}


uint32_t call_step_timeout(const struct call *call, const struct step *st)
{
	uint32_t t = st->timeout_ms ? st->timeout_ms
		   : call->cfg.sc->timeout_ms ? call->cfg.sc->timeout_ms
		   : call->cfg.timeout_ms ? call->cfg.timeout_ms
		   : DEFAULT_TIMEOUT_MS;

	if (st->rtx_of && !st->timeout_ms)
		return call_rtx_timeout(call, st);

	if (st->within_ms && st->within_ms + 500 > t)
		t = st->within_ms + 500;

	return t;
}


/*
 * When st happened, for the reaction of what follows: its message when
 * it arrived (a device's may have waited in the inbox while a driver was
 * busy), a driven do: when its stimulus left (run_do.c set it), a group
 * when its last member happened, anything else now.
 */
static uint64_t moment(const struct call *call, const struct step *st)
{
	const struct msgrec *r = call->steprec[st->idx];
	uint64_t t = 0;
	struct le *le;

	switch (st->type) {

	case STEP_DO:
		if (call->v[st->idx].stimulus)
			return call->at[st->idx];
		break;

	case STEP_MSG:
		if (r)
			return msgrec_time(r);
		break;

	case STEP_GROUP:
		for (le = st->members.head; le; le = le->next) {
			const struct step *m = le->data;

			if (call->v[m->idx].status == VERDICT_PASS &&
			    call->at[m->idx] > t)
				t = call->at[m->idx];
		}
		return t;

	default:
		break;
	}

	return call_now(call);
}


/** st has its verdict (s, the frame of its message, why): told through
 *  the port. reason is the call's now. */
void call_step_done(struct call *call, const struct step *st,
		    enum verdict_status s, uint32_t frame, char *reason)
{
	struct verdict *v = &call->v[st->idx];
	const struct msgrec *r = call->steprec[st->idx];

	v->status = s;
	v->frame = frame;
	v->t_ms = call_now(call);
	if (!v->stimulus)
		v->device_ms = -1;
	if (s == VERDICT_PASS && st->type == STEP_MSG && st->from->dut &&
	    !st->absent && r)
		v->device_ms = (int64_t)call_reaction(call, r);
	call->at[st->idx] = moment(call, st);
	mem_deref(v->reason);
	v->reason = reason;

	call->port.verdicth(call, st, v, call->port.arg);
}


void call_step_fail(struct call *call, const struct step *st,
		    uint32_t frame, const char *fmt, ...)
{
	char *reason = NULL;
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsdprintf(&reason, fmt, ap);
	va_end(ap);

	call_step_done(call, st, VERDICT_FAIL, frame, reason);
}


/**
 * A message's reaction time: from the latest step that had happened when
 * it arrived (its stimulus: the message sent to the device, the driver's
 * request) to its arrival. A device's step and within: use it; the time
 * it then waited in the inbox (a driver still busy) is not the device's.
 */
uint64_t call_reaction(const struct call *call, const struct msgrec *r)
{
	uint64_t from = 0;
	struct le *le;

	for (le = call->cfg.sc->steps.head; le && le != call->cur;
	     le = le->next) {
		const struct step *st = le->data;
		uint64_t t = call->at[st->idx];

		if (call->v[st->idx].status == VERDICT_PASS &&
		    t <= r->t_rx && t > from)
			from = t;
	}

	return r->t_rx - from;
}


/** The call ends: its timers stop, the stage stops what it does for it,
 *  every step without a verdict is not run, and the stage closes what
 *  the flow left open */
void call_finish(struct call *call)
{
	const struct call_port *p = &call->port;
	unsigned i;
	int t;

	if (call->finished)
		return;

	call->finished = true;
	for (t = 0; t < CALL_TMR_N; t++)
		p->tmrh(call, (enum call_tmr)t, CALL_TMR_OFF, p->arg);
	p->stoph(call, p->arg);

	for (i = 0; i < call->cfg.sc->nsteps; i++) {
		const struct step *st = scenario_step_at(call->cfg.sc, i);

		if (st && call->v[i].status == VERDICT_PENDING)
			call_step_done(call, st, VERDICT_NOTRUN, 0, NULL);
	}

	p->endh(call, p->arg);
}


/** Advance the cursor after the current handler returns */
void call_kick(struct call *call)
{
	if (!call->finished)
		call->port.tmrh(call, CALL_TMR_KICK, 0, call->port.arg);
}


static void callid_destructor(void *data)
{
	struct callid *c = data;

	hash_unlink(&c->he);
	mem_deref(c->id);
}


static bool callid_cmp(struct le *le, void *arg)
{
	const struct callid *c = le->data;

	return !pl_strcmp(arg, c->id);
}


/**
 * What r's call is known by: its Call-ID (read as text when r does not
 * decode), or for a message without one (a torture request, RFC 4475
 * §3.1.2.12) "branch " and its top Via branch, which an answer copies;
 * buf holds that. Empty when r has neither.
 */
struct pl call_key(const struct msgrec *r, char *buf, size_t sz)
{
	struct pl id = r->msg && pl_isset(&r->msg->callid) ? r->msg->callid
		     : msgtext_callid(r->mb);
	struct pl br;

	if (pl_isset(&id))
		return id;
	br = msgtext_branch(r->mb);
	if (!pl_isset(&br) || re_snprintf(buf, sz, "branch %r", &br) <= 0) {
		id.p = NULL;
		id.l = 0;
		return id;
	}
	pl_set_str(&id, buf);

	return id;
}


/** A Call-ID of this call: r starts it, or a step sent or took r */
void call_note(struct call *call, const struct msgrec *r)
{
	struct callid *c;
	char buf[256];
	struct pl id = call_key(r, buf, sizeof(buf));

	if (!pl_isset(&id) || call_known(call, &id))
		return;

	c = mem_zalloc(sizeof(*c), callid_destructor);
	if (!c)
		return;
	if (pl_strdup(&c->id, &id)) {
		mem_deref(c);
		return;
	}
	hash_append(call->ids, hash_joaat_pl(&id), &c->he, c);
}


bool call_known(const struct call *call, const struct pl *callid)
{
	return hash_lookup(call->ids, hash_joaat_pl(callid), callid_cmp,
			   (void *)callid) != NULL;
}


/** The Call-ID of an element of call->ids */
const char *call_id_of(const struct le *le)
{
	const struct callid *c = le->data;

	return c->id;
}


/** The earlier scenario of the suite that made the call callid, which is
 *  not this call's, or NULL */
const char *call_earlier(const struct call *call, const struct pl *callid)
{
	if (!call->port.earlierh || !callid || call_known(call, callid))
		return NULL;

	return call->port.earlierh(callid, call->port.arg);
}


/**
 * r is no step's: a message of a call this one never saw begin and no
 * step touched, other than a new request (left over from an earlier run
 * against the same device: a BYE it still retransmits, a phone's 481 to
 * it) — or any message of a call of an earlier scenario of the suite
 */
bool call_stray(const struct call *call, const struct msgrec *r)
{
	char buf[256];
	struct pl key;

	if (!r->msg)
		return false;
	/* without a Call-ID it is the leftover of an earlier scenario's
	 * request of that top Via branch (one without a Call-ID either),
	 * else nobody's: the steps judge it */
	if (!pl_isset(&r->msg->callid)) {
		key = call_key(r, buf, sizeof(buf));
		return pl_isset(&key) && call_earlier(call, &key);
	}
	if (call_earlier(call, &r->msg->callid))
		return true;

	return !msgrec_starts_call(r) &&
	       !call_known(call, &r->msg->callid);
}
