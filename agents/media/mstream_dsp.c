/* agents/media/mstream_dsp.c — the audio of a stream as samples: the
 * source it sends (silence, sine, WAV, in-band DTMF), the sink that takes
 * what it plays out (last 3 s, DTMF decoder, WAV recorder, digits), and
 * the measures of a block (level, tone share) and of a call (E-model).
 * No sockets and no timers here.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <re.h>
#include <rem.h>
#include "mstream.h"


enum {
	FULL_SCALE   = 32767,
	WAV_MAX      = 600 * MSTREAM_SRATE,  /* 10 minutes */
	DTMF_ON      = 640,   /* in-band digit: 80 ms tone, */
	DTMF_CYCLE   = 1280,  /* then 80 ms gap */
	DTMF_DBOV    = -10,   /* each of the two tones */
	RECENT       = 3 * MSTREAM_SRATE,  /* samples the sink keeps */
};

/** The signal a stream sends */
struct msource {
	enum mstream_src kind;
	int16_t *tone;         /* one second: any whole hz loops seamlessly */
	int16_t *wav;
	size_t wavn;
	size_t pos;            /* next sample of tone or wav */
	struct mbuf *digits;   /* in-band digits still to send */
	uint32_t dpos;         /* sample in the current digit's cycle */
};

/** Where the audio played out goes */
struct msink {
	int16_t *ring;         /* the last RECENT samples */
	size_t ring_pos;
	size_t ring_fill;
	struct dtmf_dec *dec;
	struct aufile *rec;
	struct mbuf *digits;   /* received so far, NUL-terminated */
};

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


/* --- the signal sent -------------------------------------------------- */

static double dbov_amplitude(int dbov)
{
	return FULL_SCALE * pow(10.0, dbov / 20.0) * sqrt(2.0);
}


static int16_t saturate(double v)
{
	if (v > 32767.0)
		return 32767;
	if (v < -32768.0)
		return -32768;

	return (int16_t)lrint(v);
}


/* Q.23 frequency pair of a digit; false for a character that is none */
static bool dtmf_freqs(char digit, double *lo, double *hi)
{
	static const char keys[] = "123A456B789C*0#D";
	static const double row[4] = {697, 770, 852, 941};
	static const double col[4] = {1209, 1336, 1477, 1633};
	const char *p;

	if (!digit)
		return false;

	p = strchr(keys, toupper((unsigned char)digit));
	if (!p)
		return false;

	*lo = row[(p - keys) / 4];
	*hi = col[(p - keys) % 4];

	return true;
}


/* add a digit's tone pair; t0 is the index of s[0] since the tone began */
static void dtmf_add(int16_t *s, size_t n, char digit, uint32_t t0)
{
	const double amp = dbov_amplitude(DTMF_DBOV);
	double lo, hi;
	size_t i;

	if (!dtmf_freqs(digit, &lo, &hi))
		return;

	for (i = 0; i < n; i++) {
		const double t = (double)(t0 + i) / MSTREAM_SRATE;

		s[i] = saturate(s[i] + amp * sin(2 * M_PI * lo * t) +
				amp * sin(2 * M_PI * hi * t));
	}
}


static void source_destructor(void *data)
{
	struct msource *src = data;

	mem_deref(src->tone);
	mem_deref(src->wav);
	mem_deref(src->digits);
}


/** A source of silence, with no digits queued */
int msource_alloc(struct msource **srcp)
{
	struct msource *src;

	if (!srcp)
		return EINVAL;

	src = mem_zalloc(sizeof(*src), source_destructor);
	if (!src)
		return ENOMEM;

	src->digits = mbuf_alloc(16);
	if (!src->digits) {
		mem_deref(src);
		return ENOMEM;
	}

	*srcp = src;

	return 0;
}


/**
 * Send a sine from now on
 *
 * @param src  Source
 * @param hz   Frequency, 1..3999 Hz
 * @param dbov RMS level, at most 0
 *
 * @return 0 if success, otherwise errorcode
 */
int msource_tone(struct msource *src, uint32_t hz, int dbov)
{
	const double amp = dbov_amplitude(dbov);
	size_t i;

	if (!src || !hz || hz >= MSTREAM_SRATE / 2 || dbov > 0)
		return EINVAL;

	if (!src->tone) {
		src->tone = mem_alloc(MSTREAM_SRATE * sizeof(*src->tone),
				      NULL);
		if (!src->tone)
			return ENOMEM;
	}

	for (i = 0; i < MSTREAM_SRATE; i++) {
		src->tone[i] = saturate(amp * sin(2 * M_PI * hz * (double)i /
						  MSTREAM_SRATE));
	}

	src->kind = MSTREAM_SRC_TONE;
	src->pos = 0;

	return 0;
}


/** Send digital silence from now on */
void msource_silence(struct msource *src)
{
	if (src)
		src->kind = MSTREAM_SRC_SILENCE;
}


