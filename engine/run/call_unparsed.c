/* engine/run/call_unparsed.c — a device's message that does not decode.
 *
 * A device's answer to a raw: request (an RFC 4475 torture message)
 * copies the nonsense it was sent (RFC 3261 §8.2.6.2) and may not decode
 * itself — an isbn: To (§3.3.4). When its status line and Call-ID, read as
 * text, name a raw: request of this flow, the response step that answers
 * that request is judged by that status: taken with a note, or failed
 * saying what came. One with the Call-ID of an earlier scenario's call is
 * a leftover, as any other. Anything else still fails the waiting step as
 * malformed.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "msgtext.h"
#include "run.h"
#include "call.h"


/**
 * Does r, a device's message, answer the raw: request st answers (by its
 * Call-ID read as text)? Such an answer copies the request's nonsense
 * into its own From, To, Call-ID, CSeq and Via, as RFC 3261 §8.2.6.2
 * asks, so what it breaks of the grammar is the request's, not the
 * device's.
 */
bool call_answers_raw(const struct call *call, const struct step *st,
		      const struct msgrec *r)
{
	const struct msgrec *req;
	struct pl cid, rcid;

	if (!r->from || !r->from->dut || !st ||
	    st->type != STEP_MSG || st->req || st->from != r->from ||
	    st->to != r->to || !st->assoc || !st->assoc->raw)
		return false;
	req = call->steprec[st->assoc->idx];
	if (!req)
		return false;
	cid = msgtext_callid(r->mb);
	rcid = msgtext_callid(req->mb);

	return pl_isset(&cid) && !pl_cmp(&cid, &rcid);
}


/* does r, which does not decode, answer the raw: request st answers? */
static bool answers_raw(const struct call *call, const struct step *st,
			const struct msgrec *r)
{
	return !r->msg && msgtext_status(r->mb) &&
	       call_answers_raw(call, st, r);
}


static const char *why_text(char *buf, size_t sz, const struct msgrec *r)
{
	if (r->bad)
		return r->bad;

	return str_error(r->decode_err, buf, sz);
}


/** Whether st takes r, which does not decode, by its status line */
bool call_unparsed_takes(const struct call *call, const struct step *st,
			 const struct msgrec *r)
{
	return answers_raw(call, st, r) &&
	       step_accepts(st, msgtext_status(r->mb));
}


/** st takes r (call_unparsed_takes): passed, saying how it was judged */
void call_unparsed_take(struct call *call, const struct step *st,
			struct msgrec *r)
{
	char *note = NULL, buf[64];

	list_unlink(&r->in_le);
	r->step = st;
	call->steprec[st->idx] = r;
	(void)re_sdprintf(&note, "judged by its status line: %u from %s, "
			  "which does not parse (%s)", msgtext_status(r->mb),
			  st->from->name, why_text(buf, sizeof(buf), r));
	call_step_done(call, st, VERDICT_PASS, r->frame, note);
}


/**
 * r does not decode and no step takes it: absorbed when it is of an
 * earlier scenario's call (false: the call goes on), else, when it
 * answers the raw: request st answers, st fails naming its status (true)
 */
bool call_unparsed_unexpected(struct call *call, const struct step *st,
			      struct msgrec *r)
{
	struct pl cid = msgtext_callid(r->mb);
	const char *scn = pl_isset(&cid) ? call_earlier(call, &cid) : NULL;
	char buf[64];

	if (scn) {
		list_unlink(&r->in_le);
		call_logf(call, "absorbed %u from %s (frame %u), which does "
			  "not parse (%s): left over from scenario %s",
			  msgtext_status(r->mb), r->from ? r->from->name : "?",
			  r->frame, why_text(buf, sizeof(buf), r), scn);
		return false;
	}
	if (!answers_raw(call, st, r))
		return false;

	list_unlink(&r->in_le);
	call_step_fail(call, st, r->frame, "expected %H from %s, got %u "
		       "(frame %u), which does not parse (%s)", call_step_line,
		       st, st->from->name, msgtext_status(r->mb), r->frame,
		       why_text(buf, sizeof(buf), r));
	return true;
}
