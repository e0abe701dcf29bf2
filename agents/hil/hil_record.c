/* agents/hil/hil_record.c — what a device heard, from its own recording:
 * the testbed's driver: {recording: DIR} is where the device writes WAV
 * files of the audio it decodes (baresip's sndfile module: snd_path,
 * dump-TIME-dec.wav; a rig's capture for another device). A media window
 * marks the newest *-dec.wav and its size when it opens, and reads what
 * was appended since (or the whole of a newer file) when it closes.
 *
 * The writer may still hold the file open: its RIFF and data sizes are
 * then 0 (libsndfile fills them in at close), so the data runs to the
 * end of the file. 8 kHz mono 16-bit PCM only: what baresip writes for
 * G.711, the rate the media checks analyse.
 */
#include <string.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <re.h>
#include "hil_priv.h"


enum {
	HEADER_MAX = 4096,                 /* the data chunk starts before */
	SAMPLES_MAX = 8000 * 600,          /* 10 min at 8 kHz */
	WANT_RATE = 8000,
};

static const char SUFFIX[] = "-dec.wav";


/** The directory of the device's recordings, or NULL: none given */
const char *hil_recording(const struct hil *h)
{
	return h && h->cfg ? h->cfg->recording : NULL;
}


static bool is_dec(const char *name)
{
	const size_t n = strlen(name), k = sizeof(SUFFIX) - 1;

	return n > k && !strcmp(name + n - k, SUFFIX);
}


/* the newest *-dec.wav in dir (the later name on a tie): "" if none */
static int newest(const char *dir, char *path, size_t sz, uint64_t *size)
{
	struct timespec best = {0, 0};
	struct dirent *de;
	char best_name[256] = "";
	DIR *d;

	d = opendir(dir);
	if (!d)
		return errno;

	*size = 0;
	while ((de = readdir(d)) != NULL) {
		char p[512];
		struct stat stt;

		if (!is_dec(de->d_name) ||
		    re_snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) < 0 ||
		    stat(p, &stt) || !S_ISREG(stt.st_mode))
			continue;

		if (stt.st_mtim.tv_sec > best.tv_sec ||
		    (stt.st_mtim.tv_sec == best.tv_sec &&
		     (stt.st_mtim.tv_nsec > best.tv_nsec ||
		      (stt.st_mtim.tv_nsec == best.tv_nsec &&
		       strcmp(de->d_name, best_name) > 0)))) {
			best = stt.st_mtim;
			str_ncpy(best_name, de->d_name, sizeof(best_name));
			*size = (uint64_t)stt.st_size;
		}
	}
	(void)closedir(d);

	if (!best_name[0])
		path[0] = '\0';
	else if (re_snprintf(path, sz, "%s/%s", dir, best_name) < 0)
		return ENAMETOOLONG;

	return 0;
}


/**
 * Where the device's recording stands: its newest file and its size
 *
 * @param h    The device's driver
 * @param path Its path on return, "" if there is none yet
 * @param sz   Size of path
 * @param size Its size in bytes on return
 *
 * @return 0, ENOTSUP if the testbed gives no recording, else an errno
 *         (the directory cannot be read)
 */
int hil_heard_mark(const struct hil *h, char *path, size_t sz,
		   uint64_t *size)
{
	const char *dir = hil_recording(h);

	if (!path || !sz || !size)
		return EINVAL;

	path[0] = '\0';
	*size = 0;
	if (!dir && h && h->cfg->drv && h->cfg->drv->listen)
		return h->cfg->drv->listen(h);   /* a person listens */
	if (!dir)
		return ENOTSUP;

	return newest(dir, path, sz, size);
}


/** What the person listening at the device said (HEARD_*): ENOTSUP when
 *  its driver has no person, or its recording is read instead */
int hil_heard_word(const struct hil *h, int *said, char **words)
{
	if (!h || !said || !words)
		return EINVAL;
	if (hil_recording(h) || !h->cfg->drv || !h->cfg->drv->heard)
		return ENOTSUP;

	return h->cfg->drv->heard(h, said, words);
}


static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}


static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}


/* the offset of the samples in a WAV header of n bytes; 0 and *why if
 * it is not one, or not 8 kHz mono 16-bit PCM */