/* read a whole WAV file of 8 kHz mono 16-bit PCM */
static int wav_load(int16_t **wavp, size_t *np, const char *path)
{
	struct aufile_prm prm;
	struct aufile *af = NULL;
	int16_t *wav = NULL;
	size_t n = 0, i;
	int err;

	err = aufile_open(&af, &prm, path, AUFILE_READ);
	if (err == ENOSYS)
		return EINVAL;   /* a WAV coding aufile does not read */
	if (err)
		return err;

	if (prm.srate != MSTREAM_SRATE || prm.channels != 1 ||
	    prm.fmt != AUFMT_S16LE) {
		err = EINVAL;
		goto out;
	}

	for (;;) {
		const size_t chunk = MSTREAM_SRATE;
		size_t sz = chunk * sizeof(*wav);
		int16_t *p;

		if (n + chunk > WAV_MAX) {
			err = EFBIG;
			goto out;
		}

		/* libre's mem_realloc does not take NULL */
		p = wav ? mem_realloc(wav, (n + chunk) * sizeof(*wav))
			: mem_alloc((n + chunk) * sizeof(*wav), NULL);
		if (!p) {
			err = ENOMEM;
			goto out;
		}
		wav = p;

		err = aufile_read(af, (uint8_t *)(wav + n), &sz);
		if (err)
			goto out;

		n += sz / sizeof(*wav);
		if (sz < chunk * sizeof(*wav))
			break;
	}

	if (!n) {
		err = EINVAL;
		goto out;
	}

	for (i = 0; i < n; i++)
		wav[i] = (int16_t)sys_ltohs((uint16_t)wav[i]);

	*wavp = wav;
	*np = n;
	wav = NULL;

 out:
	mem_deref(wav);
	mem_deref(af);

	return err;
}


/**
 * Send a WAV file from now on, looped; it is read into memory now
 *
 * @param src  Source
 * @param path 8 kHz mono 16-bit PCM WAV file, under 10 minutes
 *
 * @return 0 if success, EINVAL for another format or no samples, EFBIG
 *         if too long, otherwise errorcode
 */
int msource_wav(struct msource *src, const char *path)
{
	int16_t *wav;
	size_t n;
	int err;

	if (!src || !path)
		return EINVAL;

	err = wav_load(&wav, &n, path);
	if (err)
		return err;

	mem_deref(src->wav);
	src->wav = wav;
	src->wavn = n;
	src->kind = MSTREAM_SRC_WAV;
	src->pos = 0;

	return 0;
}


/**
 * Queue DTMF digits to key into the signal: each 80 ms of its tone pair
 * (-10 dBov each) then 80 ms of silence, in place of the source
 *
 * @param src    Source
 * @param digits 0-9, *, #, A-D
 *
 * @return 0 if success, otherwise errorcode
 */
int msource_dtmf(struct msource *src, const char *digits)
{
	struct mbuf *q;
	size_t pos;
	int err;

	if (!src || !digits)
		return EINVAL;

	q = src->digits;
	pos = q->pos;
	q->pos = q->end;
	err = mbuf_write_str(q, digits);
	q->pos = pos;

	return err;
}


/* key the queued in-band digits over n samples of the signal. As on a
 * real phone the keypad tone takes the place of the voice for the digit
 * (tone and gap): added to a loud source the pair would no longer carry
 * the block's energy and a decoder (librem's wants over 80 %) drops it */
static void digits_key(struct msource *src, int16_t *pcm, size_t n)
{
	struct mbuf *q = src->digits;
	size_t i = 0;

	while (i < n && mbuf_get_left(q)) {
		size_t k = n - i;

		if (src->dpos < DTMF_ON) {
			if (k > DTMF_ON - src->dpos)
				k = DTMF_ON - src->dpos;
			memset(pcm + i, 0, k * sizeof(*pcm));
			dtmf_add(pcm + i, k, (char)mbuf_buf(q)[0], src->dpos);
		}
		else {
			if (k > DTMF_CYCLE - src->dpos)
				k = DTMF_CYCLE - src->dpos;
			memset(pcm + i, 0, k * sizeof(*pcm));
		}

		i += k;
		src->dpos += (uint32_t)k;
		if (src->dpos < DTMF_CYCLE)
			continue;

		src->dpos = 0;
		++q->pos;
		if (!mbuf_get_left(q))
			q->pos = q->end = 0;
	}
}


