/* engine/run/run_media.c — media: steps: listen to a leg for a while, then
 * judge what was heard: audio from the right party, a tone, DTMF,
 * silence, and bounds on loss, jitter and the E-model MOS */
#include <string.h>
#include <math.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "agent.h"
#include "media/mstream.h"
#include "run.h"
#include "run_priv.h"


enum {
	AUDIBLE_DBOV = -50,   /* quieter than this is silence */
	DTMF_POLL_MS = 50,
};

/** A media: step's window: the listener's counters when it began */
struct media_probe {
	struct mstream *ms;
	struct mstream_stats st0;
};

/** One media: step listening: its own timer and windows, so the media
 *  steps of an any-order: group listen at the same time */
struct media_win {
	struct run *run;
	const struct step *st;
	struct clock_tmr tmr;
	bool started;
	uint64_t until;
	struct media_probe probe[2];   /* per direction */
	struct media_fig fig[2];       /* what each direction measured */
	unsigned nfig;
};

static const double TONE_SHARE = 0.5;   /* a tone owns half the energy */
static const double PARTY_SHARE = 0.3;  /* a party's tone, with others */


/* the media leg of the role's agent: all zero for one that plays no
 * media itself (a device, a scripted role) */
static struct agent_leg leg_of(const struct run *run, const struct role *r)
{
	struct agent_leg leg;

	(void)agent_leg(agent_find(&run->agents, r), &leg);

	return leg;
}


static struct mstream *stream_of(const struct run *run,
				 const struct role *r)
{
	return leg_of(run, r).ms;
}


/* the simulated role whose media leg sent what ms hears, or NULL */
static const struct role *simulated_source(const struct run *run,
					   const struct mstream *ms)
{
	struct le *le;

	for (le = run->agents.head; le; le = le->next) {
		const struct agent *ag = le->data;
		struct agent_leg leg;

		(void)agent_leg(ag, &leg);
		if (leg.ms && leg.ms != ms &&
		    sa_cmp(mstream_rx_src(ms), mstream_local(leg.ms), SA_ALL))
			return ag->role;
	}

	return NULL;
}


/* the start of a listening window, per direction */
static void snap(struct run *run, struct media_win *w, unsigned i,
		 const struct role *to)
{
	struct media_probe *p = &w->probe[i];

	p->ms = stream_of(run, to);
	memset(&p->st0, 0, sizeof(p->st0));
	if (p->ms)
		mstream_stats(p->ms, &p->st0);
}


/* the tone heard, for a reason: " the dominant frequency heard is …" */
static int heard_print(struct re_printf *pf, const struct media_fig *f)
{
	if (!f->heard_hz)
		return 0;

	return re_hprintf(pf, "; the dominant frequency heard is %u Hz "
			  "(share %.2f%s)", f->heard_hz, f->heard_share,
			  f->heard_share < TONE_SHARE ? ", no clear tone"
			  : "");
}


/* what one direction's listener got in the window, into f */
static void measure(const struct media_win *w, unsigned i,
		    struct media_fig *f, struct mstream *ms, int16_t *pcm,
		    size_t *gotp)
{
	const struct media_spec *m = &w->st->media;
	const struct media_probe *p = &w->probe[i];
	struct mstream_stats s;
	size_t n = (size_t)(m->for_ms > 3000 ? 3000 : m->for_ms) * 8;
	double loss;

	mstream_stats(ms, &s);
	f->packets = s.rx_packets - p->st0.rx_packets;
	f->lost = s.rx_lost - p->st0.rx_lost;
	f->expected = m->for_ms / MSTREAM_PTIME;
	f->jitter_ms = s.jitter_ms;

	*gotp = pcm ? mstream_recent(ms, pcm, n) : 0;
	f->level_dbov = f->packets ? mstream_level_dbov(pcm, *gotp) : -120.0;
	f->audio = f->level_dbov > AUDIBLE_DBOV;
	if (f->audio)
		f->heard_hz = mstream_dominant_hz(pcm, *gotp,
						  &f->heard_share);
	if (f->tone_hz && f->audio)
		f->tone_share = mstream_tone_share_frames(pcm, *gotp,
							  f->tone_hz);
	if (f->packets) {
		loss = (double)f->lost / (double)(f->packets + f->lost);
		f->mos = mstream_emodel_mos(loss, 20.0 + 2.0 * s.jitter_ms,
					    true);
	}
}


