/* engine/sip/retrans.c — RFC 3261 timers: which messages a scripted role
 * retransmits on an unreliable transport, and the intervals (§17.1.1.2,
 * §17.1.2.2, §17.2.1, §13.3.1.4). Pure arithmetic; run_rtx.c sends. */
#include <re.h>
#include "scenario.h"
#include "duration.h"
#include "retrans.h"


/**
 * The timers of a run: each one from the command line if it set it, else
 * from the scenario's timers:, else RFC 3261's default (Table 4)
 */
void sip_timers_resolve(struct sip_timers *t, const struct sip_timers *cli,
			const struct sip_timers *sc)
{
	t->t1 = cli && cli->t1 ? cli->t1 : sc && sc->t1 ? sc->t1
	      : T1_DEFAULT_MS;
	t->t2 = cli && cli->t2 ? cli->t2 : sc && sc->t2 ? sc->t2
	      : T2_DEFAULT_MS;
	t->t4 = cli && cli->t4 ? cli->t4 : sc && sc->t4 ? sc->t4
	      : T4_DEFAULT_MS;
}


/**
 * How m is retransmitted when its sender is a transaction user (on UDP;
 * a 2xx to INVITE on any transport, run_rtx.c).
 * uas_core: the sender is a user agent (only a UAS core retransmits a 2xx,
 * §13.3.1.4; a proxy passes the UAS's retransmissions on, §16.7).
 */
enum rtx_kind retrans_kind(const struct sip_msg *m, bool uas_core)
{
	bool invite;

	if (!m)
		return RTX_NONE;

	if (m->req) {
		if (!pl_strcmp(&m->met, "ACK"))
			return RTX_NONE;
		return !pl_strcmp(&m->met, "INVITE") ? RTX_INVITE
						     : RTX_NONINVITE;
	}

	invite = !pl_strcmp(&m->cseq.met, "INVITE");
	if (!invite || m->scode < 200)
		return RTX_NONE;
	if (m->scode < 300)
		return uas_core ? RTX_2XX : RTX_NONE;

	return RTX_FINAL;
}


/**
 * The interval before the next copy, prev being the one before (0: the
 * first). Timer A doubles without bound (§17.1.1.2); Timer E, Timer G and
 * a 2xx double up to T2 (§17.1.2.2, §17.2.1, §13.3.1.4); a non-INVITE
 * request that got a provisional response is resent every T2.
 */
uint32_t retrans_next(enum rtx_kind k, uint32_t prev, bool proceeding,
		      const struct sip_timers *t)
{
	uint32_t next = prev ? 2 * prev : t->t1;

	switch (k) {

	case RTX_INVITE:
		return next;
	case RTX_NONINVITE:
		if (proceeding)
			return t->t2;
		/* fall through */
	case RTX_2XX:
	case RTX_FINAL:
		return next < t->t2 ? next : t->t2;
	default:
		return 0;
	}
}


/** The interval between copy n-1 and copy n (n >= 1; copy 0 is the
 *  original), without provisional responses */
uint32_t retrans_ival(enum rtx_kind k, unsigned n,
		      const struct sip_timers *t)
{
	uint32_t ival = 0;

	while (n--) {
		ival = retrans_next(k, ival, false, t);
		if (!ival)
			break;
	}

	return ival;
}


/** Timer B, F and H, and how long a UAS resends a 2xx: 64*T1 */
uint32_t retrans_limit(const struct sip_timers *t)
{
	return 64 * t->t1;
}


/** The timer that gives up on a transaction of this kind */
const char *retrans_timer_name(enum rtx_kind k)
{
	switch (k) {

	case RTX_INVITE:    return "Timer B";
	case RTX_NONINVITE: return "Timer F";
	case RTX_FINAL:     return "Timer H";
	case RTX_2XX:       return "64*T1";
	default:            return "";
	}
}


/**
 * Set one timer by name (T1, T2 or T4) from a duration ("100ms", "1s").
 * EINVAL for another name or a zero or unreadable duration.
 */
int sip_timer_set(struct sip_timers *t, const char *name, const char *dur)
{
	uint32_t ms = 0;

	if (!t || !name || duration_parse(&ms, dur) || !ms)
		return EINVAL;

	if (!str_casecmp(name, "T1"))
		t->t1 = ms;
	else if (!str_casecmp(name, "T2"))
		t->t2 = ms;
	else if (!str_casecmp(name, "T4"))
		t->t4 = ms;
	else
		return EINVAL;

	return 0;
}


/** T2 below T1 makes no sense (§17.1.2.2 caps the interval at T2) */
bool sip_timers_valid(const struct sip_timers *t)
{
	return t->t1 && t->t2 >= t->t1 && t->t4;
}


/**
 * When a copy expected exp ms after the one before counts as on time:
 * from 3/4 of exp (the earlier copy may have been delayed more than this
 * one) to 3/2 of exp plus 200 ms (a loaded host's timer and scheduling);
 * the next interval of the sequence (2*exp) stays outside when exp > 400.
 */
void retrans_window(uint32_t exp, uint32_t *lo, uint32_t *hi)
{
	*lo = exp - exp / 4;
	*hi = exp + exp / 2 + 200;
}
