/* agents/media/msource.c — the signal a stream sends, as samples:
 * silence, a sine, a WAV file (looped), with in-band DTMF keyed in over
 * it. No sockets and no timers here. */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <re.h>
#include <rem.h>
#include "mstream_priv.h"


enum {
	FULL_SCALE   = 32767,
	WAV_MAX      = 600 * MSTREAM_SRATE,  /* 10 minutes */
	DTMF_ON      = 640,   /* in-band digit: 80 ms tone, */
	DTMF_CYCLE   = 1280,  /* then 80 ms gap */
	DTMF_DBOV    = -10,   /* each of the two tones */
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
