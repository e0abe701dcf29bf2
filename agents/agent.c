/* agents/agent.c — one role's agent: socket, media port, kind, ledger */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "agent.h"
#include "placeholder.h"
#include "phone.h"
#include "transport.h"


static void destructor(void *data)
{
	struct agent *ag = data;

	list_unlink(&ag->le);
	ledger_reset(&ag->led);
	list_flush(&ag->sdpcalls);
	mem_deref(ag->phone);
	mem_deref(ag->hil);
	mem_deref(ag->tr);
	mem_deref(ag->sdp);
	mem_deref(ag->aor);
	mem_deref(ag->rtp);
}


static void tr_recv(const struct sa *src, const struct sa *dst,
		    struct mbuf *mb, const char *bad, void *arg)
{
	struct agent *ag = arg;

	if (ag->h.recvh)
		ag->h.recvh(ag, src, dst, mb, bad, ag->arg);
}


static void tr_close(const struct sa *peer, bool up, const char *why,
		     void *arg)
{
	struct agent *ag = arg;

	if (ag->h.closeh)
		ag->h.closeh(ag, peer, up, why, ag->arg);
}


static void rtp_recv(const struct sa *src, const struct rtp_header *hdr,
		     struct mbuf *mb, void *arg)
{
	/* scripted roles take no part in media; the port is real so that
	 * SDP offers and answers name a socket that exists */
	(void)src;
	(void)hdr;
	(void)mb;
	(void)arg;
}


static const struct {
	const char *name;
	const char *pt;
	uint32_t srate;
	const char *params;
} codecs[] = {
	{"PCMU", "0", 8000, NULL},
	{"PCMA", "8", 8000, NULL},
	{"G722", "9", 8000, NULL},
	{"telephone-event", "101", 8000, "0-15"},
};

/* what a scripted role offers unless a step names its codecs */
static const char *const default_codecs[] = {"PCMU", "PCMA",
					     "telephone-event"};


static int codec_add(struct sdp_media *m, const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(codecs); i++) {
		if (!str_casecmp(name, codecs[i].name))
			return sdp_format_add(NULL, m, false, codecs[i].pt,
					      codecs[i].name, codecs[i].srate,
					      1, NULL, NULL, NULL, false,
					      codecs[i].params);
	}

	return ENOTSUP;
}


/**
 * The formats of a scripted role's media line m: the codecs names lists
 * (struct strle), or when it is NULL or empty PCMU, PCMA and
 * telephone-event. ENOTSUP for a name not among PCMU, PCMA, G722,
 * telephone-event.
 */
int agent_codecs_add(struct sdp_media *m, const struct list *names)
{
	struct le *le;
	size_t i;
	int err = 0;

	for (le = names ? names->head : NULL; le && !err; le = le->next) {
		const struct strle *c = le->data;

		err = codec_add(m, c->str);
	}
	for (i = 0; (!names || list_isempty(names)) && !err &&
		    i < ARRAY_SIZE(default_codecs); i++)
		err = codec_add(m, default_codecs[i]);

	return err;
}


static int media_open(struct agent *ag)
{
	struct sa ip;
	int err;

	sa_cpy(&ip, &ag->role->addr);
	sa_set_port(&ip, 0);

	err = rtp_listen(&ag->rtp, IPPROTO_UDP, &ip, 20000, 60000, false,
			 rtp_recv, NULL, ag);
	if (err)
		return err;

	err = sdp_session_alloc(&ag->sdp, &ip);
	if (err)
		return err;

	err = sdp_media_add(&ag->sdpm, ag->sdp, "audio",
			    sa_port(rtp_local(ag->rtp)), "RTP/AVP");
	if (err)
		return err;

	return agent_codecs_add(ag->sdpm, NULL);
}


/* a phone's SIP: what it sends goes to the run as sent; what it receives
 * goes the way a datagram at a scripted role's socket goes */
static void phone_sig(bool tx, const struct sa *src, const struct sa *dst,
		      const uint8_t *pkt, size_t len, void *arg)
{
	struct agent *ag = arg;
	struct mbuf mb;

	if (tx) {
		if (ag->h.senth)
			ag->h.senth(ag, src, dst, pkt, len, ag->arg);
		return;
	}

	if (!ag->h.recvh)
		return;

	mbuf_init(&mb);
	mb.buf = (uint8_t *)pkt;
	mb.size = mb.end = len;
	ag->h.recvh(ag, src, dst, &mb, NULL, ag->arg);
}


