/* engine/model/scenario.h — the scenario model (roles, steps) and its
 * loader */
#ifndef SIPFLOW_SCENARIO_H
#define SIPFLOW_SCENARIO_H

#include <regex.h>

struct diag;
struct hil_cfg;

/** A place in a source file, 1-based as editors count */
struct srcpos {
	unsigned line;
	unsigned col;
};

/** A role's TLS settings (testbed tls:), shared by reference */
struct tls_cfg {
	char *cert;     /* PEM certificate (chain) a listening role shows */
	char *key;      /* PEM private key; NULL: it is in cert */
	char *ca;       /* PEM CA file the role trusts; NULL: none */
	bool verify;    /* verify the peer's certificate and address */
};

/** RFC 3261 timers (timers:, --timer), ms; 0: not set here */
struct sip_timers {
	uint32_t t1, t2, t4;
};

/** SRTP with SDES keys (RFC 4568): a phone's srtp:, a step's sdp: crypto:
 *  (docs/srtp.md) */
struct crypto_spec {
	bool set;              /* given */
	bool off;              /* none: RTP/AVP, no a=crypto line */
	struct list suites;    /* struct strle, in offer order */
	uint32_t tag;          /* a step: the tag to write (0: 1, 2 … in an
				  offer, the accepted one's in an answer) */
	char *key;             /* a step: this inline key (base64), not a
				  fresh one */
	bool wrong_key;        /* a fault: SRTP keyed with another key than
				  the one the SDP gives */
	struct srcpos pos;
};

/** What a role is in the scenario (how it behaves in the flow) */
enum role_kind {
	ROLE_UA = 0, /* scripted user agent */
	ROLE_PROXY,  /* scripted proxy (RFC 3261 §16 forwarding) */
	ROLE_PHONE,  /* autonomous phone agent (agents/phone.c) */
	ROLE_DUT,    /* declared as a device under test in the scenario */
};

/** What a phone is set to do (role keys, and set: in a do: step) */
struct phone_cfg {
	unsigned given;           /* PHONE_CFG_* bits: what was set */
	bool busy;                /* answer new calls 486 Busy Here */
	uint32_t auto_answer_ms;  /* answer after this long (given bit) */
	struct role *fwd_noans;   /* 302 to this role when not answered */
	uint32_t fwd_after_ms;    /* … after ringing this long */
	struct role *fwd_always;  /* 302 to this role at once, no ringing */
	struct role *fwd_busy;    /* 302 to this role instead of 486 */
	bool mute;                /* send no audio (one-way audio fault) */
	uint32_t tone_hz;         /* the tone it sends (0: silence) */
	int dtmf_mode;            /* DTMF_RFC4733, DTMF_INBAND, DTMF_INFO */
	bool early_media;         /* ring with 183 and SDP, and send audio */
	int send_codec;           /* fault: send PT 0/8 whatever was agreed;
				     -1: what was agreed */
	uint32_t giveup_ms;       /* cancel its own call unanswered this
				     long (0: never) */
	struct srcpos at[12];     /* where each given setting is written,
				     by bit number (PHONE_CFG_NKEYS) */
};

enum {
	PHONE_CFG_BUSY = 1u << 0,
	PHONE_CFG_AUTO_ANSWER = 1u << 1,
	PHONE_CFG_FWD_NOANS = 1u << 2,
	PHONE_CFG_FWD_AFTER = 1u << 3,
	PHONE_CFG_MUTE = 1u << 4,
	PHONE_CFG_TONE = 1u << 5,
	PHONE_CFG_DTMF_MODE = 1u << 6,
	PHONE_CFG_SEND_CODEC = 1u << 7,
	PHONE_CFG_EARLY_MEDIA = 1u << 8,
	PHONE_CFG_FWD_ALWAYS = 1u << 9,
	PHONE_CFG_FWD_BUSY = 1u << 10,
	PHONE_CFG_GIVE_UP = 1u << 11,
	PHONE_CFG_NKEYS = 12,      /* one name each, engine/model/doverb.c */
};

enum { DTMF_RFC4733 = 0, DTMF_INBAND, DTMF_INFO };

/** Network impairment of a simulated phone's media (impair:) */
struct impair_spec {
	bool set;
	double loss, reorder, duplicate;  /* 0..1 */
	uint32_t jitter_ms;
	uint32_t seed;
};

