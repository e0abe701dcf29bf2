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


enum { DTMF_POLL_MS = 50 };

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
	struct agent_heard heard[2];   /* a device's own recording, */
	bool heard_on[2];              /* ... where it has one */
};


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


/*
 * The one-way delay the E-model rates (G.107 Ta): half the round trip
 * RTCP measured (RFC 3550 §6.4.1; 0 before a report answered one of
 * ours), the mean wait in the listener's jitter buffer over the window,
 * and one frame of packetisation
 */
static double delay_ms(const struct mstream_stats *s,
		       const struct mstream_stats *s0, double *jbp)
{
	const uint32_t n = s->jb_played - s0->jb_played;
	const double jb = n ? (s->jb_wait_ms - s0->jb_wait_ms) / n : 0;

	*jbp = jb;

	return (s->rtt_ms > 0 ? s->rtt_ms / 2 : 0) + jb + MSTREAM_PTIME;
}


/** A direction's RTCP figures, as the log shows them */
struct rtcp_view {
	const struct mstream_stats *talker;  /* NULL: a device talks */
	const struct role *from;
	const struct role *to;
	double rtt_ms;
	uint32_t ssrc;                       /* the talker's */
};


/* the RTCP part of a direction's figures: the round trip, and what the
 * listener reports (its last report block) on the talker's audio, as
 * the talker received it */
