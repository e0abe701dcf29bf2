/* agents/media/mimpair.c — what the network does to the packets on the
 * way out: a seeded impairment (drop, duplicate, reorder, delay; the same
 * way for the same seed). mrxstat.c measures it on the way in.
 *
 * Every packet draws the same five numbers from the generator whatever
 * happens to it, so one decision never shifts the ones after it.
 */
#include <string.h>
#include <time.h>
#include <re.h>
#include "mimpair.h"


enum {
	HOLD_MAX_MS  = 3 * MSTREAM_PTIME, /* a held packet waits this long */
	SEED_ZERO    = 0x9e3779b9,        /* xorshift32 never leaves 0 */
	JITTER_MAX   = 10000,             /* ms */
};

/** One packet on its way, delayed by jitter */
struct delayed {
	struct le le;
	struct tmr tmr;
	struct sa dst;
	struct mbuf *mb;
	struct mimpair *mi;
};

struct mimpair {
	struct mstream_impair prm;
	uint32_t rng;              /* xorshift32 state */
	struct list delayl;        /* struct delayed, in flight */
	struct mbuf *held;         /* held back to be sent after the next */
	struct sa held_dst;
	bool held_dup;
	uint32_t held_delay;
	struct tmr tmr_hold;
	mimpair_emit_h *emith;
	void *arg;
};


static uint32_t rng_next(struct mimpair *mi)
{
	uint32_t x = mi->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	mi->rng = x;

	return x;
}


/* uniform in [0, 1) */
static double rng_unit(struct mimpair *mi)
{
	return (rng_next(mi) >> 8) / 16777216.0;
}


static void delayed_destructor(void *data)
{
	struct delayed *d = data;

	tmr_cancel(&d->tmr);
	list_unlink(&d->le);
	mem_deref(d->mb);
}


static void destructor(void *data)
{
	struct mimpair *mi = data;

	tmr_cancel(&mi->tmr_hold);
	list_flush(&mi->delayl);
	mem_deref(mi->held);
}


static void delayed_timeout(void *arg)
{
	struct delayed *d = arg;
	struct mimpair *mi = d->mi;

	mi->emith(&d->dst, d->mb, mi->arg);
	mem_deref(d);
}


/* a copy of the datagram from pos to end, for a packet that waits */
static struct mbuf *copy(const struct mbuf *mb)
{
	struct mbuf *c = mbuf_alloc(mbuf_get_left(mb));

	if (!c || mbuf_write_mem(c, mbuf_buf(mb), mbuf_get_left(mb)))
		return mem_deref(c);

	c->pos = 0;

	return c;
}


/* hand one packet to the socket now or after delay_ms */
static void out(struct mimpair *mi, const struct sa *dst, struct mbuf *mb,
		uint32_t delay_ms)
{
	struct delayed *d;

	if (!delay_ms) {
		mi->emith(dst, mb, mi->arg);
		return;
	}

	d = mem_zalloc(sizeof(*d), delayed_destructor);
	if (!d)
		return;

	d->mb = copy(mb);
	if (!d->mb) {
		mem_deref(d);
		return;
	}
	d->dst = *dst;
	d->mi = mi;
	list_append(&mi->delayl, &d->le, d);
	tmr_start(&d->tmr, delay_ms, delayed_timeout, d);
}


static void release_held(struct mimpair *mi)
{
	struct mbuf *mb = mi->held;

	if (!mb)
		return;

	mi->held = NULL;
	tmr_cancel(&mi->tmr_hold);
	out(mi, &mi->held_dst, mb, mi->held_delay);
	if (mi->held_dup)
		out(mi, &mi->held_dst, mb, mi->held_delay);
	mem_deref(mb);
}


static void hold_timeout(void *arg)
{
	release_held(arg);
}


/**
 * Create an impairment queue
 *
 * @param mip   Returned queue
 * @param prm   Loss, reorder and duplicate rates (0..1), jitter (at
 *              most 10 s) and the seed
 * @param emith Called for each datagram that leaves (mb from pos to end)
 * @param arg   Handler argument
 *
 * @return 0 if success, otherwise errorcode
 */
int mimpair_alloc(struct mimpair **mip, const struct mstream_impair *prm,
		  mimpair_emit_h *emith, void *arg)
{
	struct mimpair *mi;

	if (!mip || !prm || !emith)
		return EINVAL;

	if (prm->loss < 0 || prm->loss > 1 || prm->reorder < 0 ||
	    prm->reorder > 1 || prm->duplicate < 0 || prm->duplicate > 1)
		return EINVAL;

	mi = mem_zalloc(sizeof(*mi), destructor);
	if (!mi)
		return ENOMEM;

	mi->prm = *prm;
	if (mi->prm.jitter_ms > JITTER_MAX)
		mi->prm.jitter_ms = JITTER_MAX;
	mi->rng = prm->seed ? prm->seed : SEED_ZERO;
	mi->emith = emith;
	mi->arg = arg;
	list_init(&mi->delayl);
	tmr_init(&mi->tmr_hold);

	*mip = mi;

	return 0;
}


/**
 * Pass one outgoing packet through the impairment: it is dropped, sent
 * now, sent later, sent twice, or held back until the next one is sent
 *
 * @param mi  Impairment queue
 * @param dst Destination
 * @param mb  Datagram from pos to end; copied if it must wait
 */
void mimpair_send(struct mimpair *mi, const struct sa *dst, struct mbuf *mb)
{
	const uint32_t jit = mi ? mi->prm.jitter_ms : 0;
	bool drop, dup, hold;
	uint32_t d1, d2;

	if (!mi || !dst || !mb)
		return;

	drop = rng_unit(mi) < mi->prm.loss;
	dup  = rng_unit(mi) < mi->prm.duplicate;
	hold = rng_unit(mi) < mi->prm.reorder;
	d1   = rng_next(mi) % (jit + 1);
	d2   = rng_next(mi) % (jit + 1);

	if (drop)
		return;

	if (hold && !mi->held) {
		mi->held = copy(mb);
		if (!mi->held)
			return;
		mi->held_dst = *dst;
		mi->held_dup = dup;
		mi->held_delay = d1;
		tmr_start(&mi->tmr_hold, HOLD_MAX_MS, hold_timeout, mi);
		return;
	}

	out(mi, dst, mb, d1);
	if (dup)
		out(mi, dst, mb, d2);

	/* the held packet leaves right after the one that overtook it */
	if (mi->held) {
		mi->held_delay = d1;
		release_held(mi);
	}
}
