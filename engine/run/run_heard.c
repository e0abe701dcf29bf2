/* engine/run/run_heard.c — a media: step's direction towards a device
 * under test, judged from what the device itself recorded (the testbed's
 * driver: {recording: DIR}, agents/hil/hil_record.c): the samples its
 * recording gained during the window, through the same level and tone
 * checks a simulated phone's ears get (run_media.c), and the strongest
 * frequency named when the tone is not the one expected. Without a
 * recording the direction is noted as not measured, as before. */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "agent.h"
#include "media/mstream.h"
#include "run.h"
#include "run_priv.h"


enum { ANALYSE_MAX = 3000 };  /* ms: the last 3 s, as a phone keeps */


/* the talker's tone, and the device's RTCP on the talker's audio */
static uint32_t talker(const struct run *run, const struct role *from,
		       struct mstream_stats *ts)
{
	struct agent_leg leg;

	memset(ts, 0, sizeof(*ts));
	ts->rtt_ms = -1;
	if (!from || !agent_leg(agent_find(&run->agents, from), &leg))
		return 0;
	if (leg.ms)
		mstream_stats(leg.ms, ts);

	return leg.tone_hz;
}


/* a person listened at the device (the manual driver): their word is
 * the verdict of this direction, an answer that does not fit fails */
static char *heard_said(struct run *run, const struct step *st,
			struct agent_heard_pcm *hp, const char *dir,
			const struct role *to)
{
	bool want = st->media.expect != MEDIA_SILENCE;
	char *why = NULL;

	if (hp->said == HEARD_NO_WORD)
		re_sdprintf(&why, "%s: the person at %s gave no answer "
			    "while the audio played", dir, to->name);
	else if ((hp->said == HEARD_AUDIO) != want)
		re_sdprintf(&why, "%s: the person at %s said they heard "
			    "%s%s%s", dir, to->name, want ? "nothing" :
			    "audio", hp->words ? ": " : "",
			    hp->words ? hp->words : "");
	else
		run_logf(run, "%s: %s: the person at %s heard %s", st->id,
			 dir, to->name, want ? "it" : "nothing, as expected");
	mem_deref(hp->words);

	return why;
}


/**
 * Judge what the device `to` heard during the step's window
 *
 * @param run  The run
 * @param st   The media: step
 * @param mk   Where its recording stood when the window opened; NULL:
 *             the device cannot tell (noted, not failed)
 * @param from The talker, a simulated role (NULL: "at to")
 * @param to   The device
 * @param f    Its figures for the reports, filled in as measured
 *             (measured stays false without a recording)
 *
 * @return NULL if it passes (or cannot be judged), else why (allocated)
 */
char *run_heard_judge(struct run *run, const struct step *st,
		      const struct agent_heard *mk, const struct role *from,
		      const struct role *to, struct media_fig *f)
{
	const struct media_spec *m = &st->media;
	struct agent_heard_pcm hp;
	struct mstream_stats ts;
	const int16_t *tail;
	double level, share, peak_share;
	uint32_t tone, peak, ms, want_ms, need;
	char *why = NULL, *err_why = NULL;
	char dir[64];
	size_t n;
	int err;

	if (from)
		re_snprintf(dir, sizeof(dir), "%s -> %s", from->name,
			    to->name);
	else
		re_snprintf(dir, sizeof(dir), "at %s", to->name);

	if (!mk) {
		run_logf(run, "%s: %s not measured: %s is a device under "
			 "test with no recording of what it hears", st->id,
			 dir, to->name);
		return NULL;
	}

	memset(&hp, 0, sizeof(hp));
	err = agent_heard(agent_find(&run->agents, to), mk, &hp, &err_why);
	if (!err && hp.said)
		return heard_said(run, st, &hp, dir, to);
	if (err) {
		re_sdprintf(&why, "%s: the device's recording cannot be "
			    "read: %s", dir, err_why ? err_why : "");
		mem_deref(err_why);
		return why;
	}

	tone = talker(run, from, &ts);
	if (m->expect == MEDIA_TONE)
		tone = m->tone_hz;

	ms = (uint32_t)(hp.n / (MSTREAM_SRATE / 1000));
	want_ms = m->for_ms;
	n = hp.n;
	if (n > ANALYSE_MAX * (MSTREAM_SRATE / 1000))
		n = ANALYSE_MAX * (MSTREAM_SRATE / 1000);
	tail = hp.pcm + (hp.n - n);
	level = mstream_level_dbov(tail, n);
	f->measured = true;
	f->level_dbov = level;
	f->audio = level > MEDIA_AUDIBLE_DBOV;
	f->tone_hz = m->expect == MEDIA_SILENCE ? 0 : tone;
	if (f->audio)
		f->heard_hz = mstream_dominant_hz(tail, n, &f->heard_share);
	if (f->tone_hz && f->audio)
		f->tone_share = mstream_tone_share_frames(tail, n, tone);

	if (m->expect == MEDIA_SILENCE) {
		if (level > MEDIA_AUDIBLE_DBOV)
			re_sdprintf(&why, "%s: expected silence, the device's "
				    "recording %s has audio at %.1f dBov",
				    dir, hp.path, level);
		goto out;
	}

	if (ms < want_ms / 2) {
		re_sdprintf(&why, "%s: heard nothing: the device's recording "
			    "%s gained %u ms in the %u ms window", dir,
			    hp.path, ms, want_ms);
		goto out;
	}

	if (level <= MEDIA_AUDIBLE_DBOV) {
		re_sdprintf(&why, "%s: only silence (%.1f dBov) in the "
			    "device's recording %s", dir, level, hp.path);
		goto out;
	}

	peak = f->heard_hz;
	peak_share = f->heard_share;
	share = tone ? f->tone_share : 1.0;
	need = m->expect == MEDIA_TONE ? MEDIA_TONE_PCT : MEDIA_PARTY_PCT;
	if (tone && share * 100 < need) {
		re_sdprintf(&why, "%s: expected %s%u Hz, the device's "
			    "recording %s has a share of %.2f at %u Hz; its "
			    "strongest tone is %u Hz (share %.2f, level %.1f "
			    "dBov)", dir, m->expect == MEDIA_TONE ?
			    "a tone at " : "the talker's tone at ", tone,
			    hp.path, share, tone, peak, peak_share, level);
		goto out;
	}

	run_logf(run, "%s: %s (the device's recording %s): %u ms, level "
		 "%.1f dBov, strongest tone %u Hz (share %.2f)", st->id, dir,
		 hp.path, ms, level, peak, peak_share);
	if (ts.peer_report)
		run_logf(run, "%s: %s: %s's RTCP on %s's audio: fraction "
			 "lost %.1f %%, cumulative lost %d, jitter %.2f ms",
			 st->id, dir, to->name, from->name,
			 100.0 * ts.peer_fraction, ts.peer_lost,
			 ts.peer_jitter_ms);

 out:
	mem_deref(hp.pcm);
	mem_deref(hp.path);
	return why;
}