static int rtcp_print(struct re_printf *pf, const struct rtcp_view *v)
{
	const struct mstream_stats *t = v->talker;
	int err;

	if (v->rtt_ms >= 0)
		err = re_hprintf(pf, "RTT %.1f ms", v->rtt_ms);
	else
		err = re_hprintf(pf, "RTT not measured");

	if (!t || !v->from)
		return err;

	if (!t->peer_report)
		return err | re_hprintf(pf, ", %u RTCP SR %u RR from %s, "
					"none on %s's audio", t->rtcp_rx_sr,
					t->rtcp_rx_rr, v->to->name,
					v->from->name);

	return err | re_hprintf(pf, ", %s's RTCP on %s's audio (SSRC "
				"0x%08x): fraction lost %.1f %%, cumulative "
				"lost %d, jitter %.2f ms", v->to->name,
				v->from->name, v->ssrc,
				100.0 * t->peer_fraction, t->peer_lost,
				t->peer_jitter_ms);
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


/* a device that records what it hears: where its recording stands */
static void heard_snap(struct run *run, struct media_win *w, unsigned i,
		       const struct role *to)
{
	/* a mark that fails for another reason (the directory is not
	 * there) is judged: reading it then says why */
	w->heard_on[i] = ENOTSUP != agent_heard_mark(
		agent_find(&run->agents, to), &w->heard[i]);
}


static bool hears(const struct run *run, const struct role *r)
{
	struct agent_heard mk;

	return ENOTSUP != agent_heard_mark(agent_find(&run->agents, r), &mk);
}


/* the tone heard, for a reason: " the dominant frequency heard is …" */
static int heard_print(struct re_printf *pf, const struct media_fig *f)
{
	if (!f->heard_hz)
		return 0;

	return re_hprintf(pf, "; the dominant frequency heard is %u Hz "
			  "(share %.2f%s)", f->heard_hz, f->heard_share,
			  f->heard_share * 100 < MEDIA_TONE_PCT ?
			  ", no clear tone"
			  : "");
}


/* what one direction's listener got in the window, into f */
static void measure(const struct media_win *w, unsigned i,
		    struct media_fig *f, struct mstream *ms, int16_t *pcm,
		    size_t *gotp, double talker_rtt)
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
	f->audio = f->level_dbov > MEDIA_AUDIBLE_DBOV;
	if (f->audio)
		f->heard_hz = mstream_dominant_hz(pcm, *gotp,
						  &f->heard_share);
	if (f->tone_hz && f->audio)
		f->tone_share = mstream_tone_share_frames(pcm, *gotp,
							  f->tone_hz);
	if (f->packets) {
		double jb;

		/* the round trip either end measured (RTCP) */
		if (s.rtt_ms < 0)
			s.rtt_ms = talker_rtt;
		loss = (double)f->lost / (double)(f->packets + f->lost);
		f->mos = mstream_emodel_mos(loss, delay_ms(&s, &p->st0, &jb),
					    MSTREAM_CONCEALS);
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
	double level, loss, mos, delay, jb;
	struct mstream_stats ts;
	struct rtcp_view rv = {NULL, from, to, -1, 0};
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
	if (talker) {
		mstream_stats(talker, &ts);
		rv.talker = &ts;
	}
	measure(w, i, f, ms, pcm, &got, talker ? ts.rtt_ms : -1);
	mstream_stats(ms, &s);
	rx = f->packets;
	lost = f->lost;
	want = f->expected;
	level = f->level_dbov;

	/* RFC 3711 §3.3: a packet whose tag does not verify is dropped,
	 * so a wrong key is heard as nothing: say which it was */
	if (s.rx_srtp_auth > p->st0.rx_srtp_auth) {
		re_sdprintf(&why, "%s: SRTP authentication failed for %u "
			    "packets (%u passed); the key the far end's "
			    "a=crypto gives does not authenticate what it "
			    "sends", dir, s.rx_srtp_auth - p->st0.rx_srtp_auth,
			    rx);
		goto out;
	}
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
		double need = (m->expect == MEDIA_TONE ? MEDIA_TONE_PCT
			       : MEDIA_PARTY_PCT) / 100.0;

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
	rv.ssrc = s.rx_ssrc;
	rv.rtt_ms = s.rtt_ms >= 0 || !talker ? s.rtt_ms : ts.rtt_ms;
	s.rtt_ms = rv.rtt_ms;
	delay = delay_ms(&s, &p->st0, &jb);
	mos = f->mos;   /* measure(): the same delay */

	/* the figures, whatever the verdict */
	run_logf(run, "%s: %s: %u packets, loss %.1f %%, jitter %.1f ms, "
		 "level %.1f dBov, MOS %.2f (delay %.1f ms: jitter buffer "
		 "%.1f ms); %H", st->id, dir, rx, 100.0 * loss, s.jitter_ms,
		 level, mos, delay, jb, rtcp_print, &rv);

	if (m->max_loss >= 0 && loss > m->max_loss + 1e-9)
		re_sdprintf(&why, "%s: loss %.1f %% (%u of %u packets), at "
			    "most %.1f %% allowed", dir, 100.0 * loss, lost,
			    rx + lost, 100.0 * m->max_loss);
	else if (m->max_jitter_ms && s.jitter_ms > m->max_jitter_ms)
		re_sdprintf(&why, "%s: jitter %.1f ms, at most %u ms "
			    "allowed", dir, s.jitter_ms, m->max_jitter_ms);
	else if (m->min_mos > 0 && mos < m->min_mos)
		re_sdprintf(&why, "%s: MOS %.2f (E-model, loss %.1f %%, "
			    "delay %.0f ms), at least %.2f required", dir,
			    mos, 100.0 * loss, delay, m->min_mos);

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


/* a direction a device under test listens to: judged from its own
 * recording, or noted as not measured (run_heard.c) */
static char *heard(struct run *run, struct media_win *w, unsigned i,
		   const struct role *from, const struct role *to)
{
	struct media_fig *f = &w->fig[w->nfig++];

	f->from = from;
	f->to = to;
	f->start_ms = w->until - w->st->media.for_ms;
	f->end_ms = run_now(run);

	return run_heard_judge(run, w->st, w->heard_on[i] ? &w->heard[i]
			       : NULL, from, to, f);
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

		/* a device's ears are not ours: it is judged by its own
		 * recording where the testbed names one (run_heard.c), else
		 * noted as not measured; both directions are measured, the
		 * first failure told */
		if (!m->to->dut)
			why = judge(run, w, 0, m->from, m->to);
		else
			why = heard(run, w, 0, m->from, m->to);
		if (m->between && !m->from->dut)
			why2 = judge(run, w, 1, m->to, m->from);
		else if (m->between)
			why2 = heard(run, w, 1, m->to, m->from);
		if (why)
			mem_deref(why2);
		else
			why = why2;
	}

	if (why)
		call_step_done(run->call, st, VERDICT_FAIL, 0, why);
	else
		call_step_done(run->call, st, VERDICT_PASS, 0, NULL);
}


static void media_tmr_h(void *arg)
{
	struct media_win *w = arg;
	struct run *run = w->run;
	const struct step *st = w->st;

	if (!w->started || run->call->finished ||
	    run->call->v[st->idx].status != VERDICT_PENDING)
		return;

	if (st->media.expect == MEDIA_DTMF &&
	    run_now(run) < w->until &&
	    strcmp(dtmf_new(run, st->media.to), st->media.dtmf)) {
		clock_tmr_start(&w->tmr, run->clock, DTMF_POLL_MS,
				media_tmr_h, w);
		return;
	}

	media_end(w);
	call_on_act_done(run->call);
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

	if (call_step_settled(run->call, st, &p))
		return p;

	if (run->offline) {
		call_step_done(run->call, st, VERDICT_SKIP, 0, NULL);
		return PROG_DONE;
	}

	if (m->to->dut && (!m->between || m->from->dut) &&
	    (m->expect == MEDIA_DTMF || !hears(run, m->to) ||
	     (m->from && m->from->dut))) {
		char *why = NULL;

		(void)re_sdprintf(&why, "a device under test: what it hears "
				  "is measured by a simulated phone, or by "
				  "its own recording (testbed driver: "
				  "recording:) for a simulated talker's "
				  "audio, a tone or silence");
		call_step_done(run->call, st, VERDICT_SKIP, 0, why);
		return PROG_DONE;
	}

	if (!w->started) {
		w->started = true;
		w->until = run_now(run) + m->for_ms;
		w->nfig = 0;
		memset(w->fig, 0, sizeof(w->fig));
		if (!m->to->dut)
			snap(run, w, 0, m->to);
		else
			heard_snap(run, w, 0, m->to);
		if (m->between && !m->from->dut)
			snap(run, w, 1, m->from);
		else if (m->between)
			heard_snap(run, w, 1, m->from);
		clock_tmr_start(&w->tmr, run->clock,
				m->expect == MEDIA_DTMF ? DTMF_POLL_MS
				: m->for_ms, media_tmr_h, w);
	}

	return PROG_WAIT;
}
