/* engine/sip/build.c — pieces of SIP messages that scripted roles send
 *
 * The defaults follow RFC 3261: a Via with the z9hG4bK magic cookie and
 * rport (§8.1.1.7, RFC 3581), responses that copy Via/From/To/Call-ID/
 * CSeq and add a To tag (§8.2.6), ACK for a non-2xx final response on the
 * INVITE's branch (§17.1.1.3), CANCEL that mirrors its INVITE (§9.1).
 * What a step lists under headers:/body: is applied last.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgb.h"
#include "msgrec.h"
#include "hdr.h"
#include "placeholder.h"
#include "build.h"
#include "rawhex.h"


/** A new branch: the RFC 3261 magic cookie and 64 random bits */
int build_branch(char **out)
{
	return re_sdprintf(out, "z9hG4bK%08x%08x", rand_u32(), rand_u32());
}


/** A random token for tags and Call-IDs */
int build_token(char **out)
{
	return re_sdprintf(out, "%08x%04x", rand_u32(), rand_u16());
}


/** Methods whose 1xx/2xx set up a dialog (RFC 3261 §12, RFC 6665) */
bool build_is_dialog_creating(const struct pl *method)
{
	return !pl_strcmp(method, "INVITE") ||
	       !pl_strcmp(method, "SUBSCRIBE") ||
	       !pl_strcmp(method, "REFER");
}


/** A Via for a role's address */
int build_via(struct msgb *b, const struct role *r, const char *branch,
	      bool first)
{
	if (first)
		return msgb_add_first(b, "Via",
				      "SIP/2.0/%s %J;branch=%s;rport",
				      sip_transp_name(r->tp), &r->addr,
				      branch);

	return msgb_add(b, "Via", "SIP/2.0/%s %J;branch=%s;rport",
			sip_transp_name(r->tp), &r->addr, branch);
}


static int copy_hdrs(struct msgb *b, const struct sip_msg *m,
		     const char *name)
{
	struct le *le;
	int err = 0;

	for (le = m->hdrl.head; le && !err; le = le->next) {
		const struct sip_hdr *h = le->data;

		if (hdr_name_eq(name, &h->name))
			err = msgb_addpl(b, &h->name, &h->val);
	}

	return err;
}


/**
 * A response to req: Via, From, To (with ltag unless it has one or the
 * status is 100), Call-ID, CSeq; Record-Route on 1xx/2xx that set up a
 * dialog (§12.1.1).
 */
int build_response(struct msgb **bp, const struct sip_msg *req,
		   uint16_t scode, const char *reason, const char *ltag)
{
	struct msgb *b;
	int err;

	err = msgb_alloc(&b);
	if (err)
		return err;

	err = msgb_start(b, "SIP/2.0 %u %s", scode, reason);
	err |= copy_hdrs(b, req, "Via");
	err |= copy_hdrs(b, req, "From");
	if (pl_isset(&req->to.tag) || scode == 100 || !ltag)
		err |= msgb_addpl(b, &(struct pl)PL("To"), &req->to.val);
	else
		err |= msgb_add(b, "To", "%r;tag=%s", &req->to.val, ltag);
	err |= msgb_add(b, "Call-ID", "%r", &req->callid);
	err |= msgb_add(b, "CSeq", "%u %r", req->cseq.num, &req->cseq.met);
	if (scode > 100 && scode < 300 &&
	    build_is_dialog_creating(&req->met))
		err |= copy_hdrs(b, req, "Record-Route");

	if (err)
		mem_deref(b);
	else
		*bp = b;

	return err;
}


/*
 * A request on the INVITE's own transaction: same Request-URI, top Via
 * (branch), Route, From, Call-ID and CSeq number; To as given.
 */
static int same_txn_request(struct msgb **bp, const char *method,
			    const struct sip_msg *inv, const struct pl *to)
{
	struct msgb *b;
	int err;

	err = msgb_alloc(&b);
	if (err)
		return err;

	err = msgb_start(b, "%s %r SIP/2.0", method, &inv->ruri);
	err |= msgb_add(b, "Via", "%r", hdr_first(inv, "Via"));
	err |= copy_hdrs(b, inv, "Route");
	err |= msgb_add(b, "Max-Forwards", "70");
	err |= copy_hdrs(b, inv, "From");
	err |= msgb_add(b, "To", "%r", to);
	err |= msgb_add(b, "Call-ID", "%r", &inv->callid);
	err |= msgb_add(b, "CSeq", "%u %s", inv->cseq.num, method);

	if (err)
		mem_deref(b);
	else
		*bp = b;

	return err;
}


