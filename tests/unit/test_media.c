/* tests/unit/test_media.c — RTP audio legs on 127.0.0.1: tones, codecs,
 * DTMF both ways, impairment, hold, the tap, and the pure analysis
 * functions the checks rely on */
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <re.h>
#include <rem.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "media/mstream_priv.h"


enum { MAXSEQ = 512, TELEV_PT = 101 };

/** One leg under test and what its tap saw */
struct leg {
	struct mstream *ms;
	uint32_t tap_tx_rtp;
	uint32_t tap_rx_rtp;
	uint32_t tap_markers;
	uint32_t tap_bad_ts;      /* audio timestamps not +160 */
	uint32_t tap_rx_ooo;      /* received with a seq below the last */
	uint32_t last_ts;
	uint16_t last_rx_seq;
	uint16_t txseq[MAXSEQ];   /* seq of each RTP packet that left */
	size_t ntxseq;
};


static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}


static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}


static void tap_h(bool tx, const struct sa *src, const struct sa *dst,
		  const uint8_t *pkt, size_t len, void *arg)
{
	struct leg *l = arg;
	const struct sa *local = tx ? src : dst;
	uint8_t pt;
	uint16_t seq;
	uint32_t ts;

	/* RTP on the even port, RTCP on the odd one */
	if (sa_port(local) & 1 || len < 12)
		return;

	pt = pkt[1] & 0x7f;
	seq = be16(pkt + 2);
	ts = be32(pkt + 4);

	if (!tx) {
		if (l->tap_rx_rtp && (int16_t)(seq - l->last_rx_seq) < 0)
			++l->tap_rx_ooo;
		else
			l->last_rx_seq = seq;
		++l->tap_rx_rtp;
		return;
	}

	if (pkt[1] & 0x80)
		++l->tap_markers;
	if (pt != TELEV_PT) {
		if (l->tap_tx_rtp && ts - l->last_ts != 160)
			++l->tap_bad_ts;
		l->last_ts = ts;
	}
	if (l->ntxseq < MAXSEQ)
		l->txseq[l->ntxseq++] = seq;
	++l->tap_tx_rtp;
}


static int leg_open(struct leg *l)
{
	struct sa lo;

	memset(l, 0, sizeof(*l));
	sa_set_str(&lo, "127.0.0.1", 0);

	return mstream_alloc(&l->ms, &lo, "test@127.0.0.1", tap_h, l);
}


/* two legs that send to each other */
static void pair_open(struct leg *a, struct leg *b, enum mstream_codec ca,
		      enum mstream_codec cb, int telev_pt)
{
	CU_ASSERT_EQUAL_FATAL(leg_open(a), 0);
	CU_ASSERT_EQUAL_FATAL(leg_open(b), 0);
	CU_ASSERT_EQUAL_FATAL(mstream_set_remote(a->ms, mstream_local(b->ms),
						 ca, telev_pt), 0);
	CU_ASSERT_EQUAL_FATAL(mstream_set_remote(b->ms, mstream_local(a->ms),
						 cb, telev_pt), 0);
}


static void legs_close(struct leg *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i].ms = mem_deref(v[i].ms);
}


static struct mstream_stats stats_of(const struct leg *l)
{
	struct mstream_stats st;

	mstream_stats(l->ms, &st);

	return st;
}


/* share of hz in what a leg played out last: the best of four 100 ms
 * windows, so that one frame concealed on a loaded machine does not
 * decide */
static double heard(const struct leg *l, uint32_t hz)
{
	int16_t buf[3200];
	double best = 0;
	size_t i;

	CU_ASSERT_EQUAL(mstream_recent(l->ms, buf, 3200), 3200);

	for (i = 0; i < 3200; i += 800) {
		const double share = mstream_tone_share(buf + i, 800, hz);

		if (share > best)
			best = share;
	}

	return best;
}