static size_t wav_data(const uint8_t *b, size_t n, char **why)
{
	size_t off = 12;
	bool fmt = false;

	if (n < 12 || memcmp(b, "RIFF", 4) || memcmp(b + 8, "WAVE", 4)) {
		(void)re_sdprintf(why, "not a RIFF/WAVE file");
		return 0;
	}

	while (off + 8 <= n) {
		const uint32_t len = le32(b + off + 4);

		if (!memcmp(b + off, "fmt ", 4) && off + 8 + 16 <= n) {
			const uint8_t *f = b + off + 8;

			fmt = le16(f) == 1 && le16(f + 2) == 1 &&
			      le32(f + 4) == WANT_RATE && le16(f + 14) == 16;
			if (!fmt) {
				(void)re_sdprintf(why, "format %u, %u "
					"channel(s), %u Hz, %u bits (8 kHz "
					"mono 16-bit PCM wanted)", le16(f),
					le16(f + 2), le32(f + 4),
					le16(f + 14));
				return 0;
			}
		}
		else if (!memcmp(b + off, "data", 4)) {
			if (!fmt)
				break;
			return off + 8;
		}

		off += 8 + len + (len & 1);
	}

	(void)re_sdprintf(why, "no fmt and data chunk in its first %zu "
			  "bytes", n);
	return 0;
}


/**
 * What the device heard since the mark: the samples its recording gained
 * (or the whole of a file newer than the marked one)
 *
 * @param h     The device's driver
 * @param mpath The marked file ("" for none)
 * @param msize Its size then
 * @param pcmp  Samples on return (8 kHz; mem_deref them)
 * @param np    Their number
 * @param pathp The file read, on return (mem_deref it)
 * @param why   Why not, on an error (allocated)
 *
 * @return 0, ENOTSUP without a recording, ENOENT with no file, else an
 *         errno
 */
int hil_heard_read(const struct hil *h, const char *mpath, uint64_t msize,
		   int16_t **pcmp, size_t *np, char **pathp, char **why)
{
	const char *dir = hil_recording(h);
	uint8_t hdr[HEADER_MAX];
	char path[512];
	uint64_t size, start, off;
	int16_t *pcm = NULL;
	size_t n = 0, i, got;
	FILE *f = NULL;
	int err;

	if (!mpath || !pcmp || !np || !pathp || !why)
		return EINVAL;
	if (!dir)
		return ENOTSUP;

	err = newest(dir, path, sizeof(path), &size);
	if (err) {
		(void)re_sdprintf(why, "cannot read the directory %s: %m",
				  dir, err);
		return err;
	}
	if (!path[0]) {
		(void)re_sdprintf(why, "no *%s file in %s", SUFFIX, dir);
		return ENOENT;
	}

	f = fopen(path, "rb");
	if (!f) {
		err = errno;
		(void)re_sdprintf(why, "cannot open %s: %m", path, err);
		return err;
	}

	got = fread(hdr, 1, sizeof(hdr), f);
	off = wav_data(hdr, got, why);
	if (!off) {
		char *w = *why;

		*why = NULL;
		(void)re_sdprintf(why, "%s: %s", path, w);
		mem_deref(w);
		err = EPROTO;
		goto out;
	}

	/* the same file: from where it stood; a newer one: all of it */
	start = !strcmp(path, mpath) && msize > off ? msize : off;
	start = off + (start - off) / 2 * 2;
	if (size > start)
		n = (size_t)((size - start) / 2);
	if (n > SAMPLES_MAX)
		n = SAMPLES_MAX;

	pcm = mem_zalloc(n ? n * sizeof(*pcm) : 1, NULL);
	if (!pcm) {
		err = ENOMEM;
		goto out;
	}

	if (n && (fseek(f, (long)start, SEEK_SET) ||
		  fread(pcm, 2, n, f) != n)) {
		err = EIO;
		(void)re_sdprintf(why, "%s: short read", path);
		goto out;
	}

	/* little-endian on disk */
	for (i = 0; i < n; i++) {
		const uint8_t *p = (const uint8_t *)&pcm[i];

		pcm[i] = (int16_t)le16(p);
	}

	err = str_dup(pathp, path);

 out:
	(void)fclose(f);
	if (err) {
		mem_deref(pcm);
	}
	else {
		*pcmp = pcm;
		*np = n;
	}

	return err;
}