/** One participant: A, B, C, P … */
struct role {
	struct le le;          /* in scenario.roles, in declaration order */
	char *name;            /* "A" */
	enum role_kind kind;   /* as declared in the scenario */
	bool dut;              /* bound to a device under test (testbed) */
	char *user;            /* user part of its URI; default: see loader */
	char *display;         /* display name, may be NULL */
	char *domain;          /* proxy: domain it serves; may be NULL */
	bool record_route;     /* proxy: insert Record-Route when forwarding */
	struct role *proxy;    /* phone: outbound proxy role, or NULL */
	struct phone_cfg cfg;  /* phone: behaviour as declared */
	struct list codecs;    /* phone: struct strle, offer order */
	struct impair_spec impair; /* phone: media impairment */
	struct impair_spec impair_sip; /* phone: what its SIP stack sends */
	bool record;           /* phone: record what each call hears (WAV) */
	uint32_t rtcp_ms;      /* phone: its RTCP interval; 0: libre's 5 s */
	struct crypto_spec srtp; /* phone: SRTP it offers and accepts */
	char *auth_user;       /* digest credentials (testbed), or NULL */
	char *auth_pass;       /* never printed */
	char *decl_auth_user;  /* … as the scenario declares them (auth:):
				  what binding again starts from */
	char *decl_auth_pass;
	struct hil_cfg *driver;/* a device under test: its driver, or NULL */
	uint32_t dut_tone_hz;  /* a device under test: the tone it sends */
	char *dut_name;        /* a device under test: its testbed name:,
				  or NULL (reports give its address) */
	uint32_t dut_offers;   /* a device under test: what it offers
				  (testbed offers:,
				  engine/load/capability.c) */
	bool dut_has_offers;   /* … the testbed said so */
	uint32_t requires;     /* what the scenario needs of whoever plays
				  it (requires:, engine/load/capability.c) */
	char *capture_if;      /* a device under test: capture its traffic
				  on this interface (testbed), or NULL */
	struct sa decl;        /* address: as declared, or unset */
	enum sip_transp decl_tp; /* … and its transport */
	struct sa addr;        /* bound address (set by scenario_bind) */
	bool auto_addr;        /* addr came from the address pool, not
				  from the scenario or the testbed */
	int listen_err;        /* run_alloc: why it could not listen on
				  addr (an errno), else 0 */
	enum sip_transp tp;    /* transport: UDP, TCP or TLS */
	struct tls_cfg *tls;   /* TLS settings (testbed), or NULL */
	char *reg_with;        /* testbed register: the registrar role's
				  name, or NULL (engine/load/prologue.c) */
	uint32_t reg_timeout_ms; /* … register: {timeout:}: how long a
				  device's REGISTER may take, 0: the
				  step default */
	bool reset_between;    /* testbed reset: {between: true}: the
				  device is reset before each flow but
				  the first (engine/load/prologue.c) */
	bool reset_after_failure; /* … {after-failure: true}: before a
				  flow that follows a failed one */
	uint32_t reset_timeout_ms; /* … {timeout:}: how long it may take
				  to be back, 0: the driver's default */
	bool no_retransmit;    /* retransmit: false — send each once */
	unsigned idx;          /* 0-based declaration index */
	struct srcpos pos;     /* where it is declared */
};

enum step_type {
	STEP_MSG = 0, /* a SIP message: "F3: 180 Ringing B -> P" */
	STEP_WAIT,    /* "wait: 1s" */
	STEP_GROUP,   /* "any-order: [steps…]" */
	STEP_DO,      /* "do: B answer" — stimulate a phone or a device */
	STEP_MEDIA,   /* "media: {between: [A, B], expect: two-way}" */
	STEP_EVENT,   /* "event: {from: A, name: incoming_call}" — what a
			 device's driver reports (engine/run/run_event.c) */
};

/** do: verbs, one row each in engine/model/doverb.c */
enum do_verb {
	DO_DIAL = 0, DO_ANSWER, DO_REJECT, DO_HANGUP, DO_HOLD, DO_RESUME,
	DO_TRANSFER, DO_DTMF, DO_PLAY, DO_SET, DO_REGISTER, DO_UNREGISTER,
	DO_CONFERENCE, DO_RESET, DO_PROVISION,
	DO_NVERBS
};

/** do: one stimulus */
struct do_spec {
	struct role *actor;       /* who acts */
	enum do_verb verb;
	struct role *target;      /* dial:/transfer: a role */
	uint16_t scode;           /* reject: a status code */
	bool attended;            /* transfer: {to: C, attended: true} */
	char *text;               /* dtmf: digits; play: a file */
	struct phone_cfg set;     /* set: {…} */
};

/** media: what a listener must hear */
enum media_expect {
	MEDIA_AUDIO = 0,   /* the listener hears the talker */
	MEDIA_TWO_WAY,     /* between: each hears the other */
	MEDIA_TONE,        /* a tone at tone_hz */
	MEDIA_DTMF,        /* these digits */
	MEDIA_SILENCE,     /* nothing audible */
};