/* judge one direction; NULL reason when it passes. Its figures go into
 * the window's next fig, whatever the verdict. */
static char *judge(struct run *run, struct media_win *w, unsigned i,
		   const struct role *from, const struct role *to)
{
	const struct step *st = w->st;
	const struct media_spec *m = &st->media;
	const struct media_probe *p = &w->probe[i];
	struct mstream *ms = stream_of(run, to);
	struct mstream *talker = from ? stream_of(run, from) : NULL;
	struct media_fig *f = &w->fig[w->nfig++];
	struct mstream_stats s;
	uint32_t rx, lost, want;
	size_t got = 0;
	int16_t *pcm;
	double level, loss, mos;
	char *why = NULL;
	char dir[32];

	f->from = from;
	f->to = to;
	f->measured = true;
	f->start_ms = w->until - m->for_ms;
	f->end_ms = run_now(run);
	f->tone_hz = m->expect == MEDIA_TONE ? m->tone_hz
		   : m->expect == MEDIA_SILENCE || m->expect == MEDIA_DTMF ? 0
		   : from && from->dut ? from->dut_tone_hz  /* testbed's */
		   : leg_of(run, from).tone_hz;

	if (from)
		re_snprintf(dir, sizeof(dir), "%s -> %s", from->name,
			    to->name);
	else
		re_snprintf(dir, sizeof(dir), "at %s", to->name);

	if (!ms || ms != p->ms) {
		if (m->expect == MEDIA_SILENCE && !ms)
			return NULL;
		re_sdprintf(&why, "%s: %s has no call to listen on", dir,
			    to->name);
		return why;
	}

	pcm = mem_zalloc(3000 * 8 * sizeof(*pcm), NULL);
	if (!pcm)
		return NULL;
	measure(w, i, f, ms, pcm, &got);
	mstream_stats(ms, &s);
	rx = f->packets;
	lost = f->lost;
	want = f->expected;
	level = f->level_dbov;

	if (s.rx_wrong_pt > p->st0.rx_wrong_pt) {
		re_sdprintf(&why, "%s: %u packets with payload type %u, which "
			    "was not negotiated", dir,
			    s.rx_wrong_pt - p->st0.rx_wrong_pt, s.rx_pt);
		goto out;
	}

	switch (m->expect) {

	case MEDIA_SILENCE:
		if (rx && f->audio)
			re_sdprintf(&why, "%s: expected silence, heard audio "
				    "at %.1f dBov (%u packets in %u ms)%H",
				    dir, level, rx, m->for_ms, heard_print,
				    f);
		goto out;

	case MEDIA_DTMF:
		goto out;   /* judged as the digits arrive */

	default:
		break;
	}

	if (rx < want / 2) {
		re_sdprintf(&why, "%s: heard nothing: %u RTP packets in %u ms "
			    "(expected about %u)", dir, rx, m->for_ms, want);
		goto out;
	}
	if (talker && !sa_cmp(mstream_rx_src(ms), mstream_local(talker),
			      SA_ALL)) {
		re_sdprintf(&why, "%s: the audio comes from %J, not from %s "
			    "(%J)", dir, mstream_rx_src(ms), from->name,
			    mstream_local(talker));
		goto out;
	}
	/* a device's media address is its own affair (a baresip on
	 * loopback sends from 127.0.0.1): only a simulated phone is known
	 * not to be it */
	if (from && from->dut) {
		const struct role *other = simulated_source(run, ms);

		if (other) {
			re_sdprintf(&why, "%s: the audio comes from %s (%J), "
				    "not from the device %s", dir, other->name,
				    mstream_rx_src(ms), from->name);
			goto out;
		}
	}
	if (!f->audio) {
		re_sdprintf(&why, "%s: %u packets but only silence (%.1f "
			    "dBov)", dir, rx, level);
		goto out;
	}

	if (f->tone_hz) {
		double need = m->expect == MEDIA_TONE ? TONE_SHARE
			    : PARTY_SHARE;

		if (f->tone_share < need) {
			re_sdprintf(&why, "%s: expected %s%u Hz, measured a "
				    "share of %.2f at %u Hz (level %.1f dBov)"
				    "%H", dir, m->expect == MEDIA_TONE ?
				    "a tone at " : "the talker's tone at ",
				    f->tone_hz, f->tone_share, f->tone_hz,
				    level, heard_print, f);
			goto out;
		}
	}

	loss = rx + lost ? (double)lost / (double)(rx + lost) : 0.0;
	mos = f->mos;

	if (m->max_loss >= 0 && loss > m->max_loss + 1e-9)
		re_sdprintf(&why, "%s: loss %.1f %% (%u of %u packets), at "
			    "most %.1f %% allowed", dir, 100.0 * loss, lost,
			    rx + lost, 100.0 * m->max_loss);
	else if (m->max_jitter_ms && s.jitter_ms > m->max_jitter_ms)
		re_sdprintf(&why, "%s: jitter %.1f ms, at most %u ms "
			    "allowed", dir, s.jitter_ms, m->max_jitter_ms);
	else if (m->min_mos > 0 && mos < m->min_mos)
		re_sdprintf(&why, "%s: MOS %.2f (E-model, loss %.1f %%, "
			    "jitter %.1f ms), at least %.2f required", dir,
			    mos, 100.0 * loss, s.jitter_ms, m->min_mos);
	else
		run_logf(run, "%s: %s: %u packets, loss %.1f %%, jitter "
			 "%.1f ms, level %.1f dBov, MOS %.2f", st->id, dir,
			 rx, 100.0 * loss, s.jitter_ms, level, mos);

 out:
	mem_deref(pcm);
	return why;
}


