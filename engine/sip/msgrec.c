/* engine/sip/msgrec.c — one SIP message observed in a run */
#include <re.h>
#include "msgsyntax.h"
#include "msgrec.h"
#include "nobranch.h"


static void destructor(void *data)
{
	struct msgrec *r = data;

	list_unlink(&r->le);
	list_unlink(&r->tx_le);
	list_unlink(&r->rx_le);
	list_unlink(&r->in_le);
	mem_deref(r->msg);
	mem_deref(r->mb);
	mem_deref(r->ltag);
	mem_deref(r->dialog);
	mem_deref(r->malformed);
}


/**
 * A record of the bytes mb holds. If they do not parse as SIP, msg stays
 * NULL and decode_err is set: a hostile peer's message is still kept.
 * Bytes that are not SIP as RFC 3261 writes it (libre decodes more than
 * that) get a sentence in malformed saying what is wrong, whether msg
 * could be decoded or not (engine/sip/msgsyntax.c).
 */
int msgrec_alloc(struct msgrec **recp, struct mbuf *mb)
{
	const struct sip_msg *libre;
	struct msgrec *r;
	int err;

	if (!recp || !mb)
		return EINVAL;

	r = mem_zalloc(sizeof(*r), destructor);
	if (!r)
		return ENOMEM;

	r->mb = mbuf_alloc(mb->end);
	if (!r->mb) {
		mem_deref(r);
		return ENOMEM;
	}
	err = mbuf_write_mem(r->mb, mb->buf, mb->end);
	if (err) {
		mem_deref(r);
		return err;
	}

	r->mb->pos = 0;
	/* libre leaves mb->pos at the body; msgrec_body relies on it */
	r->decode_err = sip_msg_decode(&r->msg, r->mb);
	if (!r->decode_err && !r->msg)
		r->decode_err = EBADMSG;
	/* what libre's decoder read, the grammar check need not read again */
	libre = r->decode_err ? NULL : r->msg;
	if (r->decode_err) {
		/* an RFC 2543 top Via, without a branch */
		size_t body = 0;

		r->msg = mem_deref(r->msg);
		if (!nobranch_decode(&r->msg, r->mb, &body)) {
			r->decode_err = 0;
			r->mb->pos = body;
		}
	}

	if (!msgsyntax_check_msg(&r->malformed, r->mb->buf, r->mb->end,
				 libre) && r->decode_err)
		(void)str_dup(&r->malformed, "libre's SIP parser cannot "
			      "read it, though each line is as RFC 3261 "
			      "§25.1 writes one");

	*recp = r;
	return 0;
}


/** The branch of the top Via */
const struct pl *msgrec_branch(const struct msgrec *r)
{
	return r && r->msg ? &r->msg->via.branch : NULL;
}


/** "INVITE" or "180 Ringing" */
int msgrec_print_line(struct re_printf *pf, const struct msgrec *r)
{
	if (!r || !r->msg)
		return 0;

	if (r->msg->req)
		return re_hprintf(pf, "%r", &r->msg->met);

	return re_hprintf(pf, "%u %r", r->msg->scode, &r->msg->reason);
}


/** When the run saw r, ms since it started: when it arrived, or (sent to
 *  a device, it arrives nowhere the run sees) when it left */
uint64_t msgrec_time(const struct msgrec *r)
{
	return r->t_rx ? r->t_rx : r->t_ms;
}


/** The body of a decoded message (empty if none) */
struct pl msgrec_body(const struct msgrec *r)
{
	struct pl pl = PL_INIT;

	if (r && r->msg && r->msg->mb) {
		pl.p = (const char *)mbuf_buf(r->msg->mb);
		pl.l = mbuf_get_left(r->msg->mb);
	}

	return pl;
}


/** True if the message carries an SDP body */
bool msgrec_has_sdp(const struct msgrec *r)
{
	struct pl body = msgrec_body(r);

	return body.l && r->msg->ctyp.type.l &&
	       !pl_strcasecmp(&r->msg->ctyp.type, "application") &&
	       !pl_strcasecmp(&r->msg->ctyp.subtype, "sdp");
}


/** A request that starts something new: no To tag, not ACK or CANCEL */
bool msgrec_starts_call(const struct msgrec *r)
{
	const struct sip_msg *m = r ? r->msg : NULL;

	return m && m->req && !pl_isset(&m->to.tag) &&
	       pl_strcmp(&m->met, "ACK") && pl_strcmp(&m->met, "CANCEL");
}
