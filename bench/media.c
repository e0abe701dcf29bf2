/* bench/media.c — how many G.711 streams one core carries in real time:
 * N pairs of mstreams on 127.0.0.x send a tone to each other on libre's
 * loop in this one thread, every received stream de-jittered, decoded and
 * run through the DTMF decoder; per N the CPU time against the wall time
 * and whether every stream kept up (>= 98 % of 50 packets/s sent, < 1 %
 * lost).
 *
 * usage: media [-s SECONDS] [N ...]   (default 5 s; 100 250 500 1000 1250
 *                                      1500 2000 pairs; stops at a failure)
 *
 * "max conc" is the worst share of frames a receiver played as silence
 * because none was due: not part of "kept up", but it shows when the
 * playout falls behind before the sending does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <re.h>
#include "media/mstream.h"


enum {
	WARMUP_MS = 500,      /* before the window: fill jitter buffers */
	FDS_PER_PAIR = 6,     /* RTP, RTCP and clock fd of each of two legs */
	FDS_SPARE = 64,
	PPS = 1000 / MSTREAM_PTIME,
};

struct step {
	unsigned pairs;
	double wall;          /* s, the measured window */
	double cpu;           /* s, user + system in the window */
	double tx_rate;       /* packets/s of the slowest sender */
	double loss;          /* worst receiver, 0..1 */
	double conceal;       /* worst receiver: frames played as silence */
	unsigned kept;        /* streams that kept up */
	long rss_kb;
};


static void stop_h(void *arg)
{
	(void)arg;
	re_cancel();
}


static void signal_h(int sig)
{
	(void)sig;
	re_cancel();
}


static void run_for(uint32_t ms)
{
	struct tmr t;

	tmr_init(&t);
	tmr_start(&t, ms, stop_h, NULL);
	(void)re_main(signal_h);
	tmr_cancel(&t);
}


static double now_s(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}


static double cpu_s(void)
{
	struct rusage ru;

	(void)getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}


/* each stream needs 2 sockets: raise the soft limit to the hard one */
static rlim_t raise_nofile(rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;

	if (rl.rlim_cur < want) {
		const rlim_t old = rl.rlim_cur;

		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			printf("RLIMIT_NOFILE raised from %lu to %lu "
			       "(each stream: RTP and RTCP socket, clock)\n",
			       (unsigned long)old,
			       (unsigned long)rl.rlim_cur);
	}

	return rl.rlim_cur;
}


static int leg_open(struct mstream **msp, unsigned i)
{
	char ip[32];
	struct sa laddr;

	/* spread the legs over 127.0.0.1..127.0.0.250 */
	re_snprintf(ip, sizeof(ip), "127.0.0.%u", 1 + i % 250);
	sa_set_str(&laddr, ip, 0);

	return mstream_alloc(msp, &laddr, "bench@127.0.0.1", NULL, NULL);
}


static int run_step(struct step *r, unsigned pairs, uint32_t secs)
{
	const unsigned n = 2 * pairs;
	struct mstream **v;
	struct mstream_stats *st0;
	double t0, c0;
	unsigned i;
	int err = 0;

	v = calloc(n, sizeof(*v));
	st0 = calloc(n, sizeof(*st0));
	if (!v || !st0) {
		err = ENOMEM;
		goto out;
	}

	for (i = 0; i < n && !err; i++)
		err = leg_open(&v[i], i);
	if (err) {
		fprintf(stderr, "media: opening stream %u: %s\n", i,
			strerror(err));
		goto out;
	}

	for (i = 0; i < n; i += 2) {
		err |= mstream_set_remote(v[i], mstream_local(v[i + 1]),
					  MSTREAM_PCMU, 101);
		err |= mstream_set_remote(v[i + 1], mstream_local(v[i]),
					  MSTREAM_PCMU, 101);
		err |= mstream_source_tone(v[i], 1004, -10);
		err |= mstream_source_tone(v[i + 1], 600, -10);
	}
	if (err)
		goto out;

	run_for(WARMUP_MS);

	for (i = 0; i < n; i++)
		mstream_stats(v[i], &st0[i]);
	t0 = now_s();
	c0 = cpu_s();

	run_for(secs * 1000);

	r->wall = now_s() - t0;
	r->cpu = cpu_s() - c0;
	r->pairs = pairs;
	r->kept = 0;
	r->tx_rate = 1e9;
	r->loss = 0;

	for (i = 0; i < n; i++) {
		struct mstream_stats st;
		uint32_t tx, rx, lost, sil;
		double rate, loss, conceal;

		mstream_stats(v[i], &st);
		tx = st.tx_packets - st0[i].tx_packets;
		rx = st.rx_packets - st0[i].rx_packets;
		lost = st.rx_lost - st0[i].rx_lost;
		sil = st.rx_silence - st0[i].rx_silence;
		conceal = sil / (r->wall * PPS);
		rate = tx / r->wall;
		loss = (rx + lost) ? (double)lost / (rx + lost) : 1;

		if (rate < r->tx_rate)
			r->tx_rate = rate;
		if (loss > r->loss)
			r->loss = loss;
		if (conceal > r->conceal)
			r->conceal = conceal;
		if (rate >= 0.98 * PPS && loss < 0.01)
			++r->kept;
	}

	{
		struct rusage ru;

		(void)getrusage(RUSAGE_SELF, &ru);
		r->rss_kb = ru.ru_maxrss;
	}

 out:
	for (i = 0; v && i < n; i++)
		mem_deref(v[i]);
	free(v);
	free(st0);

	return err;
}