/* DTMF: the digits that arrived at the listener since it last checked */
static const char *dtmf_new(struct run *run, const struct role *to)
{
	struct agent_leg leg = leg_of(run, to);
	struct mstream *ms = leg.ms;
	const char *all = leg.dtmf;
	size_t mark = run->dtmf_ms[to->idx] == ms ? run->dtmf_mark[to->idx]
		    : 0;

	if (!all)
		return "";

	return strlen(all) >= mark ? all + mark : "";
}


static void dtmf_consume(struct run *run, const struct role *to)
{
	struct agent_leg leg = leg_of(run, to);
	struct mstream *ms = leg.ms;
	const char *all = leg.dtmf;

	run->dtmf_ms[to->idx] = ms;
	run->dtmf_mark[to->idx] = all ? strlen(all) : 0;
}


/* a direction a device under test listens to: noted, not measured */
static void unmeasured(struct run *run, struct media_win *w,
		       const struct role *from, const struct role *to)
{
	struct media_fig *f = &w->fig[w->nfig++];

	f->from = from;
	f->to = to;
	f->start_ms = w->until - w->st->media.for_ms;
	f->end_ms = run_now(run);
	run_logf(run, "%s: %s -> %s not measured: %s is a device under test",
		 w->st->id, from->name, to->name, to->name);
}


static void media_end(struct media_win *w)
{
	struct run *run = w->run;
	const struct step *st = w->st;
	const struct media_spec *m = &st->media;
	char *why = NULL;

	clock_tmr_cancel(&w->tmr);
	w->started = false;

	if (m->expect == MEDIA_DTMF) {
		const char *got = dtmf_new(run, m->to);

		/* the packets, for the reports: the digits judge */
		mem_deref(judge(run, w, 0, m->from, m->to));
		str_ncpy(w->fig[0].dtmf, got, sizeof(w->fig[0].dtmf));
		if (strcmp(got, m->dtmf))
			re_sdprintf(&why, "%s%s%s: expected DTMF \"%s\", "
				    "received \"%s\" in %u ms",
				    m->from ? m->from->name : "",
				    m->from ? " -> " : "at ", m->to->name,
				    m->dtmf, got, m->for_ms);
		dtmf_consume(run, m->to);
	}
	else {
		char *why2 = NULL;

		/* a device's ears are not ours: only a simulated listener
		 * judges (the step runs only if one direction is ours);
		 * both directions are measured, the first failure told */
		if (!m->to->dut)
			why = judge(run, w, 0, m->from, m->to);
		else
			unmeasured(run, w, m->from, m->to);
		if (m->between && !m->from->dut)
			why2 = judge(run, w, 1, m->to, m->from);
		else if (m->between)
			unmeasured(run, w, m->to, m->from);
		if (why)
			mem_deref(why2);
		else
			why = why2;
	}

	if (why)
		run_step_done(run, st, VERDICT_FAIL, 0, why);
	else
		run_step_done(run, st, VERDICT_PASS, 0, NULL);
}


