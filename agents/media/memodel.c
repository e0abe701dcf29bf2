/* agents/media/memodel.c — the ITU-T G.107 E-model (06/2015, §3 and
 * Table 3): the transmission rating R of a call and its MOS-CQE. Every
 * parameter is G.107's default (a handset on a quiet line) but the three
 * a media step measures: random packet loss Ppl with the codec's
 * robustness Bpl, and the one-way delay (T = Ta, Tr = 2 T: the echo path
 * is the one-way delay, the four-wire loop twice it). With the defaults
 * R = 93.2. Pure functions; tests/unit/test_media.c asserts G.107's
 * reference value and G.113 Appendix I loss cases.
 */
#include <math.h>
#include <re.h>
#include "mstream.h"


/* G.107 Table 3: default values */
static const double SLR = 8, RLR = 2, STMR = 15, LSTR = 18, DS = 3;
static const double TELR = 65, WEPL = 110, QDU = 1, IE = 0, A = 0;
static const double NC = -70, NFOR = -64, PS = 35, PR = 35;
static const double BURST_R = 1;  /* random loss */

/* G.113 Appendix I, Table I.3: G.711 packet-loss robustness */
static const double BPL_G711 = 4.3, BPL_G711_PLC = 25.1;


static double sq(double x)
{
	return x * x;
}


/* §3.3: the noise floor No (dBm0p) */
static double noise_no(void)
{
	const double olr = SLR + RLR;
	const double nos = PS - SLR - DS - 100 +
			   0.004 * sq(PS - olr - DS - 14);
	const double pre = PR + 10 * log10(1 + pow(10, (10 - LSTR) / 10));
	const double nor = RLR - 121 + pre + 0.008 * sq(pre - 35);
	const double nfo = NFOR + RLR;

	return 10 * log10(pow(10, NC / 10) + pow(10, nos / 10) +
			  pow(10, nor / 10) + pow(10, nfo / 10));
}


/* §3.4: simultaneous impairments Is = Iolr + Ist + Iq */
static double simultaneous_is(double ro, double no, double t)
{
	const double olr = SLR + RLR;
	const double xolr = olr + 0.2 * (64 + no - RLR);
	const double iolr = 20 * (pow(1 + pow(xolr / 8, 8), 1.0 / 8) -
				  xolr / 8);
	const double stmro = -10 * log10(pow(10, -STMR / 10) +
					 exp(-t / 4) * pow(10, -TELR / 10));
	const double ist = 12 * pow(1 + pow((stmro - 13) / 6, 8), 1.0 / 8)
		- 28 * pow(1 + pow((stmro + 1) / 19.4, 35), 1.0 / 35)
		- 13 * pow(1 + pow((stmro - 3) / 33, 13), 1.0 / 13) + 29;
	const double q = 37 - 15 * log10(QDU);
	const double g = 1.07 + 0.258 * q + 0.0602 * q * q;
	const double z = 46.0 / 30 - g / 40;
	const double y = (ro - 100) / 15 + 46.0 / 8.4 - g / 9;
	const double iq = 15 * log10(1 + pow(10, y) + pow(10, z));

	return iolr + ist + iq;
}


/* §3.5: delay impairments Id = Idte + Idle + Idd */
static double delay_id(double ro, double no, double t, double tr,
		       double ta)
{
	const double roe = -1.5 * (no - RLR);
	const double terv = TELR - 40 * log10((1 + t / 10) / (1 + t / 150))
			  + 6 * exp(-0.3 * t * t);
	const double re = 80 + 2.5 * (terv - 14);
	const double idte = ((roe - re) / 2 + sqrt(sq(roe - re) / 4 + 100)
			     - 1) * (1 - exp(-t));
	const double rle = 10.5 * (WEPL + 7) * pow(tr + 1, -0.25);
	const double idle = (ro - rle) / 2 + sqrt(sq(ro - rle) / 4 + 169);
	double idd = 0;

	if (ta > 100) {
		const double x = log10(ta / 100) / log10(2);

		idd = 25 * (pow(1 + pow(x, 6), 1.0 / 6) -
			    3 * pow(1 + pow(x / 3, 6), 1.0 / 6) + 2);
	}

	return idte + idle + idd;
}


/**
 * The E-model's transmission rating (G.107 §3.1):
 * R = Ro - Is - Id - Ie,eff + A, with
 * Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl)   (§3.6)
 *
 * @param em Loss, robustness and delay; NULL for every default
 *
 * @return R, 0..100 (93.2 with the defaults)
 */
double mstream_emodel_r(const struct mstream_emodel *em)
{
	const double ppl = em && em->ppl > 0 ? fmin(em->ppl, 100) : 0;
	const double bpl = em && em->bpl > 0 ? em->bpl : BPL_G711;
	const double t = em && em->ta_ms > 0 ? em->ta_ms : 0;
	const double no = noise_no();
	const double ro = 15 - 1.5 * (SLR + no);
	const double ie_eff = IE + (95 - IE) * ppl / (ppl / BURST_R + bpl);
	const double r = ro - simultaneous_is(ro, no, t) -
			 delay_id(ro, no, t, 2 * t, t) - ie_eff + A;

	return r < 0 ? 0 : r > 100 ? 100 : r;
}


/**
 * MOS-CQE of a rating (G.107 Annex B, B.1)
 *
 * @param r Transmission rating
 *
 * @return 1..4.5
 */
double mstream_emodel_r2mos(double r)
{
	if (!(r > 0))
		return 1.0;
	if (r >= 100)
		return 4.5;

	return fmax(1.0, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
}


/**
 * MOS of a G.711 call from its loss and one-way delay
 *
 * @param loss     Packet loss, 0..1 (random)
 * @param delay_ms One-way mouth-to-ear delay (network, jitter buffer,
 *                 packetisation)
 * @param plc      True if the receiver conceals lost packets
 *
 * @return MOS-CQE, 1..4.5
 */
double mstream_emodel_mos(double loss, double delay_ms, bool plc)
{
	struct mstream_emodel em;

	em.ppl = loss > 0 ? 100.0 * fmin(loss, 1) : 0;
	em.bpl = plc ? BPL_G711_PLC : BPL_G711;
	em.ta_ms = delay_ms > 0 ? delay_ms : 0;

	return mstream_emodel_r2mos(mstream_emodel_r(&em));
}