/**
 * ACK for a non-2xx final response: on the INVITE's transaction, with the
 * response's To (RFC 3261 §17.1.1.3).
 */
int build_ack_non2xx(struct msgb **bp, const struct sip_msg *inv,
		     const struct sip_msg *resp)
{
	return same_txn_request(bp, "ACK", inv, &resp->to.val);
}


/** CANCEL for a pending INVITE: on its transaction (RFC 3261 §9.1) */
int build_cancel(struct msgb **bp, const struct sip_msg *inv)
{
	return same_txn_request(bp, "CANCEL", inv, &inv->to.val);
}


/** Record why a build failed; returns err */
int build_fail(struct buildctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return err;

	ctx->why = mem_deref(ctx->why);
	va_start(ap, fmt);
	(void)re_vsdprintf(&ctx->why, fmt, ap);
	va_end(ap);

	return err;
}


/* headers: from the step, placeholders resolved; NULL removes */
static int apply_headers(struct msgb *b, struct buildctx *ctx,
			 const struct phctx *ph)
{
	struct le *le;
	int err = 0;

	for (le = ctx->st->headers.head; le && !err; le = le->next) {
		const struct hdr_spec *hs = le->data;
		char *val = NULL;

		if (!hs->value) {
			msgb_remove(b, hs->name);
			continue;
		}

		err = ph_expand_steps(&val, hs->value, ph, ctx->steprec,
				      &ctx->why);
		if (!err)
			err = msgb_set(b, hs->name, val);
		mem_deref(val);
	}

	return err;
}


/**
 * Apply the step's headers: and body:, then encode. The body's
 * Content-Type comes from headers: if given there, else it is guessed
 * (SDP or plain text).
 */
int build_finish(struct mbuf **mbp, struct msgb *b, struct buildctx *ctx,
		 const struct phctx *ph)
{
	int err;

	if (ctx->st->body) {
		char *body = NULL;
		const char *ctype;

		err = ph_expand_steps(&body, ctx->st->body, ph,
				      ctx->steprec, &ctx->why);
		if (err)
			return err;

		ctype = !strncmp(body, "v=0", 3) ? "application/sdp"
						  : "text/plain";
		err = msgb_body(b, msgb_find(b, "Content-Type") ? NULL : ctype,
				(const uint8_t *)body, strlen(body));
		mem_deref(body);
		if (err)
			return err;
	}

	err = apply_headers(b, ctx, ph);
	if (err)
		return err;

	return msgb_encode(mbp, b);
}


/**
 * raw: the whole message as written, line ends made CRLF (YAML block
 * scalars carry LF), then placeholders resolved, {body-length} last, and
 * each <hex>…</hex> sent as its octets (RFC 4475 §2.2; engine/sip/rawhex.c)
 */
int build_raw(struct mbuf **mbp, struct buildctx *ctx,
	      const struct phctx *ph)
{
	struct mbuf *mb;
	char *crlf = NULL, *text = NULL;
	const char *p, *raw = ctx->st->raw;
	int err = 0;

	mb = mbuf_alloc(strlen(raw) * 2 + 4);
	if (!mb)
		return ENOMEM;

	for (p = raw; *p && !err; p++) {
		if (*p == '\n' && (p == raw || p[-1] != '\r'))
			err = mbuf_write_u8(mb, '\r');
		if (!err)
			err = mbuf_write_u8(mb, (uint8_t)*p);
	}
	if (!err) {
		mb->pos = 0;
		err = mbuf_strdup(mb, &crlf, mb->end);
	}
	mem_deref(mb);
	if (!err)
		err = ph_expand_steps(&text, crlf, ph, ctx->steprec,
				      &ctx->why);
	mem_deref(crlf);
	if (err)
		return err;

	mb = mbuf_alloc(strlen(text) + 1);
	if (!mb) {
		mem_deref(text);
		return ENOMEM;
	}

	err = rawhex_write(mb, text, &ctx->why);
	mem_deref(text);
	if (err) {
		mem_deref(mb);
		return err;
	}

	mb->pos = 0;
	*mbp = mb;
	return 0;
}
