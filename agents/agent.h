/* agents/agent.h — one role's agent: its socket, its messages, its dialogs;
 * and the one door the runner has into the agents: the kind table (one
 * row per kind, agents/kind.c) and the few calls that go through it */
#ifndef SIPFLOW_AGENT_H
#define SIPFLOW_AGENT_H

#include "ledger.h"

struct agent;
struct buildctx;
struct dialog;
struct do_spec;
struct mstream;
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

/** A line about the device a role is bound to, from its driver; lost:
 *  the driver can no longer reach it */
typedef void (agent_note_h)(struct agent *ag, bool lost, const char *line,
			    void *arg);

/** An event the device reported through its driver (agents/hil/) */
typedef void (agent_event_h)(struct agent *ag, const char *name,
			     const char *detail, void *arg);

/** What an agent tells the run */
struct agent_handlers {
	agent_recv_h *recvh;
	agent_sent_h *senth;
	agent_media_h *mediah;
	agent_log_h *logh;
	agent_close_h *closeh;
	agent_note_h *noteh;
	agent_event_h *eventh;
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

/**
 * An act that went on after agent_act returned has ended: err 0, or why
 * it could not be done; sent: when its stimulus left for the device
 * (tmr_jiffies()), 0 when that is not known
 */
typedef void (agent_done_h)(int err, const char *why, uint64_t sent,
			    void *arg);

/**
 * Carry out d, a do: verb (uri: its target's address of record, for a
 * driver that needs one). 0: done at once; EINPROGRESS: under way, doneh
 * reports its end from the event loop; else it could not, and *why
 * (allocated) says why
 */
typedef int (agent_act_h)(struct agent *ag, const struct do_spec *d,
			  const char *uri, agent_done_h *doneh, void *arg,
			  char **why);

/** Whether the agent can play yet; if not and pf is given, it hears what
 *  is missing ("phone B: its SIP socket did not come up") */
typedef bool (agent_ready_h)(const struct agent *ag, struct re_printf *pf);

/** The media leg of a role that plays media itself (a phone) */
struct agent_leg {
	struct mstream *ms;         /* the call in focus's audio, or NULL */
	uint32_t tone_hz;           /* the tone it sends, 0: none known */
	const char *dtmf;           /* the digits that call received */
};

typedef void (agent_leg_h)(const struct agent *ag, struct agent_leg *leg);

/** Start reaching what the agent stands for beyond its own sockets (a
 *  device's driver); *why (allocated) when it cannot */
typedef int (agent_start_h)(struct agent *ag, char **why);

/** Where the run reaches the role, for messages ("baresip at …") */
typedef int (agent_where_h)(struct re_printf *pf, const struct agent *ag);

/** Where the role's recordings go: files PREFIX-ROLE-N.wav */
typedef int (agent_record_h)(struct agent *ag, const char *prefix);

/** A recording that could not be written whole: its errno, *pathp its
 *  file; 0 when all were */
typedef int (agent_record_err_h)(const struct agent *ag, const char **pathp);

/** Where a device's own recording of what it hears stood when a media
 *  window opened (agent_heard_mark) */
struct agent_heard {
	char path[256];             /* its newest file, "" if none yet */
	uint64_t size;
};
/** What the role heard since the mark, as it recorded it itself, or as
 *  a person listening at it said */
struct agent_heard_pcm {
	int16_t *pcm;               /* 8 kHz samples (mem_deref) */
	size_t n;
	char *path;                 /* the file read (mem_deref) */
	int said;                   /* a person listened instead: HEARD_* */
	char *words;                /* … what they typed, or NULL */
};

/** A person's word on what a device played (agent_heard_pcm.said) */
enum {
	HEARD_NOBODY = 0,           /* a recording, not a person */
	HEARD_AUDIO = 1,            /* "y": audio in the handset */
	HEARD_NONE = -1,            /* "n": nothing */
	HEARD_NO_WORD = -2,         /* no answer while the window lasted */
};
typedef int (agent_heard_mark_h)(const struct agent *ag,
				 struct agent_heard *mk);
typedef int (agent_heard_h)(const struct agent *ag,
			    const struct agent_heard *mk,
			    struct agent_heard_pcm *hp, char **why);
/**
 * A role kind's behaviour: one row per kind (agents/kind.c). The runner
 * reaches an agent only through these; a NULL operation is what the
 * kind does not do. Adding a kind is adding a row.
 */
struct agent_kind {
	const char *name;
	bool forwards;              /* a proxy (RFC 3261 §16): it passes a
				       UAS's 2xx on, never makes its own */
	agent_build_h *buildh;      /* NULL: the engine never sends for it */
	agent_teardown_h *teardownh; /* NULL: nothing to close */
	agent_start_h *starth;      /* NULL: its sockets are all it needs */
	agent_act_h *acth;          /* NULL: it cannot act on do: */
	agent_ready_h *readyh;      /* NULL: ready as soon as allocated */
	agent_leg_h *legh;          /* NULL: it plays no media itself */
	agent_where_h *whereh;      /* NULL: its transport and address */
	agent_record_h *recordh;    /* NULL: it records nothing */
	agent_record_err_h *record_errh; /* NULL: it records nothing */
	agent_heard_mark_h *heard_markh; /* NULL: it cannot tell what it */
	agent_heard_h *heardh;           /* heard (a simulated phone is
					    measured by its own leg) */
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
	char *aor;                  /* … its role's address of record */
	unsigned set_applied;       /* … the settings this run gave it
				       (PHONE_CFG_*), undone at its end */
	bool registered;            /* … a do: register of this run passed:
				       unregistered at its end */
	agent_done_h *doneh;        /* the act under way (agent_act) */
	void *done_arg;
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

/* the door: what the runner asks of any kind (agents/kind.c) */
const struct agent_kind *agent_kind_of(const struct role *role);
int  agent_start(struct agent *ag, char **why);
int  agent_act(struct agent *ag, const struct do_spec *d, const char *uri,
	       agent_done_h *doneh, void *arg, char **why);
bool agent_ready(const struct agent *ag);
int  agent_unready_print(struct re_printf *pf, const struct agent *ag);
bool agent_leg(const struct agent *ag, struct agent_leg *leg);
int  agent_where(struct re_printf *pf, const struct agent *ag);
int  agent_record_to(struct agent *ag, const char *prefix);
int  agent_record_err(const struct agent *ag, const char **pathp);
int  agent_heard_mark(const struct agent *ag, struct agent_heard *mk);
int  agent_heard(const struct agent *ag, const struct agent_heard *mk,
		 struct agent_heard_pcm *hp, char **why);

/** A receiver and the role a stream connection of it comes from */
struct agent_from {
	const struct agent *ag;
	const struct role *from;
};

int  agent_held_print(struct re_printf *pf, const struct agent_from *af);

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
