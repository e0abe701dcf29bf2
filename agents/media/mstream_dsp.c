/* agents/media/mstream_dsp.c — measures of received audio: the level
 * and the tone share of a block (the E-model is memodel.c). Pure
 * functions: no sockets, no timers, no state. */
#include <math.h>
#include <string.h>
#include <re.h>
#include <rem.h>
#include "mstream.h"


enum { FULL_SCALE = 32767 };

static const double LEVEL_FLOOR = -120.0;  /* dBov of digital silence */


/**
 * Level of a block of samples: RMS relative to full scale (32767), so a
 * full-scale sine is -3 dBov
 *
 * @param s Samples
 * @param n Number of samples
 *
 * @return Level in dBov, -120 for silence or an empty block
 */
double mstream_level_dbov(const int16_t *s, size_t n)
{
	double sum = 0, db;
	size_t i;

	if (!s || !n)
		return LEVEL_FLOOR;

	for (i = 0; i < n; i++)
		sum += (double)s[i] * s[i];

	if (sum <= 0)
		return LEVEL_FLOOR;

	db = 20.0 * log10(sqrt(sum / n) / FULL_SCALE);

	return db < LEVEL_FLOOR ? LEVEL_FLOOR : db;
}


/**
 * Share of a block's energy at one frequency (Goertzel over the block)
 *
 * goertzel_result() gives twice the squared DFT magnitude, A²n²/2 for a
 * sine of amplitude A at hz, while the block energy is A²n/2; dividing by
 * n times the energy makes a pure sine 1 and white noise about 2/n.
 *
 * @param s  Samples at 8 kHz
 * @param n  Number of samples
 * @param hz Frequency, below 4000 Hz
 *
 * @return 0..1
 */
double mstream_tone_share(const int16_t *s, size_t n, uint32_t hz)
{
	struct goertzel g;
	double energy = 0, share;
	size_t i;

	if (!s || !n || !hz || hz >= MSTREAM_SRATE / 2)
		return 0;

	goertzel_init(&g, hz, MSTREAM_SRATE);

	for (i = 0; i < n; i++) {
		goertzel_update(&g, s[i]);
		energy += (double)s[i] * s[i];
	}

	if (energy <= 0)
		return 0;

	share = goertzel_result(&g) / ((double)n * energy);

	return share > 1 ? 1 : share;
}


/**
 * The strongest frequency of a block, to 5 Hz: the share (as
 * mstream_tone_share) of every 5 Hz step from 50 to 3950 Hz over up to
 * ten 50 ms pieces, each weighted by its energy (a piece is short
 * enough that a dropped frame does not cancel a tone, long enough to
 * tell 20 Hz apart)
 *
 * @param s      Samples at 8 kHz
 * @param n      Number of samples
 * @param sharep Its share on return (0..1; NULL: not wanted)
 *
 * @return Frequency in Hz, 0 for silence or a block under 50 ms
 */
uint32_t mstream_tone_peak(const int16_t *s, size_t n, double *sharep)
{
	enum { PIECE = 400, PIECES = 10, STEP = 5, LO = 50, HI = 3950 };
	const size_t pieces = n / PIECE < PIECES ? n / PIECE : PIECES;
	const size_t gap = pieces ? n / pieces : 0;
	double best = 0, energy[PIECES], total = 0;
	uint32_t hz, best_hz = 0;
	size_t p, i;

	for (p = 0; p < pieces; p++) {
		energy[p] = 0;
		for (i = 0; i < PIECE; i++)
			energy[p] += (double)s[p * gap + i] * s[p * gap + i];
		total += energy[p];
	}

	if (total <= 0) {
		if (sharep)
			*sharep = 0;
		return 0;
	}

	for (hz = LO; hz <= HI; hz += STEP) {
		double share = 0;

		for (p = 0; p < pieces; p++) {
			if (energy[p] > 0)
				share += energy[p] * mstream_tone_share(
					s + p * gap, PIECE, hz);
		}
		share /= total;

		if (share > best) {
			best = share;
			best_hz = hz;
		}
	}

	if (sharep)
		*sharep = best;

	return best_hz;
}