/** The next n samples of the signal */
void msource_frame(struct msource *src, int16_t *pcm, size_t n)
{
	const int16_t *buf = NULL;
	size_t len = 0;

	if (!src || !pcm)
		return;

	if (src->kind == MSTREAM_SRC_TONE) {
		buf = src->tone;
		len = MSTREAM_SRATE;
	}
	else if (src->kind == MSTREAM_SRC_WAV) {
		buf = src->wav;
		len = src->wavn;
	}

	if (!buf || !len) {
		memset(pcm, 0, n * sizeof(*pcm));
	}
	else {
		size_t i = 0;

		while (i < n) {
			size_t k = n - i;

			if (src->pos >= len)
				src->pos = 0;
			if (k > len - src->pos)
				k = len - src->pos;
			memcpy(pcm + i, buf + src->pos, k * sizeof(*pcm));
			src->pos += k;
			i += k;
		}
	}

	digits_key(src, pcm, n);
}


/* --- the audio played out ------------------------------------------- */

static void sink_destructor(void *data)
{
	struct msink *sk = data;

	mem_deref(sk->ring);
	mem_deref(sk->dec);
	mem_deref(sk->rec);
	mem_deref(sk->digits);
}


static void dtmf_dec_handler(char digit, void *arg)
{
	msink_digit(arg, digit);
}


/** A sink with nothing played, no digits and no recorder */
int msink_alloc(struct msink **skp)
{
	struct msink *sk;
	int err;

	if (!skp)
		return EINVAL;

	sk = mem_zalloc(sizeof(*sk), sink_destructor);
	if (!sk)
		return ENOMEM;

	sk->ring = mem_zalloc(RECENT * sizeof(*sk->ring), NULL);
	sk->digits = mbuf_alloc(16);
	if (!sk->ring || !sk->digits) {
		err = ENOMEM;
		goto out;
	}

	err  = mbuf_write_u8(sk->digits, 0);
	err |= dtmf_dec_alloc(&sk->dec, MSTREAM_SRATE, 1, dtmf_dec_handler,
			      sk);

 out:
	if (err)
		mem_deref(sk);
	else
		*skp = sk;

	return err;
}


/**
 * Take n samples played out: keep them, record them, look for DTMF
 *
 * @param sk        Sink
 * @param pcm       Samples
 * @param n         Number of samples
 * @param concealed True for silence standing in for a missing frame: it
 *                  is not shown to the DTMF decoder, so that a frame lost
 *                  inside a tone does not split it into two digits
 */
void msink_play(struct msink *sk, const int16_t *pcm, size_t n,
		bool concealed)
{
	size_t first;

	if (!sk || !pcm || n > RECENT)
		return;

	first = RECENT - sk->ring_pos;
	if (first > n)
		first = n;
	memcpy(&sk->ring[sk->ring_pos], pcm, first * sizeof(*pcm));
	memcpy(sk->ring, pcm + first, (n - first) * sizeof(*pcm));
	sk->ring_pos = (sk->ring_pos + n) % RECENT;
	sk->ring_fill = sk->ring_fill + n > RECENT ? RECENT
						   : sk->ring_fill + n;

	if (!concealed)
		dtmf_dec_probe(sk->dec, pcm, n);

	/* a full disk stops the recording, not the call */
	if (sk->rec && aufile_write(sk->rec, (const uint8_t *)pcm,
				    n * sizeof(*pcm)))
		sk->rec = mem_deref(sk->rec);
}


/** Append a received digit (in-band or RFC 4733) */
void msink_digit(struct msink *sk, char digit)
{
	struct mbuf *mb;

	if (!sk)
		return;

	mb = sk->digits;
	mb->pos = mb->end - 1;
	(void)mbuf_write_u8(mb, (uint8_t)digit);
	(void)mbuf_write_u8(mb, 0);
}


/** Record what is played out from now on to a WAV file (8 kHz mono
 * 16-bit); path NULL stops recording */
int msink_record(struct msink *sk, const char *path)
{
	struct aufile_prm prm = {MSTREAM_SRATE, 1, AUFMT_S16LE};
	struct aufile *af = NULL;

	if (!sk)
		return EINVAL;

	if (path) {
		const int err = aufile_open(&af, &prm, path, AUFILE_WRITE);

		if (err)
			return err;
	}

	mem_deref(sk->rec);
	sk->rec = af;

	return 0;
}


/** Forget a tone half heard (the playout stops) */
void msink_reset(struct msink *sk)
{
	if (sk)
		dtmf_dec_reset(sk->dec, MSTREAM_SRATE, 1);
}


/** Copy the last n samples played, oldest first; returns how many */
size_t msink_recent(const struct msink *sk, int16_t *buf, size_t n)
{
	size_t start, first;

	if (!sk || !buf)
		return 0;

	if (n > sk->ring_fill)
		n = sk->ring_fill;

	start = (sk->ring_pos + RECENT - n) % RECENT;
	first = RECENT - start;
	if (first > n)
		first = n;

	memcpy(buf, &sk->ring[start], first * sizeof(*buf));
	memcpy(buf + first, sk->ring, (n - first) * sizeof(*buf));

	return n;
}


/** The digits received so far */
const char *msink_digits(const struct msink *sk)
{
	return sk ? (const char *)sk->digits->buf : "";
}
