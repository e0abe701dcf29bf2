/* agents/phone_call.c — one call of a phone: the libre session, SDP offer
 * and answer, the media leg that follows them, hold, transfer (REFER with
 * its implicit subscription, NOTIFY message/sipfrag). A 3xx is followed
 * by libre's session itself: the INVITE goes again to the first Contact,
 * with the same To (RFC 3261 §8.1.3.4). */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scenario.h"
#include "placeholder.h"
#include "media/mstream.h"
#include "media/mmix.h"
#include "phone.h"
#include "phone_priv.h"


static const char allow[] =
	"Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, REFER, NOTIFY, INFO\r\n";


/* a recording that failed outlives its call: the run asks the phone */
static void keep_record_err(struct pcall *c)
{
	const char *path = NULL;
	int err = mstream_record_err(c->ms, &path);

	if (err && !c->ph->rec_err &&
	    !str_dup(&c->ph->rec_err_path, path ? path : "a recording"))
		c->ph->rec_err = err;
}


static void destructor(void *data)
{
	struct pcall *c = data;

	tmr_cancel(&c->tmr_answer);
	tmr_cancel(&c->tmr_fwd);
	tmr_cancel(&c->tmr_giveup);
	tmr_cancel(&c->tmr_close);
	list_unlink(&c->le);
	mem_deref(c->not);
	mem_deref(c->sub);
	mem_deref(c->sess);
	mem_deref(c->conf);
	keep_record_err(c);
	mem_deref(c->ms);
	mem_deref(c->sdp);
	mem_deref(c->peer);
	mem_deref(c->callid);
	mem_deref(c->ltag);
	mem_deref(c->rtag);
	mem_deref(c->replaces);
	mem_deref(c->srtp);
}


/* a ringing call stops ringing: no auto-answer, no forward on no
 * answer, no giving up on our own call */
static void ringing_over(struct pcall *c)
{
	tmr_cancel(&c->tmr_answer);
	tmr_cancel(&c->tmr_fwd);
	tmr_cancel(&c->tmr_giveup);
}


/* the call is over, however it ended: nothing more is sent on its leg */
static void ended(struct pcall *c)
{
	c->state = PCALL_CLOSED;
	ringing_over(c);
	if (c->ms)
		mstream_stop(c->ms);
	if (c->conf) {
		(void)mstream_mix(c->ms, NULL);
		c->conf = mem_deref(c->conf);
	}
}


static void media_tap(bool tx, const struct sa *src, const struct sa *dst,
		      const uint8_t *pkt, size_t len, void *arg)
{
	struct pcall *c = arg;
	struct phone *ph = c->ph;

	if (ph->h.mediah && !ph->closing)
		ph->h.mediah(tx, src, dst, pkt, len, ph->h.arg);
}


static int media_setup(struct pcall *c)
{
	const struct role *r = c->ph->role;
	struct sa ip;
	struct le *le;
	int err;

	sa_cpy(&ip, &r->addr);
	sa_set_port(&ip, 0);

	err = mstream_alloc(&c->ms, &ip, c->ph->aor, media_tap, c);
	if (!err)
		err = mstream_rtcp_interval(c->ms, r->rtcp_ms);
	if (err)
		return err;
	if (r->impair.set) {
		struct mstream_impair imp = phone_impair_prm(&r->impair);

		mstream_impair(c->ms, &imp);
	}

	++c->ph->ncalls;
	if (r->record && c->ph->rec_prefix) {
		char path[512];

		re_snprintf(path, sizeof(path), "%s-%s-%u.wav",
			    c->ph->rec_prefix, r->name, c->ph->ncalls);
		err = mstream_record_wav(c->ms, path);
		if (err) {
			phone_logf(c->ph, "%s: cannot record to %s: %m",
				   r->name, path, err);
			return err;
		}
		phone_logf(c->ph, "%s: recording what it hears to %s",
			   r->name, path);
	}

	err = sdp_session_alloc(&c->sdp, &ip);
	if (err)
		return err;

	err = sdp_media_add(&c->sdpm, c->sdp, "audio",
			    sa_port(mstream_local(c->ms)),
			    pcall_srtp_proto(c->ph));
	if (err)
		return err;

	for (le = r->codecs.head; le; le = le->next) {
		const struct strle *s = le->data;
		bool mu = !str_casecmp(s->str, "PCMU");

		err |= sdp_format_add(NULL, c->sdpm, false, mu ? "0" : "8",
				      mu ? "PCMU" : "PCMA", 8000, 1, NULL,
				      NULL, NULL, false, NULL);
	}
	if (list_isempty(&r->codecs)) {
		err |= sdp_format_add(NULL, c->sdpm, false, "0", "PCMU", 8000,
				      1, NULL, NULL, NULL, false, NULL);
		err |= sdp_format_add(NULL, c->sdpm, false, "8", "PCMA", 8000,
				      1, NULL, NULL, NULL, false, NULL);
	}
	err |= sdp_format_add(NULL, c->sdpm, false, "101", "telephone-event",
			      8000, 1, NULL, NULL, NULL, false, "0-15");
	if (!err)
		err = pcall_srtp_offer(c);
	if (err)
		return err;

	return pcall_media_source(c);
}


