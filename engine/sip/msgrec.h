/* engine/sip/msgrec.h — one SIP message observed in a run, and its
 * bookkeeping */
#ifndef SIPFLOW_MSGREC_H
#define SIPFLOW_MSGREC_H

struct role;
struct step;

/**
 * Every message a run sends or receives becomes one msgrec. It sits in the
 * run's list (all messages, in order), in its sender's tx list and its
 * receiver's rx list, and in the run's inbox until a step takes it.
 */
struct msgrec {
	struct le le;            /* run.msgs */
	struct le tx_le;         /* sender's ledger tx */
	struct le rx_le;         /* receiver's ledger rx */
	struct le in_le;         /* run inbox while unmatched */
	struct sip_msg *msg;     /* decoded, or NULL if it does not parse */
	struct mbuf *mb;         /* the bytes as sent or received */
	int decode_err;          /* why msg is NULL */
	char *malformed;         /* what is wrong with the bytes (a
				    sentence naming line, header and RFC
				    words), or NULL: they are SIP */
	const char *bad;         /* or why a stream could not be framed */
	enum sip_transp tp;      /* the transport it went over */
	uint64_t t_rx;           /* ms since start when it arrived */
	struct role *from;       /* sender role, NULL if not a role */
	struct role *to;         /* receiver role */
	struct sa src, dst;
	uint32_t frame;          /* pcap frame number, 1-based; 0 = none */
	uint64_t t_ms;           /* ms since the run started */
	const struct step *step; /* the step it was sent for or matched */
	bool retrans;            /* a retransmission, absorbed */
	struct msgrec *copy_of;  /* a scripted role's retransmission: the
				    record it repeats (run_rtx.c) */
	bool lost;               /* left the sender, never delivered (a
				    step's drop:/lose:) */
	uint32_t lose_left;      /* copies of it still to lose */
	bool teardown;           /* sent or received after the flow ended,
				    while the roles closed what it left
				    open (engine/run/run_teardown.c), or an
				    answer to an earlier scenario's
				    leftover: no step's */

	/* a request, as its receiver handles it (server transaction) */
	uint16_t answered;       /* final status the receiver sent, 0 none */
	bool forwarded;          /* a proxy receiver passed it on */
	char *ltag;              /* To tag the receiver answers with */

	/* a request, as its sender sees it (client transaction) */
	uint16_t final;          /* final status the sender got, 0 none */
	struct msgrec *final_rec; /* that final response */
	bool acked;              /* ACK for a non-2xx final was sent */

	struct msgrec *fwd_of;   /* proxy: the received message it forwards */
	char *dialog;            /* dialog: name from the step */
};

int msgrec_alloc(struct msgrec **recp, struct mbuf *mb);
const struct pl *msgrec_branch(const struct msgrec *r);
struct pl msgrec_body(const struct msgrec *r);
bool msgrec_has_sdp(const struct msgrec *r);
bool msgrec_starts_call(const struct msgrec *r);
int msgrec_print_line(struct re_printf *pf, const struct msgrec *r);
uint64_t msgrec_time(const struct msgrec *r);

#endif
