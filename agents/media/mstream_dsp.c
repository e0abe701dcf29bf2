/* agents/media/mstream_dsp.c — measures of received audio: the level
 * and the tone share of a block, and the E-model MOS of a call. Pure
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
 * ITU-T G.107 E-model, simplified for G.711 (Ie = 0) with the defaults
 *
 *   R      = 93.2 - Id - Ie_eff
 *   Ie_eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl)
 *            Ppl in percent, BurstR = 1 (random loss),
 *            Bpl = 4.3 without PLC, 25.1 with PLC (G.113 Appendix I)
 *   Id     = 0.024 d + 0.11 (d - 177.3) H(d - 177.3)   (Cole-Rosenbluth)
 *   MOS    = 1 + 0.035 R + 7e-6 R (R - 60) (100 - R), in [1, 4.5]
 *
 * @param loss     Packet loss, 0..1
 * @param delay_ms One-way mouth-to-ear delay in ms
 * @param plc      True if the receiver conceals lost packets
 *
 * @return MOS-CQE, 1..4.5
 */
double mstream_emodel_mos(double loss, double delay_ms, bool plc)
{
	const double ie = 0, burst_r = 1;
	const double bpl = plc ? 25.1 : 4.3;
	double ppl, ie_eff, id, r, mos;

	if (!(loss >= 0))
		loss = 0;
	if (loss > 1)
		loss = 1;
	if (!(delay_ms >= 0))
		delay_ms = 0;

	ppl = loss * 100.0;
	ie_eff = ie + (95.0 - ie) * ppl / (ppl / burst_r + bpl);

	id = 0.024 * delay_ms;
	if (delay_ms > 177.3)
		id += 0.11 * (delay_ms - 177.3);

	r = 93.2 - id - ie_eff;
	if (r <= 0)
		return 1.0;
	if (r >= 100)
		return 4.5;

	mos = 1.0 + 0.035 * r + 7e-6 * r * (r - 60.0) * (100.0 - r);

	if (mos < 1.0)
		return 1.0;

	return mos > 4.5 ? 4.5 : mos;
}