struct media_spec {
	struct role *from;        /* the talker (between: the first) */
	struct role *to;          /* the listener (between: the second) */
	bool between;             /* both directions */
	enum media_expect expect;
	uint32_t tone_hz;
	char *dtmf;
	uint32_t for_ms;          /* how long to listen */
	double max_loss;          /* 0..1; < 0: no bound */
	uint32_t max_jitter_ms;   /* 0: no bound */
	double min_mos;           /* 0: no bound */
};

/** headers: one entry; value NULL removes the header from the default */
struct hdr_spec {
	struct le le;
	char *name;
	char *value;           /* may hold {placeholders}; NULL = remove */
	struct srcpos pos;
};

enum expect_op {
	EXPECT_EQUAL = 0, /* "value" or "=value": some value equals (exact) */
	EXPECT_REGEX,     /* "~regex": some value matches (POSIX ERE) */
	EXPECT_ABSENT,    /* "absent": the header is not in the message */
	EXPECT_PRESENT,   /* "present": the header is in the message */
};

/** expect: one assertion on a received message */
struct expect {
	struct le le;
	char *name;            /* header name, or NULL for the body */
	enum expect_op op;
	char *value;           /* EQUAL: text; REGEX: source (without ~) */
	regex_t re;            /* compiled when op == EXPECT_REGEX */
	bool re_ok;            /* re needs regfree */
	bool refs;             /* value names {B.host}, {F2.to-tag} …:
				  resolved (and re compiled) when checked */
	struct srcpos pos;
};

/** sdp: what a scripted role puts in its SDP */
struct sdp_spec {
	bool set;              /* the step has an sdp: key */
	bool off;              /* sdp: false — no SDP body */
	struct list codecs;    /* struct strle: "PCMU", "PCMA", … */
	char *direction;       /* sendrecv, sendonly, recvonly, inactive */
	struct sa addr;        /* address: the media's connection address
				* (unset: the role's) */
	struct crypto_spec crypto; /* crypto: what a=crypto it writes */
};

/** What a received request's credentials must be: expect: {auth: …} */
enum auth_expect {
	AUTH_AUTO = 0, /* valid, when the receiver challenged the last
			  request of this method from the sender */
	AUTH_VALID,    /* present, and they check */
	AUTH_INVALID,  /* present, and they do not (a negative flow) */
	AUTH_ABSENT,   /* none */
	AUTH_ANY,      /* not checked */
};

/** Digest on a step (engine/sip/digest.c, engine/check/authcheck.c) */
struct auth_spec {
	bool off;              /* auth: false — answer no challenge */
	char *user, *pass;     /* auth: {user, password}: instead of the
				  role's credentials; never printed */
	int algo;              /* challenge: {algorithm}: enum digest_algo */
	bool noqop;            /* challenge: {qop: none} */
	char *realm;           /* challenge: {realm}: instead of the domain */
	enum auth_expect expect;
};

/** a string in a list */
struct strle {
	struct le le;
	char *str;
	struct srcpos pos;
};

/** status: lists at most this many codes */
enum { STEP_NALT = 8 };

/** event: what a device must report through its driver */
struct event_spec {
	struct role *from;        /* the device */
	char *name;               /* its driver's event name */
};

/** One step of the flow */
struct step {
	struct le le;          /* in scenario.steps or in group.members */
	enum step_type type;
	char *id;              /* "F5"; for wait/group: "wait@L12" */
	unsigned idx;          /* 0..scenario.nsteps-1, flat, in file order */
	struct srcpos pos;     /* where the step starts */
	char *file;            /* an included step: the block file pos is
				  in (else NULL: the scenario's file) */
	char *incl;            /* " (included from …)", or NULL */
	struct step *group;    /* the any-order group it is in, or NULL */

