/* engine/check/rules.h — conformance rules checked on every received
 * message */
#ifndef SIPFLOW_RULES_H
#define SIPFLOW_RULES_H

struct ledger;
struct msgrec;
struct rulememo;
struct role;
struct scenario;
struct step;

enum rule_sev {
	RULE_ERROR = 0,   /* the RFC says MUST / MUST NOT: fails the step
			     whose message broke it */
	RULE_WARNING,     /* SHOULD / SHOULD NOT / RECOMMENDED: reported;
			     fails the step only under run --strict */
	RULE_OFF,         /* disabled by the scenario */
};

/** What a rule may look at */
struct rulectx {
	const struct msgrec *r;     /* the message */
	const struct sip_msg *m;    /* r->msg, never NULL */
	const struct msgrec *req;   /* a response: the request it answers */
	const struct msgrec *ant;   /* a forwarded request: the one received */
	const struct ledger *rcv;   /* the receiving role's ledger */
	struct rulememo *memo;      /* rules_check's own (callers leave it
				       NULL): what the checks read once */
};

/**
 * A check: true if the message breaks the rule; *bad may be set to the
 * offending header as received (allocated with re_sdprintf).
 */
typedef bool (rule_check_h)(const struct rulectx *c, char **bad);

struct rule {
	const char *id;
	const char *rfc;
	enum rule_sev sev;
	rule_check_h *check;
	const char *text;
};

/** One broken rule */
struct finding {
	struct le le;
	const struct rule *rule;
	enum rule_sev sev;          /* after the scenario's tuning */
	bool strict;                /* found under run --strict: a warning
				       fails the step too */
	uint32_t frame;
	char *step;                 /* the step's id, or NULL */
	char *bad;                  /* the offending header as received */
};

const struct rule *rules_table(size_t *n);
const struct rule *rule_find(const char *id);
enum rule_sev rule_severity(const struct rule *ru, const struct scenario *sc);
int  rules_check(struct list *findings, const struct rulectx *c,
		 const struct scenario *sc, const struct step *st,
		 bool strict);
bool finding_fails(const struct finding *f);
int  finding_print(struct re_printf *pf, const struct finding *f);

#endif