/** What the leg sends now: the phone's WAV, its tone, or silence */
int pcall_media_source(struct pcall *c)
{
	struct phone *ph = c->ph;

	if (!c->ms)
		return 0;

	if (ph->wav)
		return mstream_source_wav(c->ms, ph->wav);
	if (ph->cfg.tone_hz && !ph->cfg.mute)
		return mstream_source_tone(c->ms, ph->cfg.tone_hz, -10);

	mstream_source_silence(c->ms);
	return 0;
}


/** After every offer/answer (and a set:): point the leg at what was
 *  agreed, and send what the phone is set to send */
void pcall_media_update(struct pcall *c)
{
	const struct sdp_format *mu, *a, *f, *te;
	enum sdp_dir dir;
	struct le *le;

	if (!c->ms || !c->sdpm)
		return;
	if (!pcall_srtp_ready(c)) {
		mstream_set_dir(c->ms, false, false);
		return;
	}

	mu = sdp_media_rformat(c->sdpm, "PCMU");
	a = sdp_media_rformat(c->sdpm, "PCMA");
	f = mu ? mu : a;
	for (le = mu && a ? a->le.next : NULL; le; le = le->next) {
		if (le == &mu->le) {
			f = a;  /* PCMA comes first in the remote list */
			break;
		}
	}
	if (!f) {
		phone_logf(c->ph, "%s: no common codec with %s; no audio",
			   c->ph->role->name, c->peer);
		mstream_set_dir(c->ms, false, true);
		return;
	}

	te = sdp_media_rformat(c->sdpm, "telephone-event");
	(void)mstream_set_remote(c->ms, sdp_media_raddr(c->sdpm),
				 f == mu ? MSTREAM_PCMU : MSTREAM_PCMA,
				 te ? te->pt : -1);
	(void)mstream_send_codec(c->ms, c->ph->cfg.send_codec);

	dir = sdp_media_dir(c->sdpm);
	/* a phone that holds a call does not send its user's voice */
	mstream_set_dir(c->ms, (dir & SDP_SENDONLY) && !c->ph->cfg.mute &&
			!c->held, dir & SDP_RECVONLY);
}


static int offer_h(struct mbuf **descp, const struct sip_msg *msg,
		   void *arg)
{
	struct pcall *c = arg;
	int err;

	err = sdp_decode(c->sdp, msg->mb, true);
	if (err)
		return err;
	(void)pcall_srtp_remote(c, true);

	err = sdp_encode(descp, c->sdp, false);
	if (!err)
		pcall_media_update(c);

	phone_logf(c->ph, "%s: re-INVITE from %s: now %s", c->ph->role->name,
		   c->peer, sdp_dir_name(sdp_media_dir(c->sdpm)));

	return err;
}


static int answer_h(const struct sip_msg *msg, void *arg)
{
	struct pcall *c = arg;
	int err;

	if (!mbuf_get_left(msg->mb))
		return 0;

	err = sdp_decode(c->sdp, msg->mb, false);
	if (!err) {
		(void)pcall_srtp_remote(c, false);
		pcall_media_update(c);
	}

	return err;
}