	/* STEP_MSG */
	bool req;              /* request (method) or response (scode) */
	char *method;          /* request: "INVITE"; response: NULL */
	uint16_t scode;        /* response: 100..699 */
	char *reason;          /* response: phrase as written, or standard */
	uint16_t alt[STEP_NALT]; /* status: the codes a received response
				  may have (scode among them), in the
				  order written; 2..6 a class (4: 4xx) */
	unsigned nalt;         /* 0: no status: key, scode alone */
	struct role *from;     /* sender */
	struct role *to;       /* receiver */
	char *to_user;         /* to-user: a role name or a literal user */
	struct role *to_role;  /* to-user resolved to a role, or NULL */
	struct list headers;   /* struct hdr_spec */
	char *body;            /* body: text (placeholders), or NULL */
	char *raw;             /* raw: the whole message text, or NULL */
	struct sdp_spec sdp;
	struct crypto_spec expect_crypto; /* expect: {sdp: {crypto: …}} */
	struct list expects;   /* struct expect */
	bool optional;
	uint32_t within_ms;    /* 0 = no bound */
	uint32_t timeout_ms;   /* 0 = scenario/engine default */
	struct step *answers;  /* answers: Fn (a request step), or NULL */
	struct step *assoc;    /* response: the request step it answers
				  (answers:, else implicit;
				  engine/load/assoc.c) */
	struct step *forwards; /* forwards: Fn (a request step), or NULL */
	char *dialog;          /* dialog: name, or NULL */
	bool no_retransmit;    /* retransmit: false — send it once */
	uint32_t lose;         /* drop: / lose: N — the first N copies
				  leave the sender but are not delivered */
	struct step *rtx_of;   /* retransmission-of: Fn — this step is a
				  retransmission of that step's message */
	bool setup;            /* added by the testbed before the flow
				  (register:), not written in the file */
	bool absent;           /* absent: true — with retransmission-of:, no
				* copy may come while the step waits */
	struct auth_spec auth; /* auth:, challenge:, expect: {auth: …} */

	/* STEP_WAIT */
	uint32_t wait_ms;

	/* STEP_GROUP */
	struct list members;   /* struct step */

	/* STEP_DO, STEP_MEDIA, STEP_EVENT (within_ms bounds it too) */
	struct do_spec act;
	struct media_spec media;
	struct event_spec ev;
};

/** One call flow, as loaded from one file */
struct scenario {
	struct le le;          /* in a suite's list */
	char *file;            /* path as given */
	char *name;            /* scenario: key; default: file name stem */
	struct srcpos name_pos;/* where scenario: names it; line 0: the
				  name is the file's */
	char *title;
	char *source;
	struct list tags;      /* struct strle */
	struct list roles;     /* struct role */
	struct list steps;     /* struct step, top level */
	unsigned nsteps;       /* all steps, group members included */
	uint32_t timeout_ms;   /* timeout: per-step default, 0 = engine's */
	struct list rules_off; /* rules: disable: [ids] (struct strle) */
	struct list rules_warn;/* rules: severity: {id: warning} */
	struct list rules_err; /* rules: severity: {id: error} */
	char *rules_reason;    /* rules: reason: why they are tuned */
	struct sip_timers timers; /* timers: {T1, T2, T4} */
	bool no_retransmit;    /* retransmit: false — for every role */
	bool follows;          /* played after another flow of the same
				  suite slot (a device reset between) */
	bool follows_failure;  /* … and that flow failed */
};

/** --var NAME=VALUE: overrides the flow's vars: entry NAME */
struct var_arg {
	struct le le;
	char *name;
	char *value;
	unsigned used;         /* flows whose vars: it overrode */
};

int strle_add(struct list *l, const struct pl *pl, const struct srcpos *pos,
	      bool front);
int var_arg_add(struct list *l, const char *arg);
int scenario_load_vars(struct scenario **scp, const char *file,
		       const char *text, const struct list *vars,
		       struct diag *dg);
int scenario_load(struct scenario **scp, const char *file, struct diag *dg);
int scenario_load_str(struct scenario **scp, const char *name,
		      const char *text, struct diag *dg);
struct role *scenario_role(const struct scenario *sc, const char *name);
struct step *scenario_step(const struct scenario *sc, const char *id);
struct step *scenario_step_at(const struct scenario *sc, unsigned idx);
const char *step_file(const struct scenario *sc, const struct step *st);
struct step *step_alloc(enum step_type type);
void phone_cfg_defaults(struct phone_cfg *c);
const char *step_from(const struct step *st);
const char *sip_reason_std(uint16_t scode);
const char *role_kind_name(enum role_kind k);
int  role_kind_parse(enum role_kind *k, const char *s, size_t l);
const char *const *role_kind_names(size_t *n);
int  role_kinds_print(struct re_printf *pf, void *arg);

/** A step with a verdict of its own: a message, a stimulus, a media
 *  check (waits and groups only pace the others) */
static inline bool step_is_check(const struct step *st)
{
	return st->type == STEP_MSG || st->type == STEP_DO ||
	       st->type == STEP_MEDIA || st->type == STEP_EVENT;
}

/** The role decides what it sends (a phone or a device under test): its
 *  steps are expected and checked, never built by the engine */
static inline bool role_acts(const struct role *r)
{
	return r->dut || r->kind == ROLE_PHONE;
}
int step_print(struct re_printf *pf, const struct step *st);
bool status_alt_takes(uint16_t alt, uint16_t scode);
uint16_t status_alt_code(uint16_t alt);
bool step_accepts(const struct step *st, uint16_t scode);
int media_print(struct re_printf *pf, const struct media_spec *m);

#endif