int main(int argc, char *argv[])
{
	static const unsigned defaults[] = {100, 250, 500, 1000, 1250, 1500,
					     2000};
	unsigned list[64], nlist = 0, best = 0, clean = 0, maxpairs = 0, i;
	uint32_t secs = 5;
	rlim_t nofile;
	int opt, err;

	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt != 's') {
			fprintf(stderr, "usage: media [-s SECONDS] [N ...]\n");
			return 2;
		}
		secs = (uint32_t)atoi(optarg);
	}
	for (; optind < argc && nlist < 64; optind++)
		list[nlist++] = (unsigned)atoi(argv[optind]);
	if (!nlist) {
		memcpy(list, defaults, sizeof(defaults));
		nlist = sizeof(defaults) / sizeof(defaults[0]);
	}
	if (!secs)
		secs = 5;

	for (i = 0; i < nlist; i++)
		maxpairs = list[i] > maxpairs ? list[i] : maxpairs;

	nofile = raise_nofile(maxpairs * FDS_PER_PAIR + FDS_SPARE);
	if (nofile > maxpairs * FDS_PER_PAIR + FDS_SPARE)
		nofile = maxpairs * FDS_PER_PAIR + FDS_SPARE;

	err = libre_init();
	if (err)
		return 2;

	/* libre polls fds below maxfds only; set it before the first */
	err = fd_setsize((int)nofile);
	if (err)
		goto out;

	printf("G.711 PCMU, 20 ms, both ways; jitter buffer and DTMF "
	       "detection on every stream; %u s per step, one thread\n",
	       secs);
	printf("%7s %8s %7s %7s %6s %9s %9s %9s %8s %s\n", "pairs",
	       "streams", "wall s", "cpu s", "cpu %", "min tx/s", "max loss",
	       "max conc", "RSS MiB", "kept up");

	for (i = 0; i < nlist; i++) {
		struct step r;
		bool ok;

		memset(&r, 0, sizeof(r));

		if (list[i] * FDS_PER_PAIR + FDS_SPARE > nofile) {
			printf("%7u: needs %u fds, limit is %lu; skipped\n",
			       list[i], list[i] * FDS_PER_PAIR + FDS_SPARE,
			       (unsigned long)nofile);
			continue;
		}

		err = run_step(&r, list[i], secs);
		if (err)
			break;

		ok = r.kept == 2 * r.pairs;
		printf("%7u %8u %7.2f %7.2f %5.1f%% %9.1f %8.2f%% %8.2f%% "
		       "%8.1f %s (%u/%u)\n", r.pairs, 2 * r.pairs, r.wall,
		       r.cpu, 100 * r.cpu / r.wall, r.tx_rate, 100 * r.loss,
		       100 * r.conceal, r.rss_kb / 1024.0, ok ? "yes" : "NO",
		       r.kept, 2 * r.pairs);
		fflush(stdout);

		if (ok && r.pairs > best)
			best = r.pairs;
		if (ok && r.conceal < 0.01 && r.pairs > clean)
			clean = r.pairs;
		if (!ok)
			break;
	}

	if (best)
		printf("largest N that kept up: %u pairs (%u streams)\n", best,
		       2 * best);
	else
		printf("no N kept up\n");
	if (clean)
		printf("largest N that also played out cleanly (< 1 %% of "
		       "frames concealed): %u pairs\n", clean);

 out:
	libre_close();

	return err ? 1 : 0;
}