static void media_tmr_h(void *arg)
{
	struct media_win *w = arg;
	struct run *run = w->run;
	const struct step *st = w->st;

	if (!w->started || run->finished ||
	    run->v[st->idx].status != VERDICT_PENDING)
		return;

	if (st->media.expect == MEDIA_DTMF &&
	    run_now(run) < w->until &&
	    strcmp(dtmf_new(run, st->media.to), st->media.dtmf)) {
		clock_tmr_start(&w->tmr, run->clock, DTMF_POLL_MS,
				media_tmr_h, w);
		return;
	}

	media_end(w);
	run_kick(run);
}


/** The run's media windows, one per step (the run owns them) */
int run_media_alloc(struct run *run)
{
	unsigned i;

	run->mwin = mem_zalloc(sizeof(*run->mwin) * (run->sc->nsteps + 1),
			       NULL);
	if (!run->mwin)
		return ENOMEM;

	for (i = 0; i < run->sc->nsteps; i++) {
		run->mwin[i].run = run;
		run->mwin[i].st = scenario_step_at(run->sc, i);
	}

	return 0;
}


/**
 * What a media: step measured, per direction (its first fig the step's
 * from -> to); none before it ended or for another kind of step
 *
 * @param run   The run
 * @param idx   The step's index
 * @param figsp Set to the figures
 *
 * @return How many (0..2)
 */
unsigned run_media_figs(const struct run *run, unsigned idx,
			const struct media_fig **figsp)
{
	if (!run || !run->mwin || idx >= run->sc->nsteps || !figsp)
		return 0;

	*figsp = run->mwin[idx].fig;

	return run->mwin[idx].started ? 0 : run->mwin[idx].nfig;
}


/** Stop every window still listening (the run ends) */
void run_media_stop(struct run *run)
{
	unsigned i;

	for (i = 0; run->mwin && i < run->sc->nsteps; i++) {
		clock_tmr_cancel(&run->mwin[i].tmr);
		run->mwin[i].started = false;
	}
}


/** media: listen for the step's window, then judge. In an any-order:
 *  group every media step listens at once, each on its own timer. */
enum prog run_media_step(struct run *run, const struct step *st)
{
	const struct media_spec *m = &st->media;
	struct media_win *w = &run->mwin[st->idx];
	enum prog p;

	if (run_step_settled(run, st, &p))
		return p;

	if (run->offline) {
		run_step_done(run, st, VERDICT_SKIP, 0, NULL);
		return PROG_DONE;
	}

	if (m->to->dut && (!m->between || m->from->dut)) {
		char *why = NULL;

		(void)re_sdprintf(&why, "a device under test: what it hears "
				  "is measured only by a simulated phone");
		run_step_done(run, st, VERDICT_SKIP, 0, why);
		return PROG_DONE;
	}

	if (!w->started) {
		w->started = true;
		w->until = run_now(run) + m->for_ms;
		w->nfig = 0;
		memset(w->fig, 0, sizeof(w->fig));
		if (!m->to->dut)
			snap(run, w, 0, m->to);
		if (m->between && !m->from->dut)
			snap(run, w, 1, m->from);
		clock_tmr_start(&w->tmr, run->clock,
				m->expect == MEDIA_DTMF ? DTMF_POLL_MS
				: m->for_ms, media_tmr_h, w);
	}

	return PROG_WAIT;
}
