/* tests/unit/fixture.h — what several unit tests build: SIP messages from
 * their text, and files with a given text */
#ifndef SIPFLOW_FIXTURE_H
#define SIPFLOW_FIXTURE_H

#include "ledger.h"

struct sip_msg;
struct msgrec;
struct role;

/** an INVITE in compact forms with list headers (RFC 4475 §3.1.1.1
 *  style): v: and a Via of two, f:, t:, i:, m:, k: of two, two
 *  Record-Routes in one line, l: 0 */
extern const char fx_compact[];

/** a flow: A (alice) calls B (bob), F1 INVITE A -> B, F2 180 Ringing
 *  B -> A */
extern const char fx_call_flow[];

/** text decoded as a SIP message (a CUnit failure if it does not) */
struct sip_msg *fx_msg(const char *text);

/** a record of text, as a run keeps a message it sent or received */
struct msgrec *fx_rec(const char *text);

/** A SIP message from A (sip:a@x, From tag fa, at 127.0.0.10) to B
 *  (sip:b@x), or B's response: what fx_sip() writes, NULL/0 fields
 *  taking the defaults in brackets */
struct fx_sip {
	const char *method;    /* a request's method, or NULL */
	unsigned code;         /* a response's status */
	const char *branch;    /* after z9hG4bK in the top Via ["fx"] */
	unsigned cseq;         /* [1] */
	const char *met;       /* CSeq method [method, or INVITE] */
	const char *callid;    /* ["fx-1"] */
	const char *totag;     /* [none] */
	const char *ruri;      /* a request's [sip:b@127.0.0.11] */
	const char *extra;     /* header lines, each ending "\r\n" */
};

/** the record of a message spec s describes */
struct msgrec *fx_sip(const struct fx_sip *s);

/** A few roles' ledgers as a run holds them, and the records a test
 *  makes, freed together by fx_run_end() */
struct fx_run {
	struct ledger led[4];    /* one per role, in fx_run_init's order */
	unsigned nled;
	struct list ledgers;     /* led[], the run's set of ledgers */
	struct msgrec *recs[64];
	unsigned nrecs;
};

/** ledgers for the n roles (at most 4), linked into fr->ledgers */
void fx_run_init(struct fx_run *fr, struct role *const *roles, unsigned n);

/** the flow yaml loaded (a CUnit failure if it does not load), and a
 *  ledger in fr for each of its roles (at most 4) */
struct scenario *fx_run_flow(struct fx_run *fr, const char *yaml);

/** the ledger of role in fr (a CUnit failure if it has none) */
struct ledger *fx_led(struct fx_run *fr, const struct role *role);

/** a message s describes, from one role to another, kept in fr */
struct msgrec *fx_run_msg(struct fx_run *fr, const struct fx_sip *s,
			  struct role *from, struct role *to);

/** r goes over the wire as a run writes it: into its sender's tx
 *  (if fr has a ledger for it), then its receiver's rx, marked a
 *  retransmission if it repeats what the receiver got */
struct msgrec *fx_run_pass(struct fx_run *fr, struct msgrec *r);

/** the ledgers reset, the records freed */
void fx_run_end(struct fx_run *fr);

/** text in a new file under /tmp (its name ending in suffix) written to
 *  path; 0 or an errno */
int fx_file(char *path, size_t size, const char *suffix, const char *text);

#endif
