/* agents/phone.c — the phone agent: its own libre SIP stack on the role's
 * address, sessions (sipsess) and REFER subscriptions (sipevent), and
 * what it does with an incoming call (ring, auto-answer, busy, forward).
 *
 * The run sees every SIP message through libre's trace handler (both
 * directions, as on the wire) and every RTP/RTCP packet through the media
 * tap, so a phone's steps are checked like a device's.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "placeholder.h"
#include "media/mstream.h"
#include "phone.h"
#include "phone_priv.h"
#include "transport.h"


static void destructor(void *data)
{
	struct phone *ph = data;

	ph->closing = true;
	ph->reg = mem_deref(ph->reg);
	if (ph->sip)
		sip_set_trace_handler(ph->sip, NULL);  /* it may outlive us */
	list_flush(&ph->calls);
	if (ph->sip) {
		sip_close(ph->sip, true);
		sip_transp_flush(ph->sip);
	}
	phone_wire_close(ph);
	mem_deref(ph->evsock);
	mem_deref(ph->sock);
	mem_deref(ph->sip);
	mem_deref(ph->aor);
	mem_deref(ph->route);
	mem_deref(ph->wav);
	mem_deref(ph->rec_prefix);
	mem_deref(ph->rec_err_path);
}


void phone_logf(struct phone *ph, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;

	if (!ph->h.logh)
		return;

	va_start(ap, fmt);
	(void)re_vsdprintf(&line, fmt, ap);
	va_end(ap);

	if (line)
		ph->h.logh(ph, line, ph->h.arg);
	mem_deref(line);
}


static void trace_h(bool tx, enum sip_transp tp, const struct sa *src,
		    const struct sa *dst, const uint8_t *pkt, size_t len,
		    void *arg)
{
	struct phone *ph = arg;
	(void)tp;

	if (!ph->h.sigh || ph->closing || phone_wire_priming(ph, src))
		return;

	/* what arrives, the receive helper reports once it is there */
	if (!tx && ph->uh)
		return;

	/* impair-sip: phone_wire.c reports what leaves, when it leaves */
	if (tx && ph->sipimp)
		return;

	ph->h.sigh(tx, src, dst, pkt, len, ph->h.arg);
}


static void exit_h(void *arg)
{
	(void)arg;
}


/** The oldest call in state s, or NULL */
struct pcall *phone_call_find(const struct phone *ph, enum pcall_state s)
{
	struct le *le;

	for (le = ph->calls.head; le; le = le->next) {
		struct pcall *c = le->data;

		if (c->state == s)
			return c;
	}

	return NULL;
}


/** The call in focus: the newest established one not on hold, else the
 *  newest established, else the newest still ringing or calling */
struct pcall *phone_call_current(const struct phone *ph)
{
	struct pcall *held = NULL, *alive = NULL;
	struct le *le;

	for (le = ph->calls.tail; le; le = le->prev) {
		struct pcall *c = le->data;

		if (c->state == PCALL_ESTABLISHED && !c->held)
			return c;
		if (c->state == PCALL_ESTABLISHED && !held)
			held = c;
		if (c->state != PCALL_CLOSED && !alive)
			alive = c;
	}

	return held ? held : alive;
}


static void answer_tmr_h(void *arg)
{
	struct pcall *c = arg;

	if (c->state != PCALL_RINGING_IN)
		return;

	phone_logf(c->ph, "%s: auto-answer", c->ph->role->name);
	(void)pcall_answer(c);
}


static void fwd_tmr_h(void *arg)
{
	struct pcall *c = arg;
	struct phone *ph = c->ph;
	char *uri = NULL;

	if (c->state != PCALL_RINGING_IN || !ph->cfg.fwd_noans)
		return;

	if (role_aor(&uri, ph->sc, ph->cfg.fwd_noans))
		return;

	phone_logf(ph, "%s: no answer, forwarding to %s", ph->role->name,
		   uri);
	(void)pcall_reject(c, 302, uri);
	mem_deref(uri);
}


/** The call whose dialog this is (tags as this phone sees them) */
struct pcall *phone_call_by_dialog(const struct phone *ph,
				   const struct pl *callid,
				   const struct pl *ltag,
				   const struct pl *rtag)
{
	struct le *le;

	for (le = ph->calls.head; le; le = le->next) {
		struct pcall *c = le->data;

		if (c->state == PCALL_ESTABLISHED && c->callid &&
		    !pl_strcmp(callid, c->callid) &&
		    !pl_strcmp(ltag, c->ltag) && !pl_strcmp(rtag, c->rtag))
			return c;
	}

	return NULL;
}


