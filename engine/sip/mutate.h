/* engine/sip/mutate.h — seeded mutations of a SIP message (sipflow
 * torture): the same seed and number give the same bytes */
#ifndef SIPFLOW_MUTATE_H
#define SIPFLOW_MUTATE_H

/** What a mutation does to a message: one row each (mutate.c) */
enum mut_kind {
	MUT_DROP = 0,     /* a header line left out */
	MUT_DUP,          /* a header line sent twice */
	MUT_REORDER,      /* two header lines swapped */
	MUT_LONG,         /* a header value made overlong */
	MUT_CSEQ,         /* CSeq with a number that is not one */
	MUT_CLEN,         /* Content-Length that lies or is no number */
	MUT_MAXFWD,       /* Max-Forwards out of range or no number */
	MUT_UTF8,         /* invalid UTF-8 in a header value */
	MUT_CTRL,         /* a control byte in a line */
	MUT_TRUNC,        /* the message cut short */
	MUT_START,        /* a broken start line */
	MUT_HUGE,         /* a huge header, or hundreds of them */
	MUT_ENCODING,     /* compact forms, case, folding, bare LF, %-codes */
	MUT_SPLIT,        /* a stream only: the bytes in several segments */
	MUT_NKINDS,
};

enum { MUT_MAXSPLIT = 2 };

/** One mutated message */
struct mutation {
	enum mut_kind kind;
	struct mbuf *mb;                /* its bytes (owned) */
	size_t split[MUT_MAXSPLIT];     /* a stream: cut before these
					   offsets, ascending; 0: none */
	char what[112];                 /* what was done, printable ASCII */
};

const char *mut_kind_name(enum mut_kind k);
int  mutate(struct mutation *m, const uint8_t *p, size_t len,
	    uint64_t seed, uint64_t n, bool stream, size_t max);
void mutation_reset(struct mutation *m);

#endif