static void progr_h(const struct sip_msg *msg, void *arg)
{
	struct pcall *c = arg;

	phone_logf(c->ph, "%s: %u %r from %s", c->ph->role->name, msg->scode,
		   &msg->reason, c->peer);

	/* early media: a provisional answer with SDP is heard at once */
	if (mbuf_get_left(msg->mb) &&
	    msg_ctype_cmp(&msg->ctyp, "application", "sdp") &&
	    !sdp_decode(c->sdp, msg->mb, false)) {
		(void)pcall_srtp_remote(c, false);
		pcall_media_update(c);
	}
}


static void estab_h(const struct sip_msg *msg, void *arg)
{
	struct pcall *c = arg;

	/* the dialog's identity, for a Replaces that names it (RFC 3891):
	 * msg is the 2xx we received, or the ACK to the 2xx we sent */
	if (!c->callid) {
		const struct pl *lt = c->incoming ? &msg->to.tag
				    : &msg->from.tag;
		const struct pl *rt = c->incoming ? &msg->from.tag
				    : &msg->to.tag;

		(void)pl_strdup(&c->callid, &msg->callid);
		(void)pl_strdup(&c->ltag, lt);
		(void)pl_strdup(&c->rtag, rt);
	}

	c->state = PCALL_ESTABLISHED;
	ringing_over(c);
	phone_logf(c->ph, "%s: call with %s established", c->ph->role->name,
		   c->peer);

	if (c->xfer_of)
		pcall_notify_xfer(c->xfer_of, 200, "OK");
}


static void release_h(void *arg)
{
	struct pcall *c = arg;

	c->sess = mem_deref(c->sess);
}


static void close_h(int err, const struct sip_msg *msg, void *arg)
{
	struct pcall *c = arg;
	struct phone *ph = c->ph;

	ended(c);

	if (err == ECONNRESET)
		phone_logf(ph, "%s: call with %s ended by the far end",
			   ph->role->name, c->peer);
	else if (err)
		phone_logf(ph, "%s: call with %s ended: %m", ph->role->name,
			   c->peer, err);
	else if (msg)
		phone_logf(ph, "%s: call with %s ended: %u %r", ph->role->name,
			   c->peer, msg->scode, &msg->reason);
	else
		phone_logf(ph, "%s: call with %s ended", ph->role->name,
			   c->peer);

	if (c->xfer_of)
		pcall_notify_xfer(c->xfer_of, msg && msg->scode >= 300 ?
				  msg->scode : 503, msg && msg->scode >= 300 ?
				  NULL : "Service Unavailable");

	/* the session is still in its own handler: let go of it after */
	tmr_start(&c->tmr_close, 0, release_h, c);
}


static void dtmf_add(struct pcall *c, char digit)
{
	if (c->ndtmf + 1 < sizeof(c->dtmf))
		c->dtmf[c->ndtmf++] = digit;
	c->dtmf[c->ndtmf] = '\0';
}


/** The digits this call received, in arrival order, however they came:
 *  RFC 4733 and in-band (the media leg), SIP INFO (here) */
const char *pcall_dtmf(struct pcall *c)
{
	const char *m = c->ms ? mstream_dtmf(c->ms) : NULL;
	size_t n = m ? strlen(m) : 0;

	for (; c->ms_dtmf < n; c->ms_dtmf++)
		dtmf_add(c, m[c->ms_dtmf]);

	return c->dtmf;
}


/* INFO application/dtmf-relay: "Signal=5" (and Duration) */
static void info_h(struct sip *sip, const struct sip_msg *msg, void *arg)
{
	struct pcall *c = arg;
	struct pl sig;

	if (!msg_ctype_cmp(&msg->ctyp, "application", "dtmf-relay") ||
	    re_regex((const char *)mbuf_buf(msg->mb), mbuf_get_left(msg->mb),
		     "Signal=[ ]*[^ \r\n]+", NULL, &sig) ||
	    !strchr("0123456789*#ABCDabcd", sig.p[0])) {
		(void)sip_treply(NULL, sip, msg, 415,
				 "Unsupported Media Type");
		return;
	}

	(void)pcall_dtmf(c);   /* what the leg had comes first */
	dtmf_add(c, (char)toupper((unsigned char)sig.p[0]));
	(void)sip_treply(NULL, sip, msg, 200, "OK");
}