/* Replaces: callid;to-tag=OURS;from-tag=THEIRS (RFC 3891 §3) — the call
 * it names, or NULL */
static struct pcall *replaced_call(const struct phone *ph,
				   const struct sip_msg *msg, bool *has)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_REPLACES);
	struct pl callid, params, totag, fromtag;

	*has = h != NULL;
	if (!h || re_regex(h->val.p, h->val.l, "[^;]+[^]*", &callid,
			   &params))
		return NULL;
	if (msg_param_decode(&params, "to-tag", &totag) ||
	    msg_param_decode(&params, "from-tag", &fromtag))
		return NULL;

	return phone_call_by_dialog(ph, &callid, &totag, &fromtag);
}


/* a call the phone does not take: 302 to the role it forwards to (Contact:
 * that role's address of record, RFC 3261 §8.1.3.4), else 486 */
static void refuse(struct phone *ph, const struct sip_msg *msg,
		   const struct role *fwd, const char *why)
{
	char *uri = NULL;

	if (fwd && !role_aor(&uri, ph->sc, fwd)) {
		phone_logf(ph, "%s: %s, forwarding %r to %s", ph->role->name,
			   why, &msg->from.auri, uri);
		(void)sip_treplyf(NULL, NULL, ph->sip, msg, false, 302,
				  "Moved Temporarily", "Contact: <%s>\r\n"
				  "Content-Length: 0\r\n\r\n", uri);
		mem_deref(uri);
		return;
	}

	phone_logf(ph, "%s: %s, 486 to %r", ph->role->name, why,
		   &msg->from.auri);
	(void)sip_treply(NULL, ph->sip, msg, 486, "Busy Here");
}


/* a new INVITE: ring, or say busy, or forward at once (always, or busy);
 * one that replaces a call is taken at once, and the replaced call ends
 * (RFC 3891 §3) */
static void conn_h(const struct sip_msg *msg, void *arg)
{
	struct phone *ph = arg;
	struct pcall *c = NULL, *old;
	bool has_replaces;
	int err;

	old = replaced_call(ph, msg, &has_replaces);
	if (has_replaces && !old) {
		phone_logf(ph, "%s: INVITE replaces no call of mine: 481",
			   ph->role->name);
		(void)sip_treply(NULL, ph->sip, msg, 481,
				 "Call/Transaction Does Not Exist");
		return;
	}
	if (old) {
		err = pcall_alloc(&c, ph, true);
		if (!err)
			err = pcall_incoming(c, msg, true);
		if (err) {
			if (c)
				c->state = PCALL_CLOSED;
			(void)sip_treply(NULL, ph->sip, msg, 500,
					 "Server Internal Error");
			return;
		}
		phone_logf(ph, "%s: call from %s replaces the call with %s",
			   ph->role->name, c->peer, old->peer);
		pcall_hangup(old);
		return;
	}

	if (ph->cfg.fwd_always) {
		refuse(ph, msg, ph->cfg.fwd_always, "forward always");
		return;
	}
	if (ph->cfg.busy) {
		refuse(ph, msg, ph->cfg.fwd_busy, "busy");
		return;
	}

	err = pcall_alloc(&c, ph, true);
	if (!err)
		err = pcall_incoming(c, msg, false);
	if (err) {
		phone_logf(ph, "%s: cannot take the call: %m",
			   ph->role->name, err);
		if (c)
			mem_deref(c);
		(void)sip_treply(NULL, ph->sip, msg, 500,
				 "Server Internal Error");
		return;
	}

	if (ph->cfg.auto_answer_ms != UINT32_MAX)
		tmr_start(&c->tmr_answer, ph->cfg.auto_answer_ms,
			  answer_tmr_h, c);
	if (ph->cfg.fwd_noans)
		tmr_start(&c->tmr_fwd, ph->cfg.fwd_after_ms, fwd_tmr_h, c);
}


static int addr_setup(struct phone *ph)
{
	const struct role *r = ph->role;
	int err;

	err = role_aor(&ph->aor, ph->sc, r);
	if (err)
		return err;

	if (r->proxy)
		err = re_sdprintf(&ph->route, "sip:%J%s", &r->proxy->addr,
				  sip_transp_param(r->proxy->tp));

	return err;
}


