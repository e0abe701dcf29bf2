/* engine/cli/torture.h — sipflow torture: seeded mutations of what a
 * scenario sends a device, a liveness check every K of them, and the
 * message that killed it (cli_torture.c the command, torture_tmpl.c what
 * is mutated, torture.c the play, torture_repro.c the reproducer) */
#ifndef SIPFLOW_TORTURE_H
#define SIPFLOW_TORTURE_H

#include "mutate.h"

struct report_scn;
struct role;
struct scenario;

/** A message the scenario's simulated roles sent the device: what is
 *  mutated */
struct tort_tmpl {
	struct le le;
	struct mbuf *mb;           /* its bytes, as sent */
	struct role *from;         /* the simulated role that sent it */
	char *callid, *branch, *tag; /* its values, renewed per mutation
					(or NULL) */
	char *totag;               /* the To tag the device gave, made
				      fixed (or NULL) */
};

/** One mutation sent */
struct tort_sent {
	struct le le;
	uint64_t n;                /* its number, from 0 */
	const struct tort_tmpl *t;
	struct mutation m;
	uint32_t frame;            /* its (first) frame in the pcap */
	uint32_t rframe;           /* … when replayed alone, or 0 */
};

struct tort_opts {
	uint64_t seed;
	unsigned count;            /* mutations to send */
	unsigned every;            /* a liveness check after every K */
	uint32_t gap_ms;           /* between two mutations */
	uint32_t live_ms;          /* a liveness check's wait */
	uint32_t revive_ms;        /* how long a dead device may take to
				      come back (restarted or not) */
	const char *restart;       /* shell command restarting it, or NULL */
	const char *pcap;          /* where the capture goes */
	bool pcapng;
	unsigned progress;         /* a line every so many mutations, 0:
				      none */
};

/** What a torture found */
struct tort_result {
	bool judged;               /* the device answered before any
				      mutation */
	unsigned sent;             /* mutations sent */
	unsigned bykind[MUT_NKINDS];
	unsigned checks;           /* liveness checks it passed */
	unsigned answers;          /* responses to mutations */
	bool died;
	bool interrupted;
	bool revived;              /* it answered again after dying */
	uint16_t live_status;      /* what it answered the first check */
	struct list last;          /* died: the mutations since the last
				      check it passed (struct tort_sent) */
	const struct tort_sent *killer; /* replayed one by one, the one
					   after which it died, or NULL */
	uint64_t ms;
};

int  tort_tmpls_read(struct list *tmpls, const char *pcap,
		     struct scenario *sc, const struct role *dut,
		     char **why);
void tort_ids(char *callid, char *branch, char *tag, size_t sz,
	      uint64_t seed, uint64_t n);
int  tort_renew(struct mbuf **mbp, const struct tort_tmpl *t,
		uint64_t seed, uint64_t n);
int  torture_play(struct tort_result *res, struct scenario *sc,
		  struct role *dut, struct list *tmpls,
		  const struct tort_opts *o, struct report_scn *rs);
void tort_result_reset(struct tort_result *res);
int  torture_repro(const char *path, const struct scenario *sc,
		   const struct role *dut, const struct tort_result *res,
		   const struct tort_opts *o);

#endif