/* NOTIFY from the transferee: the sipfrag tells how the transfer goes */
static void sub_notify_h(struct sip *sip, const struct sip_msg *msg,
			 void *arg)
{
	struct pcall *c = arg;
	struct pl ver, code;

	(void)sip_treply(NULL, sip, msg, 200, "OK");

	if (re_regex((const char *)mbuf_buf(msg->mb), mbuf_get_left(msg->mb),
		     "SIP/[0-9.]+ [0-9]+", &ver, &code))
		return;

	phone_logf(c->ph, "%s: transfer progress from %s: %r",
		   c->ph->role->name, c->peer, &code);

	/* blind transfer done: the transferor leaves the call */
	if (pl_u32(&code) >= 200 && pl_u32(&code) < 300 && c->xfer_hangup) {
		c->xfer_hangup = false;
		pcall_hangup(c);
	}
}


static void sub_close_h(int err, const struct sip_msg *msg,
			const struct sipevent_substate *substate, void *arg)
{
	struct pcall *c = arg;
	(void)substate;

	if (err || (msg && msg->scode >= 300))
		phone_logf(c->ph, "%s: REFER to %s failed: %u",
			   c->ph->role->name, c->peer, msg ? msg->scode : 0);
	c->sub = mem_deref(c->sub);
}


static void not_close_h(int err, const struct sip_msg *msg, void *arg)
{
	struct pcall *c = arg;
	(void)err;
	(void)msg;

	c->not = mem_deref(c->not);
}


/* REFER in the dialog: accept, say Trying, call the Refer-To target */
static void refer_h(struct sip *sip, const struct sip_msg *msg, void *arg)
{
	struct pcall *c = arg;
	struct phone *ph = c->ph;
	const struct sip_hdr *hdr = sip_msg_hdr(msg, SIP_HDR_REFER_TO);
	struct sip_addr addr;
	struct pcall *nc = NULL;
	char *uri = NULL;
	int err;

	if (!hdr || sip_addr_decode(&addr, &hdr->val)) {
		(void)sip_reply(sip, msg, 400, "Bad Refer-To Header");
		return;
	}
	if (c->not) {
		(void)sip_reply(sip, msg, 491, "Request Pending");
		return;
	}

	err = sipevent_accept(&c->not, ph->evsock, msg,
			      sipsess_dialog(c->sess), NULL, 202, "Accepted",
			      60, 60, 60, ph->role->user, "message/sipfrag",
			      NULL, NULL, false, not_close_h, c, "%s", allow);
	if (err) {
		(void)sip_reply(sip, msg, 500, "Server Internal Error");
		return;
	}

	pcall_notify_xfer(c, 100, "Trying");

	/* the URI without its ?headers; an attended transfer's Replaces
	 * goes into the new INVITE (RFC 3891, RFC 5589 §7) */
	err = re_sdprintf(&uri, "%r", &addr.auri);
	if (!err) {
		char *q = strchr(uri, '?');
		if (q)
			*q = '\0';
		phone_logf(ph, "%s: transferred by %s to %s", ph->role->name,
			   c->peer, uri);
		err = pcall_alloc(&nc, ph, false);
	}
	if (!err) {
		struct pl rep;

		nc->xfer_of = c;
		if (!re_regex(addr.auri.p, addr.auri.l, "Replaces=[^&]+",
			      &rep))
			err = re_sdprintf(&nc->replaces, "%H",
					  uri_header_unescape, &rep);
	}
	if (!err) {
		err = pcall_dial(nc, uri);
		if (err)
			nc->state = PCALL_CLOSED;
	}
	if (err)
		pcall_notify_xfer(c, 503, "Service Unavailable");
	mem_deref(uri);
}


/** Tell the referrer how the call it asked for goes (NOTIFY sipfrag) */
void pcall_notify_xfer(struct pcall *c, uint16_t scode, const char *reason)
{
	struct mbuf *mb;
	bool final = scode >= 200;

	if (!c->not)
		return;

	mb = mbuf_alloc(64);
	if (!mb)
		return;
	(void)mbuf_printf(mb, "SIP/2.0 %u %s\r\n", scode,
			  reason ? reason : sip_reason_std(scode));
	mb->pos = 0;

	(void)sipevent_notify(c->not, mb, final ? SIPEVENT_TERMINATED :
			      SIPEVENT_ACTIVE, SIPEVENT_NORESOURCE, 0);
	mem_deref(mb);

	if (final)
		c->not = mem_deref(c->not);
}