/* the stack's transport: the role's, UDP, TCP or TLS (with the role's
 * certificate and CA, agents/transport.h) */
static int transp_add(struct phone *ph)
{
	const struct role *role = ph->role;
	struct tls *tls = NULL;
	int err;

	if (role->tp != SIP_TRANSP_TLS)
		return sip_transp_add(ph->sip, role->tp, &role->addr);

	err = transport_tls(&tls, role->tls);
	if (!err)
		err = sip_transp_add(ph->sip, SIP_TRANSP_TLS, &role->addr,
				     tls);
	mem_deref(tls);

	return err;
}


/**
 * A phone for a role: its SIP stack listens on the role's address. The
 * handlers see every message and packet; settings start as declared.
 */
int phone_alloc(struct phone **php, const struct role *role,
		const struct scenario *sc, const struct phone_handlers *h)
{
	struct phone *ph;
	int err;

	if (!php || !role || !sc)
		return EINVAL;

	ph = mem_zalloc(sizeof(*ph), destructor);
	if (!ph)
		return ENOMEM;

	ph->role = role;
	ph->sc = sc;
	ph->cfg = role->cfg;
	if (h)
		ph->h = *h;

	err = addr_setup(ph);
	if (err)
		goto out;

	err = sip_alloc(&ph->sip, NULL, 32, 32, 32, "sipflow-phone/"
			SIPFLOW_VERSION, exit_h, ph);
	if (err)
		goto out;

	sip_set_trace_handler(ph->sip, trace_h);

	err = transp_add(ph);
	if (err)
		goto out;

	/* the receive helper is a datagram socket's (phone_wire.c) */
	if (role->tp == SIP_TRANSP_UDP)
		err = phone_wire_open(ph);  /* its listener before others */
	else
		ph->ready = true;
	if (err)
		goto out;

	err = sipsess_listen(&ph->sock, ph->sip, 32, conn_h, ph);
	if (err)
		goto out;

	err = sipevent_listen(&ph->evsock, ph->sip, 32, 32, NULL, NULL);

 out:
	if (err)
		mem_deref(ph);
	else
		*php = ph;

	return err;
}


/** The media leg of the call in focus, or NULL */
struct mstream *phone_stream(const struct phone *ph)
{
	struct pcall *c = ph ? phone_call_current(ph) : NULL;

	return c ? c->ms : NULL;
}


/** The DTMF digits the call in focus received (RFC 4733, in band, INFO) */
const char *phone_dtmf(const struct phone *ph)
{
	struct pcall *c = ph ? phone_call_current(ph) : NULL;

	return c ? pcall_dtmf(c) : NULL;
}


/** The tone the phone sends, so a listener can tell who it hears */
uint32_t phone_tone_hz(const struct phone *ph)
{
	if (!ph || ph->cfg.mute || ph->wav)
		return 0;

	return ph->cfg.tone_hz;
}


/** Where recordings go: PREFIX-ROLE-N.wav, one per call (role key
 *  record: true) */
int phone_record_to(struct phone *ph, const char *prefix)
{
	if (!ph || !prefix)
		return EINVAL;

	ph->rec_prefix = mem_deref(ph->rec_prefix);
	return str_dup(&ph->rec_prefix, prefix);
}


/** The first recording that could not be written whole (an errno; a
 *  full disk), of a call ended or going on; 0 if none; *pathp: its file */
int phone_record_err(const struct phone *ph, const char **pathp)
{
	struct le *le;
	int err = 0;

	if (!ph)
		return 0;
	if (ph->rec_err) {
		*pathp = ph->rec_err_path;
		return ph->rec_err;
	}

	for (le = ph->calls.head; le && !err; le = le->next) {
		const struct pcall *c = le->data;

		err = mstream_record_err(c->ms, pathp);
	}

	return err;
}


/**
 * The flow ended: let every call go. libre's sipsess ends each as RFC
 * 3261 says — BYE in an established call (§15.1.1), CANCEL for one still
 * calling once a provisional came (§9.1), 486 to one still ringing — and
 * a REFER subscription's sipnot sends its NOTIFY, terminated (RFC 6665
 * §4.2.2). The stack stays up, and traced, until the phone is freed, so
 * the run sees those go and their answers come.
 */
void phone_close(struct phone *ph)
{
	if (ph)
		list_flush(&ph->calls);
}
