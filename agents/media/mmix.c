/* agents/media/mmix.c — the local conference mixer: each leg keeps a ring
 * of what it received; a leg about to send adds the other legs' rings to
 * its own source, summed in 32 bits and saturated to 16. No sockets and
 * no timers here: the legs' own 20 ms clocks put and take.
 *
 * The legs' clocks tick at the same rate in their own phases, so each
 * reader keeps its own cursor in each other leg's ring, a little behind
 * the writer: when a frame is not there yet it adds nothing this time
 * (the cursor stays, so the next read is one frame later), and when the
 * reader fell far behind it skips to the newest audio.
 */
#include <string.h>
#include <re.h>
#include "mstream.h"
#include "mmix.h"


enum {
	FRAME   = MSTREAM_SRATE * MSTREAM_PTIME / 1000,  /* 160 */
	RING    = 16 * FRAME,   /* 320 ms of what a leg received */
	LAG     = 2 * FRAME,    /* where a reader starts, behind the writer */
	LAG_MAX = 8 * FRAME,    /* further behind, it skips to LAG */
};

struct mmix {
	struct mmix_leg *legs[MMIX_LEGS];
};

struct mmix_leg {
	struct mmix *mix;
	unsigned slot;
	int16_t ring[RING];
	uint64_t wpos;                 /* samples written so far */
	uint64_t rpos[MMIX_LEGS];      /* our cursor in each other leg */
	bool rset[MMIX_LEGS];
};


static void leg_destructor(void *data)
{
	struct mmix_leg *leg = data;

	leg->mix->legs[leg->slot] = NULL;
	mem_deref(leg->mix);
}


/** A conference with no legs yet */
int mmix_alloc(struct mmix **mixp)
{
	struct mmix *mix;

	if (!mixp)
		return EINVAL;

	mix = mem_zalloc(sizeof(*mix), NULL);
	if (!mix)
		return ENOMEM;

	*mixp = mix;

	return 0;
}


/**
 * Join a leg to the conference; it hears the others from now on
 *
 * @param legp Returned leg (freeing it leaves the conference)
 * @param mix  Conference
 *
 * @return 0 if success, E2BIG when it has MMIX_LEGS legs already
 */
int mmix_join(struct mmix_leg **legp, struct mmix *mix)
{
	struct mmix_leg *leg;
	unsigned i, slot;

	if (!legp || !mix)
		return EINVAL;

	for (slot = 0; slot < MMIX_LEGS && mix->legs[slot]; slot++)
		;
	if (slot == MMIX_LEGS)
		return E2BIG;

	leg = mem_zalloc(sizeof(*leg), leg_destructor);
	if (!leg)
		return ENOMEM;

	leg->mix = mem_ref(mix);
	leg->slot = slot;
	mix->legs[slot] = leg;

	/* the slot may have been another leg's: cursors into it restart */
	for (i = 0; i < MMIX_LEGS; i++) {
		if (mix->legs[i])
			mix->legs[i]->rset[slot] = false;
	}

	*legp = leg;

	return 0;
}


/** How many legs the conference has */
unsigned mmix_count(const struct mmix *mix)
{
	unsigned i, n = 0;

	for (i = 0; mix && i < MMIX_LEGS; i++)
		n += mix->legs[i] != NULL;

	return n;
}


/** What the leg received: n decoded samples, as played out */
void mmix_put(struct mmix_leg *leg, const int16_t *pcm, size_t n)
{
	size_t i;

	if (!leg || !pcm)
		return;

	for (i = 0; i < n; i++)
		leg->ring[(leg->wpos + i) % RING] = pcm[i];
	leg->wpos += n;
}


/* add n (at most LAG) samples of src's ring at our cursor to acc */
static void take(struct mmix_leg *leg, const struct mmix_leg *src,
		 int32_t *acc, size_t n)
{
	uint64_t *rp = &leg->rpos[src->slot];
	size_t i;

	if (!leg->rset[src->slot] || src->wpos - *rp > LAG_MAX) {
		*rp = src->wpos > LAG ? src->wpos - LAG : 0;
		leg->rset[src->slot] = true;
	}

	if (src->wpos - *rp < n)
		return;   /* not there yet: nothing this time */

	for (i = 0; i < n; i++)
		acc[i] += src->ring[(*rp + i) % RING];
	*rp += n;
}


/**
 * Add to a leg's own pcm what every other leg received (never what this
 * leg received itself), saturating at 16 bits
 *
 * @param leg Leg about to send
 * @param pcm Its own source in, the mix out
 * @param n   Samples
 */
void mmix_add(struct mmix_leg *leg, int16_t *pcm, size_t n)
{
	int32_t acc[LAG];
	size_t off, k, i;

	if (!leg || !pcm)
		return;

	for (off = 0; off < n; off += k) {
		k = n - off < LAG ? n - off : LAG;

		for (i = 0; i < k; i++)
			acc[i] = pcm[off + i];

		for (i = 0; i < MMIX_LEGS; i++) {
			const struct mmix_leg *src = leg->mix->legs[i];

			if (src && src != leg)
				take(leg, src, acc, k);
		}

		for (i = 0; i < k; i++) {
			pcm[off + i] = acc[i] > INT16_MAX ? INT16_MAX
				     : acc[i] < INT16_MIN ? INT16_MIN
				     : (int16_t)acc[i];
		}
	}
}
