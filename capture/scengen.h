/* capture/scengen.h — a scenario written from a capture: roles guessed by
 * address, one step per message, any-order groups where the capture's
 * order is not causal (docs/capture-to-scenario.md) */
#ifndef SIPFLOW_SCENGEN_H
#define SIPFLOW_SCENGEN_H

/** What the guesses read of one message (the unit tests fill these) */
struct scengen_msg {
	uint32_t src, dst;       /* endpoint indexes */
	bool req;
	const char *met;         /* a request's method, a response's CSeq's */
	uint16_t scode;          /* a response's status */
	uint32_t call;           /* Call-ID index, in order of first sight */
	uint32_t cseq;
	uint32_t nvia;           /* Via values */
	uint32_t nrr;            /* Record-Route values */
	uint32_t t_ms;           /* when, in ms since the capture's first */
	bool initial;            /* a request outside a dialog (no To tag) */
};

/* a B2BUA's new INVITE on its other leg follows the one it received by
 * at most this long */
enum { SCENGEN_B2BUA_MS = 1000 };

enum { SCENGEN_NAME = 8 };

/** A role guessed for an endpoint */
struct scengen_role {
	char name[SCENGEN_NAME]; /* A, B, C…, P or P1, P2… */
	bool proxy;              /* relays, registers or challenges */
	bool rr;                 /* adds Record-Route when it relays */
	bool b2bua;              /* calls on when called: a new Call-ID */
	bool given;              /* named by --roles */
	const char *why;         /* "sends the first INVITE", "relays" … */
};

/** A role named on the command line: NAME=HOST[:PORT] */
struct scengen_given {
	const char *name;
	struct sa addr;
	bool port;               /* a port was given (else any port) */
};

struct scengen_opts {
	uint32_t call;           /* 1-based; 0: every call */
	const struct scengen_given *roles;
	size_t nroles;
};

int  scengen_roles(struct scengen_role *rv, size_t nep,
		   const struct scengen_msg *mv, size_t n);
bool scengen_causal(const struct scengen_msg *a,
		    const struct scengen_msg *b);
void scengen_groups(uint32_t *first, const struct scengen_msg *mv,
		    const bool *brk, size_t n);
int  scengen_write(struct re_printf *pf, const char *path,
		   const struct scengen_opts *o, char **why);

#endif