static void test_tones_cross_both_ways(void)
{
	struct leg v[2], *a = &v[0], *b = &v[1];
	struct mstream_stats sa_, sb;
	uint64_t t0, elapsed;
	int16_t buf[3200];

	pair_open(a, b, MSTREAM_PCMU, MSTREAM_PCMU, TELEV_PT);
	CU_ASSERT_EQUAL(mstream_source_tone(a->ms, 1004, -10), 0);
	CU_ASSERT_EQUAL(mstream_source_tone(b->ms, 600, 0), 0);

	t0 = tmr_jiffies();
	cunit_loop_for(600);
	elapsed = tmr_jiffies() - t0;

	sa_ = stats_of(a);
	sb = stats_of(b);
	CU_ASSERT(sa_.rx_packets > 20);
	CU_ASSERT(sb.rx_packets > 20);
	CU_ASSERT_EQUAL(sa_.rx_lost, 0);
	CU_ASSERT_EQUAL(sb.rx_lost, 0);
	CU_ASSERT_EQUAL(sb.rx_wrong_pt, 0);
	CU_ASSERT_EQUAL(sb.rx_pt, 0);

	/* absolute 20 ms schedule: one packet at 0 ms, then one per 20 ms
	 * (the loop may have run longer than asked on a loaded machine) */
	CU_ASSERT(sa_.tx_packets + 2 >= elapsed / 20 + 1);
	CU_ASSERT(sa_.tx_packets <= elapsed / 20 + 2);

	CU_ASSERT(heard(b, 1004) > 0.8);
	CU_ASSERT(heard(b, 600) < 0.1);
	CU_ASSERT(heard(a, 600) > 0.8);
	CU_ASSERT(heard(a, 1004) < 0.1);

	/* sent at -10 dBov; G.711 keeps the level within a dB */
	CU_ASSERT_EQUAL(mstream_recent(b->ms, buf, 3200), 3200);
	CU_ASSERT(fabs(mstream_level_dbov(buf, 3200) + 10) < 1.0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(mstream_rx_src(a->ms));
	CU_ASSERT(sa_cmp(mstream_rx_src(a->ms), mstream_local(b->ms),
			 SA_ALL));
	CU_ASSERT_FALSE(sa_cmp(mstream_rx_src(a->ms), mstream_local(a->ms),
			       SA_ALL));

	/* the tap saw exactly what left and what came in */
	CU_ASSERT_EQUAL(a->tap_tx_rtp, sa_.tx_packets);
	CU_ASSERT_EQUAL(b->tap_rx_rtp, sb.rx_packets);
	CU_ASSERT_EQUAL(a->tap_markers, 1);
	CU_ASSERT_EQUAL(a->tap_bad_ts, 0);

	legs_close(v, 2);
}


/* write n samples of a sine to a WAV file */
static int wav_write(const char *path, uint32_t srate, uint8_t ch,
		     uint32_t hz, size_t n)
{
	struct aufile_prm prm = {srate, ch, AUFMT_S16LE};
	struct aufile *af;
	int16_t s[800];
	size_t i;
	int err;

	err = aufile_open(&af, &prm, path, AUFILE_WRITE);
	if (err)
		return err;

	for (i = 0; i < n && !err; i += 800) {
		size_t k;

		for (k = 0; k < 800; k++)
			s[k] = (int16_t)(8000 * sin(2 * M_PI * hz * (i + k) /
						    srate));
		err = aufile_write(af, (uint8_t *)s, sizeof(s));
	}

	mem_deref(af);

	return err;
}


static void tmpname(char *path, size_t sz)
{
	int fd;

	re_snprintf(path, sz, "/tmp/sipflow-media-XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
}


static void test_pcma_wav_and_wrong_pt(void)
{
	struct leg v[6];
	struct leg *a = &v[0], *b = &v[1], *c = &v[2], *d = &v[3];
	struct leg *e = &v[4], *f = &v[5];
	struct mstream_stats st;
	char wav[64], bad[64], rec[64];
	struct aufile_prm prm;
	struct aufile *af;
	int16_t buf[4000];
	size_t sz = sizeof(buf);

	tmpname(wav, sizeof(wav));
	tmpname(bad, sizeof(bad));
	tmpname(rec, sizeof(rec));
	CU_ASSERT_EQUAL_FATAL(wav_write(wav, 8000, 1, 700, 4000), 0);
	CU_ASSERT_EQUAL_FATAL(wav_write(bad, 16000, 1, 700, 4000), 0);

	pair_open(a, b, MSTREAM_PCMA, MSTREAM_PCMA, TELEV_PT);
	pair_open(c, d, MSTREAM_PCMU, MSTREAM_PCMU, TELEV_PT);
	pair_open(e, f, MSTREAM_PCMU, MSTREAM_PCMU, -1);
	CU_ASSERT_EQUAL(mstream_source_tone(a->ms, 1004, -10), 0);
	CU_ASSERT_EQUAL(mstream_source_tone(d->ms, 1004, -10), 0);

	/* PCMU negotiated, but d sends PCMA: only c sees a wrong type */
	CU_ASSERT_EQUAL(mstream_send_codec(d->ms, MSTREAM_PCMA), 0);
	CU_ASSERT_EQUAL(mstream_send_codec(d->ms, 3), EINVAL);

	CU_ASSERT_EQUAL(mstream_source_wav(e->ms, bad), EINVAL);
	CU_ASSERT_EQUAL(mstream_source_wav(e->ms, "/nonexistent.wav"),
			ENOENT);
	CU_ASSERT_EQUAL(mstream_source_wav(e->ms, wav), 0);
	CU_ASSERT_EQUAL(mstream_record_wav(f->ms, rec), 0);

	cunit_loop_for(600);

	/* PCMA both ways */
	st = stats_of(b);
	CU_ASSERT(st.rx_packets > 20);
	CU_ASSERT_EQUAL(st.rx_pt, 8);
	CU_ASSERT_EQUAL(st.rx_wrong_pt, 0);
	CU_ASSERT(heard(b, 1004) > 0.8);

	/* c expects PCMU, d sends PCMA; d still takes c's PCMU */
	st = stats_of(c);
	CU_ASSERT(st.rx_wrong_pt > 20);
	CU_ASSERT_EQUAL(st.rx_pt, 8);          /* the offending type */
	CU_ASSERT_EQUAL(st.rx_packets, 0);
	CU_ASSERT_EQUAL(mstream_recent(c->ms, buf, 4000), 0);
	CU_ASSERT_EQUAL(stats_of(d).rx_wrong_pt, 0);
	CU_ASSERT(stats_of(d).rx_packets > 20);

	/* the WAV loops across the link (0.5 s file, 0.6 s run) */
	CU_ASSERT(heard(f, 700) > 0.8);
	CU_ASSERT(heard(f, 1004) < 0.1);

	legs_close(v, 6);   /* closes the recording */

	CU_ASSERT_EQUAL_FATAL(aufile_open(&af, &prm, rec, AUFILE_READ), 0);
	CU_ASSERT_EQUAL(prm.srate, 8000);
	CU_ASSERT_EQUAL(prm.channels, 1);
	CU_ASSERT_EQUAL(aufile_read(af, (uint8_t *)buf, &sz), 0);
	CU_ASSERT(sz >= 3000 * sizeof(int16_t));
	mem_deref(af);

	unlink(wav);
	unlink(bad);
	unlink(rec);
}


static void test_dtmf_rfc4733_and_inband(void)
{
	struct leg v[7];
	struct leg *a1 = &v[0], *b1 = &v[1], *a2 = &v[2], *b2 = &v[3];
	struct leg *a3 = &v[4], *b3 = &v[5], *x = &v[6];

	pair_open(a1, b1, MSTREAM_PCMU, MSTREAM_PCMU, TELEV_PT);
	pair_open(a2, b2, MSTREAM_PCMU, MSTREAM_PCMU, TELEV_PT);
	pair_open(a3, b3, MSTREAM_PCMU, MSTREAM_PCMU, TELEV_PT);
	CU_ASSERT_EQUAL_FATAL(leg_open(x), 0);

	CU_ASSERT_EQUAL(mstream_send_dtmf(a1->ms, "123#", false), 0);
	CU_ASSERT_EQUAL(mstream_send_dtmf(a2->ms, "124#", false), 0);
	/* keyed over a loud tone, as a phone's keypad over its microphone */
	CU_ASSERT_EQUAL(mstream_source_tone(a3->ms, 600, -10), 0);
	CU_ASSERT_EQUAL(mstream_send_dtmf(a3->ms, "159*", true), 0);

	CU_ASSERT_EQUAL(mstream_send_dtmf(a1->ms, "12x", false), EINVAL);
	CU_ASSERT_EQUAL(mstream_send_dtmf(x->ms, "1", false), ENOTSUP);

	/* RFC 4733: 12 packets of 20 ms per digit; in-band: 160 ms */
	cunit_loop_for(1300);

	CU_ASSERT_STRING_EQUAL(mstream_dtmf(b1->ms), "123#");
	CU_ASSERT_STRING_EQUAL(mstream_dtmf(b2->ms), "124#");
	CU_ASSERT_STRING_NOT_EQUAL(mstream_dtmf(b2->ms), "123#");
	CU_ASSERT_STRING_EQUAL(mstream_dtmf(b3->ms), "159*");
	CU_ASSERT_STRING_EQUAL(mstream_dtmf(a1->ms), "");
	CU_ASSERT(heard(b3, 600) > 0.8);       /* the tone is back after */

	/* events replace the audio: nothing counted as a wrong pt */
	CU_ASSERT_EQUAL(stats_of(b1).rx_wrong_pt, 0);
	CU_ASSERT_EQUAL(stats_of(b1).rx_lost, 0);
	CU_ASSERT_EQUAL(a1->tap_tx_rtp, stats_of(a1).tx_packets);

	legs_close(v, 7);
}


/* packets a sender's tap saw, as offsets from the first */
static bool same_pattern(const struct leg *x, const struct leg *y,
			 size_t n)
{
	size_t i;

	if (x->ntxseq < n || y->ntxseq < n)
		return false;

	for (i = 0; i < n; i++) {
		if ((uint16_t)(x->txseq[i] - x->txseq[0]) !=
		    (uint16_t)(y->txseq[i] - y->txseq[0]))
			return false;
	}

	return true;
}


static void test_impairment_is_seeded_and_measured(void)
{
	const struct mstream_impair loss42 = {.loss = 0.10, .seed = 42};
	const struct mstream_impair loss7 = {.loss = 0.10, .seed = 7};
	const struct mstream_impair dup = {.duplicate = 0.2, .seed = 1};
	const struct mstream_impair jit = {.jitter_ms = 60, .seed = 3};
	const struct mstream_impair reo = {.reorder = 0.2, .seed = 5};
	struct leg v[14];
	struct mstream_stats st, sa_;
	uint32_t total;
	size_t i;

	for (i = 0; i < 14; i += 2)
		pair_open(&v[i], &v[i + 1], MSTREAM_PCMU, MSTREAM_PCMU,
			  TELEV_PT);

	mstream_impair(v[0].ms, &loss42);
	mstream_impair(v[2].ms, &loss42);
	mstream_impair(v[4].ms, &loss7);
	/* v[6] -> v[7]: no impairment */
	mstream_impair(v[8].ms, &dup);
	mstream_impair(v[10].ms, &jit);
	mstream_impair(v[12].ms, &reo);

	cunit_loop_for(2500);
	for (i = 0; i < 14; i++)
		mstream_stop(v[i].ms);
	cunit_loop_for(150);   /* let delayed and held packets arrive */

	/* 10 % loss over 125 packets */
	st = stats_of(&v[1]);
	sa_ = stats_of(&v[0]);
	total = st.rx_packets + st.rx_lost;
	CU_ASSERT(total >= 100);
	CU_ASSERT(st.rx_lost >= total * 5 / 100);
	CU_ASSERT(st.rx_lost <= total * 15 / 100);
	CU_ASSERT_EQUAL(st.rx_packets, sa_.tx_packets);
	CU_ASSERT_EQUAL(v[0].tap_tx_rtp, sa_.tx_packets);

	/* same seed, same packets sent; another seed, others */
	CU_ASSERT(same_pattern(&v[0], &v[2], 100));
	CU_ASSERT_FALSE(same_pattern(&v[0], &v[4], 100));

	/* no impairment, no loss */
	st = stats_of(&v[7]);
	CU_ASSERT(st.rx_packets >= 100);
	CU_ASSERT_EQUAL(st.rx_lost, 0);
	CU_ASSERT_EQUAL(st.rx_dup, 0);
	CU_ASSERT_EQUAL(v[7].tap_rx_ooo, 0);
	CU_ASSERT(st.jitter_ms < 10);

	/* duplicates are counted, not lost */
	st = stats_of(&v[9]);
	CU_ASSERT(st.rx_dup >= 10 && st.rx_dup <= 50);
	CU_ASSERT_EQUAL(st.rx_lost, 0);
	CU_ASSERT_EQUAL(v[8].tap_tx_rtp, stats_of(&v[8]).tx_packets);

	/* 0..60 ms delays: jitter shows, nothing lost */
	st = stats_of(&v[11]);
	CU_ASSERT(st.jitter_ms > 8);
	CU_ASSERT_EQUAL(st.rx_lost, 0);

	/* held back one packet: out of order, nothing lost */
	st = stats_of(&v[13]);
	CU_ASSERT(v[13].tap_rx_ooo >= 10);
	CU_ASSERT_EQUAL(st.rx_lost, 0);
	CU_ASSERT_EQUAL(st.rx_dup, 0);

	legs_close(v, 14);
}


static void test_hold_stops_sending(void)
{
	struct leg v[2], *a = &v[0], *b = &v[1];
	uint32_t held, a_rx;

	pair_open(a, b, MSTREAM_PCMU, MSTREAM_PCMU, TELEV_PT);
	CU_ASSERT_EQUAL(mstream_source_tone(a->ms, 1004, -10), 0);

	cunit_loop_for(300);
	CU_ASSERT(stats_of(b).rx_packets > 5);

	mstream_set_dir(a->ms, false, true);   /* sendonly -> recvonly */
	cunit_loop_for(60);
	held = stats_of(b).rx_packets;
	a_rx = stats_of(a).rx_packets;
	cunit_loop_for(400);
	CU_ASSERT_EQUAL(stats_of(b).rx_packets, held);
	CU_ASSERT(stats_of(a).rx_packets > a_rx + 10);   /* b still sends */

	mstream_set_dir(a->ms, true, true);    /* resume */
	cunit_loop_for(300);
	CU_ASSERT(stats_of(b).rx_packets > held + 5);
	CU_ASSERT_EQUAL(stats_of(b).rx_lost, 0);
	CU_ASSERT_EQUAL(a->tap_markers, 2);    /* a new talkspurt */
	CU_ASSERT_EQUAL(a->tap_bad_ts, 1);     /* the clock ran on */

	mstream_stop(a->ms);                   /* hangup */
	cunit_loop_for(60);
	held = stats_of(b).rx_packets;
	cunit_loop_for(200);
	CU_ASSERT_EQUAL(stats_of(b).rx_packets, held);

	legs_close(v, 2);
}


/* 40 ms lost inside an in-band digit: concealed, it is still one digit;
 * shown to the decoder as real silence, it would be two */
static void test_lost_frames_do_not_split_a_digit(void)
{
	struct msource *src;
	struct msink *sk[2];
	int16_t f[8][160], zero[160];
	unsigned i, k;

	memset(zero, 0, sizeof(zero));
	CU_ASSERT_EQUAL_FATAL(msource_alloc(&src), 0);
	CU_ASSERT_EQUAL_FATAL(msource_dtmf(src, "5"), 0);
	for (i = 0; i < 8; i++)      /* 4 frames of tone, 4 of gap */
		msource_frame(src, f[i], 160);

	for (k = 0; k < 2; k++) {
		CU_ASSERT_EQUAL_FATAL(msink_alloc(&sk[k]), 0);
		for (i = 0; i < 8; i++) {
			if (i == 2) {
				msink_play(sk[k], zero, 160, k == 0);
				msink_play(sk[k], zero, 160, k == 0);
			}
			msink_play(sk[k], f[i], 160, false);
		}
	}

	CU_ASSERT_STRING_EQUAL(msink_digits(sk[0]), "5");
	CU_ASSERT_STRING_EQUAL(msink_digits(sk[1]), "55");

	mem_deref(sk[0]);
	mem_deref(sk[1]);
	mem_deref(src);
}


static void test_bad_arguments(void)
{
	struct leg l;
	struct sa lo;
	int16_t buf[10];

	CU_ASSERT_EQUAL(mstream_alloc(NULL, NULL, "x", NULL, NULL), EINVAL);
	CU_ASSERT_EQUAL_FATAL(leg_open(&l), 0);

	sa_set_str(&lo, "127.0.0.1", 30000);
	CU_ASSERT_EQUAL(mstream_set_remote(l.ms, &lo, 3, -1), EINVAL);
	CU_ASSERT_EQUAL(mstream_set_remote(l.ms, &lo, MSTREAM_PCMU, 0),
			EINVAL);
	CU_ASSERT_EQUAL(mstream_source_tone(l.ms, 0, -10), EINVAL);
	CU_ASSERT_EQUAL(mstream_source_tone(l.ms, 4000, -10), EINVAL);
	CU_ASSERT_EQUAL(mstream_source_tone(l.ms, 1000, 3), EINVAL);
	CU_ASSERT_EQUAL(mstream_recent(l.ms, buf, 10), 0);
	CU_ASSERT_PTR_NULL(mstream_rx_src(l.ms));
	CU_ASSERT_STRING_EQUAL(mstream_dtmf(l.ms), "");
	CU_ASSERT_EQUAL(mstream_rtcp_interval(NULL, 500), EINVAL);
	CU_ASSERT_EQUAL(mstream_rtcp_interval(l.ms, MSTREAM_RTCP_MIN - 1),
			EINVAL);
	CU_ASSERT_EQUAL(mstream_rtcp_interval(l.ms, MSTREAM_RTCP_MAX + 1),
			EINVAL);
	CU_ASSERT_EQUAL(mstream_rtcp_interval(l.ms, 0), 0);

	/* an even port in 20000..60000, RTCP on the next */
	CU_ASSERT(sa_port(mstream_local(l.ms)) >= 20000);
	CU_ASSERT(sa_port(mstream_local(l.ms)) <= 60000);
	CU_ASSERT_EQUAL(sa_port(mstream_local(l.ms)) & 1, 0);

	l.ms = mem_deref(l.ms);
}


static void rx_seq(struct mrxstat *rs, uint16_t seq)
{
	struct rtp_header h;

	memset(&h, 0, sizeof(h));
	h.ssrc = 0xabcd;
	h.seq = seq;
	h.ts = 160u * seq;
	(void)mrxstat_packet(rs, &h, true);
}


/* RFC 3550 §6.4.1 and A.3: a report block's fraction lost counts the
 * interval since the previous block, the cumulative count all of it,
 * the extended highest sequence number its cycles */
static void test_report_block_counts_the_interval(void)
{
	struct mrxstat *rs = NULL;
	struct rtcp_rr rr;
	uint16_t s;

	CU_ASSERT_EQUAL_FATAL(mrxstat_alloc(&rs), 0);
	CU_ASSERT_FALSE(mrxstat_block(rs, &rr));  /* nothing received */

	/* 65530..65539 (wrapping) without 65533 and 0: 2 of 10 lost, and
	 * 65531 twice (a duplicate is no packet received) */
	for (s = 65530; s != 4; s++) {
		if (s != 65533 && s != 0)
			rx_seq(rs, s);
	}
	rx_seq(rs, 65531);
	CU_ASSERT_FATAL(mrxstat_block(rs, &rr));
	CU_ASSERT_EQUAL(rr.ssrc, 0xabcd);
	CU_ASSERT_EQUAL(rr.fraction, (2 << 8) / 10);
	CU_ASSERT_EQUAL(rr.lost, 2);
	CU_ASSERT_EQUAL(rr.last_seq, 0x10003u);   /* one cycle, seq 3 */
	CU_ASSERT_EQUAL(rr.lsr, 0);

	/* the next ten all came: fraction 0, the count stays */
	for (s = 4; s < 14; s++)
		rx_seq(rs, s);
	CU_ASSERT_FATAL(mrxstat_block(rs, &rr));
	CU_ASSERT_EQUAL(rr.fraction, 0);
	CU_ASSERT_EQUAL(rr.lost, 2);
	CU_ASSERT_EQUAL(rr.last_seq, 0x1000du);

	/* one of the next four lost: 64/256 */
	rx_seq(rs, 14);
	rx_seq(rs, 16);
	rx_seq(rs, 17);
	CU_ASSERT_FATAL(mrxstat_block(rs, &rr));
	CU_ASSERT_EQUAL(rr.fraction, 64);
	CU_ASSERT_EQUAL(rr.lost, 3);

	/* nothing since: nothing lost in the interval */
	CU_ASSERT_FATAL(mrxstat_block(rs, &rr));
	CU_ASSERT_EQUAL(rr.fraction, 0);
	CU_ASSERT_EQUAL(rr.lost, 3);

	mem_deref(rs);
}


static void sine(int16_t *s, size_t n, double hz, double amp)
{
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = (int16_t)lrint(amp * sin(2 * M_PI * hz * i / 8000));
}


static void test_level_and_tone_share(void)
{
	static int16_t s[8000], t[8000];
	uint32_t x = 12345;
	size_t i;

	sine(s, 8000, 1004, 32767);
	CU_ASSERT(fabs(mstream_level_dbov(s, 8000) + 3.01) < 0.5);

	sine(s, 8000, 1004, 32767 * pow(10, -20 / 20.0) * sqrt(2));
	CU_ASSERT(fabs(mstream_level_dbov(s, 8000) + 20) < 0.5);

	memset(t, 0, sizeof(t));
	CU_ASSERT(mstream_level_dbov(t, 8000) <= -100);
	CU_ASSERT(mstream_level_dbov(t, 0) <= -100);

	CU_ASSERT(mstream_tone_share(s, 8000, 1004) > 0.95);
	CU_ASSERT(mstream_tone_share(s, 8000, 1004) <= 1.0);
	CU_ASSERT(mstream_tone_share(s, 1600, 1004) > 0.95);
	CU_ASSERT(mstream_tone_share(s, 8000, 2000) < 0.05);
	CU_ASSERT(mstream_tone_share(s, 8000, 1100) < 0.05);
	CU_ASSERT_EQUAL(mstream_tone_share(t, 8000, 1004), 0);

	/* white noise: no tone */
	for (i = 0; i < 8000; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		t[i] = (int16_t)(x & 0x3fff) - 0x2000;
	}
	CU_ASSERT(mstream_tone_share(t, 8000, 1004) < 0.05);

	/* two tones of equal level: half each */
	sine(s, 8000, 1004, 8000);
	sine(t, 8000, 2000, 8000);
	for (i = 0; i < 8000; i++)
		t[i] = (int16_t)(t[i] + s[i]);
	CU_ASSERT(fabs(mstream_tone_share(t, 8000, 1004) - 0.5) < 0.1);
	CU_ASSERT(fabs(mstream_tone_share(t, 8000, 2000) - 0.5) < 0.1);

}


/* the frequency heard: a tone anywhere in the band, within 2 Hz, also
 * between two coarse bins and against noise; none in silence */
static void test_dominant_frequency(void)
{
	static const double hz[] = {300, 425, 600, 650, 1004, 1013, 3400};
	static int16_t s[16000], t[8000];
	uint32_t x = 777, got;
	double share;
	size_t i, k;

	for (k = 0; k < ARRAY_SIZE(hz); k++) {
		sine(s, 16000, hz[k], 8000);
		got = mstream_dominant_hz(s, 16000, &share);
		CU_ASSERT(fabs(got - hz[k]) <= 2);
		CU_ASSERT(share > 0.9);
	}

	/* 600 Hz under white noise 10 dB down still stands out */
	for (i = 0; i < 8000; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		t[i] = (int16_t)((int)(x & 0x7ff) - 0x400);
	}
	sine(s, 8000, 600, 8000);
	for (i = 0; i < 8000; i++)
		t[i] = (int16_t)(t[i] + s[i]);
	got = mstream_dominant_hz(t, 8000, &share);
	CU_ASSERT(fabs(got - 600.0) <= 2);

	memset(t, 0, sizeof(t));
	CU_ASSERT_EQUAL(mstream_dominant_hz(t, 8000, &share), 0);
	CU_ASSERT_EQUAL(share, 0);
	CU_ASSERT_EQUAL(mstream_dominant_hz(NULL, 8000, NULL), 0);
	CU_ASSERT_EQUAL(mstream_dominant_hz(s, 100, &share), 0);
}


static void test_emodel_mos(void)
{
	double loss, prev = 5;

	CU_ASSERT(mstream_emodel_mos(0, 20, false) >= 4.3);
	CU_ASSERT(mstream_emodel_mos(0, 20, false) <= 4.5);
	CU_ASSERT(mstream_emodel_mos(0.10, 20, false) < 3.0);
	CU_ASSERT(mstream_emodel_mos(0.10, 20, true) > 3.0);
	CU_ASSERT(mstream_emodel_mos(0, 400, false) <
		  mstream_emodel_mos(0, 100, false));
	CU_ASSERT(mstream_emodel_mos(0, 100, false) < 4.5);
	CU_ASSERT_EQUAL(mstream_emodel_mos(1.0, 20, false), 1.0);

	for (loss = 0; loss <= 0.3; loss += 0.01) {
		const double mos = mstream_emodel_mos(loss, 20, false);

		CU_ASSERT(mos < prev);
		CU_ASSERT(mos >= 1.0 && mos <= 4.5);
		prev = mos;
	}
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"tones_cross_both_ways", test_tones_cross_both_ways},
		{"pcma_wav_and_wrong_pt", test_pcma_wav_and_wrong_pt},
		{"dtmf_rfc4733_and_inband", test_dtmf_rfc4733_and_inband},
		{"impairment_is_seeded_and_measured",
		 test_impairment_is_seeded_and_measured},
		{"hold_stops_sending", test_hold_stops_sending},
		{"lost_frames_do_not_split_a_digit",
		 test_lost_frames_do_not_split_a_digit},
		{"bad_arguments", test_bad_arguments},
		{"report_block_counts_the_interval",
		 test_report_block_counts_the_interval},
		{"level_and_tone_share", test_level_and_tone_share},
		{"dominant_frequency", test_dominant_frequency},
		{"emodel_mos", test_emodel_mos},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("media", tests);
}
