/* engine/run/run_comment.c — the verdicts written into the run's capture
 *
 * When the run ends (every step judged, the teardown over; a failure, a
 * timeout or an interrupt too) each frame a step judged gets the step's
 * verdict as a comment — "F5 302 Moved Temporarily B -> P: pass", or
 * ": FAIL " and the reason — and each frame a rule flagged the finding
 * ("F4: warning: rule …", and an error the frame's failing verdict
 * does not state already), so Wireshark shows them (pcapng; a classic
 * pcap has no place for comments, docs/decisions/0023-verdicts-in-the-
 * pcapng.md).
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "pcapw.h"
#include "rules.h"
#include "run.h"
#include "run_priv.h"


struct judged {
	const struct step *st;
	const struct verdict *v;
};


/* an error the failing verdict of its frame states already */
static bool stated(const struct run *run, const struct finding *f)
{
	unsigned i;

	if (!finding_fails(f))
		return false;

	for (i = 0; i < run->sc->nsteps; i++) {
		const struct verdict *v = &run->call->v[i];

		if (v->frame == f->frame && v->status == VERDICT_FAIL &&
		    v->reason && strstr(v->reason, f->rule->id))
			return true;
	}

	return false;
}


static int verdict_print(struct re_printf *pf, const struct judged *j)
{
	const struct step *st = j->st;
	const struct verdict *v = j->v;
	int err;

	err = re_hprintf(pf, "%s %H", st->id, step_print, st);
	if (st->type == STEP_MSG)
		err |= re_hprintf(pf, " %s -> %s", st->from->name,
				  st->to->name);
	if (v->status == VERDICT_FAIL)
		err |= re_hprintf(pf, ": FAIL");
	else
		err |= re_hprintf(pf, ": %s", verdict_name(v->status));
	if (v->reason)
		err |= re_hprintf(pf, " %s", v->reason);

	return err;
}


/** Each judged frame's verdict and each flagged frame's finding, as
 *  comments in the run's capture; then the capture is closed */
void run_pcap_comments(struct run *run)
{
	char *text = NULL;
	struct le *le;
	unsigned i;
	int err = 0;

	if (!run->pcap)
		return;

	for (i = 0; !err && i < run->sc->nsteps; i++) {
		struct judged j = {scenario_step_at(run->sc, i),
				   &run->call->v[i]};

		if (!j.st || !j.v->frame)
			continue;
		err = re_sdprintf(&text, "%H", verdict_print, &j);
		if (!err)
			err = pcapw_comment(run->pcap, j.v->frame, text);
		text = mem_deref(text);
	}

	for (le = run->findings.head; !err && le; le = le->next) {
		const struct finding *f = le->data;

		if (!f->frame || stated(run, f))
			continue;
		err = re_sdprintf(&text, "%s%s%s: %H", f->step ? f->step : "",
				  f->step ? ": " : "", f->sev == RULE_WARNING ?
				  "warning" : "error", finding_print, f);
		if (!err)
			err = pcapw_comment(run->pcap, f->frame, text);
		text = mem_deref(text);
	}

	/* a write that fails is kept by the writer, for run_pcap_error */
	if (!err)
		(void)pcapw_finish(run->pcap);
	else
		run_logf(run, "pcap: cannot put the verdicts into it: %m",
			 err);
	(void)pcapw_close(run->pcap);
}


/**
 * Whether the run's capture is whole: 0, or the first write that failed
 * (an errno; a full disk), *whyp saying what it cost the file ("cannot
 * write"). The suite fails on it, naming the file.
 */
int run_pcap_error(const struct run *run, const char **whyp)
{
	return run ? pcapw_error(run->pcap, whyp) : 0;
}
