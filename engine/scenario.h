/* engine/scenario.h — the scenario model (roles, steps) and its loader */
#ifndef SIPFLOW_SCENARIO_H
#define SIPFLOW_SCENARIO_H

#include <regex.h>

struct diag;

/** A place in a source file, 1-based as editors count */
struct srcpos {
	unsigned line;
	unsigned col;
};

/** What a role is in the scenario (how it behaves in the flow) */
enum role_kind {
	ROLE_UA = 0, /* scripted user agent */
	ROLE_PROXY,  /* scripted proxy (RFC 3261 §16 forwarding) */
	ROLE_PHONE,  /* autonomous phone agent (not yet built) */
	ROLE_DUT,    /* declared as a device under test in the scenario */
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
	struct sa decl;        /* address: as declared, or unset */
	struct sa addr;        /* bound address (set by scenario_bind) */
	enum sip_transp tp;    /* transport (UDP for now) */
	unsigned idx;          /* 0-based declaration index */
	struct srcpos pos;     /* where it is declared */
};

enum step_type {
	STEP_MSG = 0, /* a SIP message: "F3: 180 Ringing B -> P" */
	STEP_WAIT,    /* "wait: 1s" */
	STEP_GROUP,   /* "any-order: [steps…]" */
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
	struct srcpos pos;
};

/** sdp: what a scripted role puts in its SDP */
struct sdp_spec {
	bool set;              /* the step has an sdp: key */
	bool off;              /* sdp: false — no SDP body */
	struct list codecs;    /* struct strle: "PCMU", "PCMA", … */
	char *direction;       /* sendrecv, sendonly, recvonly, inactive */
};

/** a string in a list */
struct strle {
	struct le le;
	char *str;
	struct srcpos pos;
};

/** One step of the flow */
struct step {
	struct le le;          /* in scenario.steps or in group.members */
	enum step_type type;
	char *id;              /* "F5"; for wait/group: "wait@L12" */
	unsigned idx;          /* 0..scenario.nsteps-1, flat, in file order */
	struct srcpos pos;     /* where the step starts */
	struct step *group;    /* the any-order group it is in, or NULL */

	/* STEP_MSG */
	bool req;              /* request (method) or response (scode) */
	char *method;          /* request: "INVITE"; response: NULL */
	uint16_t scode;        /* response: 100..699 */
	char *reason;          /* response: phrase as written, or standard */
	struct role *from;     /* sender */
	struct role *to;       /* receiver */
	char *to_user;         /* to-user: a role name or a literal user */
	struct role *to_role;  /* to-user resolved to a role, or NULL */
	struct list headers;   /* struct hdr_spec */
	char *body;            /* body: text (placeholders), or NULL */
	char *raw;             /* raw: the whole message text, or NULL */
	struct sdp_spec sdp;
	struct list expects;   /* struct expect */
	bool optional;
	uint32_t within_ms;    /* 0 = no bound */
	uint32_t timeout_ms;   /* 0 = scenario/engine default */
	struct step *answers;  /* answers: Fn (a request step), or NULL */
	struct step *forwards; /* forwards: Fn (a request step), or NULL */
	char *dialog;          /* dialog: name, or NULL */

	/* STEP_WAIT */
	uint32_t wait_ms;

	/* STEP_GROUP */
	struct list members;   /* struct step */
};

/** One call flow, as loaded from one file */
struct scenario {
	struct le le;          /* in a suite's list */
	char *file;            /* path as given */
	char *name;            /* scenario: key; default: file name stem */
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
};

int strle_add(struct list *l, const struct pl *pl, const struct srcpos *pos,
	      bool front);
int scenario_load(struct scenario **scp, const char *file, struct diag *dg);
int scenario_load_str(struct scenario **scp, const char *name,
		      const char *text, struct diag *dg);
struct role *scenario_role(const struct scenario *sc, const char *name);
struct step *scenario_step(const struct scenario *sc, const char *id);
struct step *scenario_step_at(const struct scenario *sc, unsigned idx);
const char *sip_reason_std(uint16_t scode);
int step_print(struct re_printf *pf, const struct step *st);

#endif
