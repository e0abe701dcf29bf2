/* agents/agent.h — one role's agent: its socket, its messages, its dialogs */
#ifndef SIPFLOW_AGENT_H
#define SIPFLOW_AGENT_H

#include "ledger.h"

struct agent;
struct buildctx;
struct dialog;
struct msgb;
struct msgrec;
struct role;
struct scenario;
struct step;

/**
 * A message arrived at an agent from src at dst (as the socket sees
 * them). bad: NULL, or why a stream's bytes could not be framed
 */
typedef void (agent_recv_h)(struct agent *ag, const struct sa *src,
			    const struct sa *dst, struct mbuf *mb,
			    const char *bad, void *arg);

/** A message an autonomous agent (a phone) sent, as it left */
typedef void (agent_sent_h)(struct agent *ag, const struct sa *src,
			    const struct sa *dst, const uint8_t *pkt,
			    size_t len, void *arg);

/**
 * A connection of the agent with peer ended (TCP, TLS): why. up: it had
 * been established (false: nothing sent on it reached the peer)
 */
typedef void (agent_close_h)(struct agent *ag, const struct sa *peer,
			     bool up, const char *why, void *arg);

/** An RTP/RTCP datagram an agent sent (tx) or received */
typedef void (agent_media_h)(struct agent *ag, bool tx, const struct sa *src,
			     const struct sa *dst, const uint8_t *pkt,
			     size_t len, void *arg);

/** A line for the run's log */
typedef void (agent_log_h)(struct agent *ag, const char *line, void *arg);

/** What an agent tells the run */
struct agent_handlers {
	agent_recv_h *recvh;
	agent_sent_h *senth;
	agent_media_h *mediah;
	agent_log_h *logh;
	agent_close_h *closeh;
};

/** Build the message a step sends */
typedef int (agent_build_h)(struct mbuf **mbp, struct agent *ag,
			    struct buildctx *ctx);

/**
 * Teardown (agents/teardown.c): send mb from ag to the role to, outside
 * any step; the run records it (pcap, marked teardown) and puts it on
 * the wire. reply_to: the request a response answers, or NULL
 */
typedef int (agent_tsend_h)(struct agent *ag, struct role *to,
			    struct mbuf *mb, struct msgrec *reply_to,
			    void *arg);

/** What a role's teardown works with */
struct agent_teardown {
	agent_tsend_h *sendh;
	void *arg;
	struct msgrec *r;           /* what just arrived at the role, or
				       NULL: the sweep when the flow ended */
};

/**
 * The flow ended: close what the role opened with a device (sweep, r
 * NULL), or go on closing as the device answers (r, a message the role
 * received during the teardown)
 */
typedef void (agent_teardown_h)(struct agent *ag, struct agent_teardown *td);

/** A role kind's behaviour: one row per kind */
struct agent_kind {
	const char *name;
	agent_build_h *buildh;      /* NULL: the engine never sends for it */
	agent_teardown_h *teardownh; /* NULL: nothing to close */
};

struct agent {
	struct le le;
	struct role *role;
	const struct agent_kind *kind;
	struct transport *tr;       /* NULL for a device under test */
	struct rtp_sock *rtp;       /* a real media port for SDP */
	struct sdp_session *sdp;
	struct sdp_media *sdpm;
	struct list sdpcalls;       /* per call: its o= line (sdporigin.c) */
	struct ledger led;          /* received, sent, dialogs; linked
				       into the run's set of ledgers */
	struct phone *phone;        /* kind phone: the autonomous agent */
	struct hil *hil;            /* a device under test: its driver */
	unsigned set_applied;       /* … the settings this run gave it
				       (PHONE_CFG_*), undone at its end */
	struct agent_handlers h;
	void *arg;
};

int agent_alloc(struct agent **agp, struct role *role,
		const struct scenario *sc, const struct agent_handlers *h,
		void *arg);
int agent_send(struct agent *ag, const struct sa *dst, struct mbuf *mb,
	       struct sa *src);
struct agent *agent_find(const struct list *agents, const struct role *r);
struct agent *agent_by_addr(const struct list *agents, const struct sa *sa);
uint16_t agent_media_port(const struct agent *ag);
int agent_codecs_add(struct sdp_media *m, const struct list *names);
bool agent_reliable(const struct agent *ag);

/* role kinds (agents/ua.c, agents/proxy.c) */
int ua_build(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx);
int proxy_build(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx);
int ua_no_request(const struct agent *ag, struct buildctx *ctx);
struct msgrec *ua_open_request(const struct agent *ag,
			       const struct role *peer,
			       struct buildctx *ctx);
int ua_respond(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx,
	       struct msgrec *req, bool contact);
int ua_dialog_msgb(struct msgb **bp, struct agent *ag, struct dialog *d,
		   const char *method, const struct msgrec *inv2xx);

/* what each kind closes when a flow ends (agents/teardown.c, phone.c) */
void ua_teardown(struct agent *ag, struct agent_teardown *td);
void proxy_teardown(struct agent *ag, struct agent_teardown *td);
void phone_teardown(struct agent *ag, struct agent_teardown *td);
int  teardown_answer(struct agent *ag, struct agent_teardown *td,
		     struct msgrec *req);

#endif