int pcall_alloc(struct pcall **cp, struct phone *ph, bool incoming)
{
	struct pcall *c;
	int err;

	c = mem_zalloc(sizeof(*c), destructor);
	if (!c)
		return ENOMEM;

	c->ph = ph;
	c->incoming = incoming;
	c->state = incoming ? PCALL_RINGING_IN : PCALL_CALLING;
	list_append(&ph->calls, &c->le, c);

	err = media_setup(c);
	if (err)
		mem_deref(c);
	else
		*cp = c;

	return err;
}


/* give-up: our call rang out unanswered too long: cancel it. A
 * referrer hears the outcome at once, the 487 the INVITE ends with (RFC
 * 3515 §2.4.5): libre takes that 487 after the session is let go, and no
 * handler of ours sees it */
static void giveup_h(void *arg)
{
	struct pcall *c = arg;

	if (c->state != PCALL_CALLING)
		return;

	phone_logf(c->ph, "%s: gives up on %s after %u ms unanswered",
		   c->ph->role->name, c->peer, c->ph->cfg.giveup_ms);
	if (c->xfer_of)
		pcall_notify_xfer(c->xfer_of, 487, NULL);
	pcall_hangup(c);
}


/** Call uri with an SDP offer, through the phone's proxy if it has one */
int pcall_dial(struct pcall *c, const char *uri)
{
	struct phone *ph = c->ph;
	const char *routev[1];
	struct mbuf *desc = NULL;
	int err;

	err = str_dup(&c->peer, uri);
	if (err)
		return err;

	err = sdp_encode(&desc, c->sdp, true);
	if (err)
		return err;

	routev[0] = ph->route;
	err = sipsess_connect(&c->sess, ph->sock, uri, ph->role->display,
			      ph->aor, ph->role->user, routev,
			      ph->route ? 1 : 0, "application/sdp", desc,
			      phone_auth_h, ph, false, offer_h, answer_h,
			      progr_h,
			      estab_h, info_h, refer_h, close_h, c, "%s%s%s%s",
			      allow, c->replaces ? "Replaces: " : "",
			      c->replaces ? c->replaces : "",
			      c->replaces ? "\r\n" : "");
	mem_deref(desc);
	if (!err)
		phone_logf(ph, "%s: calling %s", ph->role->name, uri);
	if (!err && ph->cfg.giveup_ms)
		tmr_start(&c->tmr_giveup, ph->cfg.giveup_ms, giveup_h, c);

	return err;
}


/** An incoming INVITE: take its offer and ring (180; 183 with the SDP
 *  answer and audio when set to early media), or answer it at once (200
 *  with the SDP answer: a call that replaces another) */
int pcall_incoming(struct pcall *c, const struct sip_msg *msg, bool answer)
{
	struct phone *ph = c->ph;
	struct mbuf *desc = NULL;
	bool early;
	int err;

	err = re_sdprintf(&c->peer, "%r", &msg->from.auri);
	if (err)
		return err;

	if (mbuf_get_left(msg->mb)) {
		err = sdp_decode(c->sdp, msg->mb, true);
		if (err)
			return err;
		(void)pcall_srtp_remote(c, true);
	}

	early = !answer && ph->cfg.early_media;
	if (answer || early) {
		err = sdp_encode(&desc, c->sdp, false);
		if (err)
			return err;
	}

	err = sipsess_accept(&c->sess, ph->sock, msg,
			     answer ? 200 : early ? 183 : 180,
			     answer ? "OK" : early ? "Session Progress"
			     : "Ringing", ph->role->user,
			     "application/sdp", desc, phone_auth_h, ph, false,
			     offer_h, answer_h, estab_h, info_h, refer_h,
			     close_h, c, "%s", allow);
	mem_deref(desc);
	if (err)
		return err;

	if (answer || early)
		pcall_media_update(c);
	if (!answer)
		phone_logf(ph, "%s: incoming call from %s, %s", ph->role->name,
			   c->peer, early ? "early media" : "ringing");

	return 0;
}


