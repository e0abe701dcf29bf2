/* agents/media/msink.c — where the audio a stream plays out goes: the
 * last 3 s (for the media checks), the DTMF decoder, a WAV recorder, and
 * the digits received. No sockets and no timers here. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <rem.h>
#include "mstream_priv.h"


enum {
	RECENT       = 3 * MSTREAM_SRATE,  /* samples the sink keeps */
};

/** Where the audio played out goes */
struct msink {
	int16_t *ring;         /* the last RECENT samples */
	size_t ring_pos;
	size_t ring_fill;
	struct dtmf_dec *dec;
	struct aufile *rec;
	char *rec_path;        /* the recording's file */
	int rec_err;           /* its first write that failed, or 0 */
	struct mbuf *digits;   /* received so far, NUL-terminated */
};


static void sink_destructor(void *data)
{
	struct msink *sk = data;

	mem_deref(sk->ring);
	mem_deref(sk->dec);
	mem_deref(sk->rec);
	mem_deref(sk->rec_path);
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

	/* a full disk stops the recording, not the call; the run asks
	 * (msink_record_err) and fails naming the file */
	errno = 0;
	if (sk->rec && aufile_write(sk->rec, (const uint8_t *)pcm,
				    n * sizeof(*pcm))) {
		sk->rec_err = errno ? errno : EIO;
		sk->rec = mem_deref(sk->rec);
	}
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

	/* a recording that failed stays told */
	if (!sk->rec_err) {
		sk->rec_path = mem_deref(sk->rec_path);
		if (path && str_dup(&sk->rec_path, path)) {
			mem_deref(af);
			return ENOMEM;
		}
	}
	mem_deref(sk->rec);
	sk->rec = af;

	return 0;
}


/** The recording's first write that failed (an errno), 0 if none;
 *  *pathp: its file */
int msink_record_err(const struct msink *sk, const char **pathp)
{
	if (!sk || !sk->rec_err)
		return 0;
	if (pathp)
		*pathp = sk->rec_path;

	return sk->rec_err;
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
