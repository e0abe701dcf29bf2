/* agents/hil/hil_baresip.h — what the baresip driver's files share: its
 * state, and one command sent over its control socket */
#ifndef SIPFLOW_HIL_BARESIP_H
#define SIPFLOW_HIL_BARESIP_H

struct bsip;

/** The answer to a command, when its sender wants to go on (b->then) */
typedef void (bsip_then_h)(struct bsip *b, bool ok, const char *data);

/** Where a reset is (hil_baresip_reset.c) */
enum bsip_rs {
	BSIP_RS_NONE = 0,
	BSIP_RS_QUIT,            /* quit sent, the connection still open */
	BSIP_RS_START,           /* the start: command running */
	BSIP_RS_CONNECT,         /* connecting until its socket answers */
};

struct bsip {
	struct hil *h;
	struct tcp_conn *tc;
	struct sa addr;
	struct mbuf *rx;         /* what came in, not yet a whole netstring */
	uint32_t token;          /* of the command in progress */
	const char *cmd;         /* its name, for messages */
	bsip_then_h *then;       /* its answer goes here, not to hil_done */
	enum bsip_rs rs;         /* a reset under way */
	struct hil_cmd *cmd_run; /* its start: command, while it runs */
	struct tmr retry;        /* its next connection attempt */
};

int bsip_send(struct bsip *b, const char *cmd, const char *params);
int bsip_connect(struct bsip *b);

/* hil_baresip_reset.c: reset */
const char *bsip_reset_check(const struct hil_cfg *cfg);
int  bsip_reset_act(struct bsip *b);
void bsip_reset_closed(struct bsip *b, int err);
void bsip_reset_back(struct bsip *b);
int  bsip_provision_act(struct bsip *b, const struct role *r);

/* hil_baresip_reg.c: register, unregister */
const char *bsip_reg_check(const struct hil_cfg *cfg, bool reg);
int bsip_reg_act(struct bsip *b, bool reg);

#endif