/** Answer a ringing call: 200 OK with the SDP answer */
int pcall_answer(struct pcall *c)
{
	struct mbuf *desc = NULL;
	int err;

	err = sdp_encode(&desc, c->sdp, false);
	if (err)
		return err;

	err = sipsess_answer(c->sess, 200, "OK", desc, "%s", allow);
	mem_deref(desc);
	if (err)
		return err;

	pcall_media_update(c);
	ringing_over(c);

	return 0;
}


/** Refuse a ringing call; a 3xx names where to go instead */
int pcall_reject(struct pcall *c, uint16_t scode, const char *contact)
{
	int err;

	if (contact)
		err = sipsess_reject(c->sess, scode, sip_reason_std(scode),
				     "Contact: <%s>\r\n"
				     "Content-Length: 0\r\n\r\n", contact);
	else
		err = sipsess_reject(c->sess, scode, sip_reason_std(scode),
				     NULL);

	ended(c);
	c->sess = mem_deref(c->sess);

	return err;
}


/** End a call: BYE once established, CANCEL while it rings out */
void pcall_hangup(struct pcall *c)
{
	if (c->state == PCALL_RINGING_IN) {
		(void)pcall_reject(c, 603, NULL);
		return;
	}

	ended(c);
	c->sess = mem_deref(c->sess);   /* libre sends BYE or CANCEL */
	phone_logf(c->ph, "%s: hung up on %s", c->ph->role->name, c->peer);
}


/** Hold (a=sendonly) or resume (a=sendrecv) with a re-INVITE */
int pcall_hold(struct pcall *c, bool hold)
{
	struct mbuf *desc = NULL;
	int err;

	sdp_media_set_ldir(c->sdpm, hold ? SDP_SENDONLY : SDP_SENDRECV);
	err = sdp_encode(&desc, c->sdp, true);
	if (err)
		return err;

	err = sipsess_modify(c->sess, desc);
	mem_deref(desc);
	if (!err) {
		c->held = hold;
		if (hold)
			mstream_set_dir(c->ms, false, true);
	}

	return err;
}


/** Join an established call to a conference mixed in this phone: its
 *  leg hears the other legs from now on, and a held call is resumed */
int pcall_conference(struct pcall *c, struct mmix *mix)
{
	int err;

	if (c->state != PCALL_ESTABLISHED || !c->ms)
		return EINVAL;
	if (c->conf == mix)
		return 0;

	err = mstream_mix(c->ms, mix);
	if (err)
		return err;

	mem_deref(c->conf);
	c->conf = mem_ref(mix);

	return c->held ? pcall_hold(c, false) : 0;
}


/* "?Replaces=callid;to-tag=…;from-tag=…" escaped for a URI header
 * (RFC 3891 §6.1: the tags as the target sees them: its own tag is the
 * to-tag); nothing for a blind transfer */
static int replaces_print(struct re_printf *pf, const struct pcall *r)
{
	char v[512];
	struct pl pl;

	if (!r)
		return 0;

	re_snprintf(v, sizeof(v), "%s;to-tag=%s;from-tag=%s", r->callid,
		    r->rtag, r->ltag);
	pl_set_str(&pl, v);

	return re_hprintf(pf, "?Replaces=%H", uri_header_escape, &pl);
}


/**
 * REFER the far end to target, and leave once it reports 2xx. Attended:
 * replace names our established call with the target, which the far end's
 * INVITE will replace.
 */
int pcall_refer(struct pcall *c, const char *target,
		const struct pcall *replace)
{
	struct phone *ph = c->ph;
	int err;

	if (replace && !replace->callid)
		return EINVAL;

	err = sipevent_drefer(&c->sub, ph->evsock, sipsess_dialog(c->sess),
			      ph->role->user, phone_auth_h, ph, false,
			      sub_notify_h, sub_close_h, c,
			      "Refer-To: <%s%H>\r\nReferred-By: <%s>\r\n",
			      target, replaces_print, replace, ph->aor);
	if (!err) {
		c->xfer_hangup = true;
		phone_logf(ph, "%s: REFER %s to %s", ph->role->name, c->peer,
			   target);
	}

	return err;
}