static void phone_media(bool tx, const struct sa *src, const struct sa *dst,
			const uint8_t *pkt, size_t len, void *arg)
{
	struct agent *ag = arg;

	if (ag->h.mediah)
		ag->h.mediah(ag, tx, src, dst, pkt, len, ag->arg);
}


static void phone_log(struct phone *ph, const char *line, void *arg)
{
	struct agent *ag = arg;
	(void)ph;

	if (ag->h.logh)
		ag->h.logh(ag, line, ag->arg);
}


/**
 * An agent for a role. A simulated role (not a DUT) listens on its
 * address; a DUT gets an agent without sockets, so that what it sends and
 * receives is tracked the same way.
 */
int agent_alloc(struct agent **agp, struct role *role,
		const struct scenario *sc, const struct agent_handlers *h,
		void *arg)
{
	struct agent *ag;
	int err = 0;

	if (!agp || !role)
		return EINVAL;

	ag = mem_zalloc(sizeof(*ag), destructor);
	if (!ag)
		return ENOMEM;

	ag->role = role;
	ledger_init(&ag->led, role);
	ag->kind = agent_kind_of(role);
	if (h)
		ag->h = *h;
	ag->arg = arg;

	if (role->dut) {
		/* a device's own line, for its driver (hil_set_line) */
		if (sc && role->user)
			err = role_aor(&ag->aor, sc, role);
	}
	else if (role->kind == ROLE_PHONE) {
		struct phone_handlers ph = {
			phone_sig, phone_media, phone_log, ag,
		};

		err = phone_alloc(&ag->phone, role, sc, &ph);
	}
	else {
		err = transport_listen(&ag->tr, role->tp, &role->addr,
				       role->tls, tr_recv, tr_close, ag);
		if (err)
			goto out;

		err = media_open(ag);
	}

 out:
	if (err)
		mem_deref(ag);
	else
		*agp = ag;

	return err;
}


/**
 * Send one message on the agent's transport (a datagram, or over the
 * connection to dst); *src: the address it leaves from
 */
int agent_send(struct agent *ag, const struct sa *dst, struct mbuf *mb,
	       struct sa *src)
{
	if (!ag || !dst || !mb)
		return EINVAL;

	if (!ag->tr)
		return ENOTSUP;

	return transport_send(ag->tr, dst, mb, src);
}


/** The agent playing a role */
struct agent *agent_find(const struct list *agents, const struct role *r)
{
	struct le *le;

	for (le = agents ? agents->head : NULL; le; le = le->next) {
		struct agent *ag = le->data;
		if (ag->role == r)
			return ag;
	}

	return NULL;
}


/**
 * The agent whose role has this address: its own (address and port); a
 * connection a simulated role opened from there (TCP, TLS); else, for a
 * port no role has, the one role on a stream transport at that IP (a
 * device or a phone connects from a port the system chose)
 */
struct agent *agent_by_addr(const struct list *agents, const struct sa *sa)
{
	struct agent *ip = NULL;
	unsigned nip = 0;
	struct le *le;

	for (le = agents ? agents->head : NULL; le; le = le->next) {
		struct agent *ag = le->data;
		if (sa_cmp(&ag->role->addr, sa, SA_ALL))
			return ag;
	}

	for (le = agents ? agents->head : NULL; le; le = le->next) {
		struct agent *ag = le->data;

		if (ag->tr && transport_leaves_from(ag->tr, sa))
			return ag;
		if (agent_reliable(ag) &&
		    sa_cmp(&ag->role->addr, sa, SA_ADDR)) {
			ip = ag;
			++nip;
		}
	}

	return nip == 1 ? ip : NULL;
}


/** The RTP port the agent's SDP names */
uint16_t agent_media_port(const struct agent *ag)
{
	return ag && ag->rtp ? sa_port(rtp_local(ag->rtp)) : 0;
}


/**
 * Whether the agent's transport is reliable (TCP, TLS): RFC 3261 17.1.1.2
 * and 17.2.1 retransmit only over an unreliable one (UDP)
 */
bool agent_reliable(const struct agent *ag)
{
	if (!ag || !ag->role)
		return false;

	return ag->role->tp == SIP_TRANSP_TCP ||
		ag->role->tp == SIP_TRANSP_TLS;
}
