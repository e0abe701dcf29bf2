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
 * Share of the energy at one frequency, 20 ms frame by frame as played
 * out, each frame weighted by its energy. Over one long block, a frame
 * the jitter buffer dropped or repeated turns the phase of a tone that is
 * not a whole number of cycles per frame (425 Hz: 8.5) and cancels it;
 * per frame it cannot.
 *
 * @param s  Samples at 8 kHz
 * @param n  Number of samples (a partial last frame is left out)
 * @param hz Frequency, below 4000 Hz
 *
 * @return 0..1
 */
double mstream_tone_share_frames(const int16_t *s, size_t n, uint32_t hz)
{
	const size_t frame = MSTREAM_SRATE * MSTREAM_PTIME / 1000;
	double num = 0.0, den = 0.0;
	size_t i, k;

	if (!s)
		return 0.0;

	for (i = 0; i + frame <= n; i += frame) {
		double e = 0.0;

		for (k = 0; k < frame; k++)
			e += (double)s[i + k] * s[i + k];
		num += e * mstream_tone_share(s + i, frame, hz);
		den += e;
	}

	return den > 0.0 ? num / den : 0.0;
}


/**
 * The dominant frequency of a block: the frequency whose share of the
 * energy (mstream_tone_share_frames) is largest over the voice band, found
 * by Goertzel bins 25 Hz apart (a 20 ms frame's main lobe is 50 Hz wide
 * each side, so a tone between two of them still stands out), then
 * refined 1 Hz apart around the best. No FFT: librem's Goertzel, as the
 * tone and DTMF detectors use.
 *
 * @param s      Samples at 8 kHz
 * @param n      Number of samples; the last 200 ms are scanned, the
 *               last 500 ms refine
 * @param sharep Its share of the energy (0..1), or NULL
 *
 * @return Frequency in Hz, 0 for silence or fewer than 20 ms
 */
uint32_t mstream_dominant_hz(const int16_t *s, size_t n, double *sharep)
{
	/* the scan over the last 200 ms, the refinement over the last
	 * 500 ms: a few ms of CPU on the loop every other stream shares */
	enum { LO = 100, HI = 3900, COARSE = 25, SCAN = MSTREAM_SRATE / 5,
	       FINE = MSTREAM_SRATE / 2 };
	const int16_t *c;
	size_t nc;
	static const double TIE = 1e-6;
	double best = 0.0, whole, sh;
	uint32_t hz, f, lo, hi, top = 0;

	if (sharep)
		*sharep = 0.0;
	if (!s)
		return 0;
	if (n > FINE) {
		s += n - FINE;
		n = FINE;
	}
	nc = n > SCAN ? SCAN : n;
	c = s + n - nc;

	for (f = LO; f <= HI; f += COARSE) {
		sh = mstream_tone_share_frames(c, nc, f);
		if (sh > best) {
			best = sh;
			top = f;
		}
	}
	if (!top)
		return 0;

	/* refined over the whole block, whose main lobe is a few Hz wide
	 * (a 20 ms frame's is 100 Hz, and its peak leans towards its
	 * mirror image); a share is capped at 1, so the middle of the best
	 * run is taken */
	lo = hi = top;
	whole = 0.0;
	for (f = top - COARSE + 1; f < top + COARSE; f++) {
		sh = mstream_tone_share(s, n, f);
		if (sh > whole + TIE) {
			whole = sh;
			lo = hi = f;
		}
		else if (sh >= whole - TIE && f == hi + 1) {
			hi = f;
		}
	}
	/* a frame the jitter buffer dropped turns the phase and blurs the
	 * whole block's peak: then the frames' coarse one stands (best is
	 * of 200 ms, whole of 500: a pure tone gives about 1 in both) */
	hz = whole >= best / 2 ? (lo + hi) / 2 : top;

	if (sharep)
		*sharep = mstream_tone_share_frames(c, nc, hz);

	return hz;
}
