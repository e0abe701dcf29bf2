/* agents/phone_priv.h — the phone agent's parts, shared by phone.c (the
 * SIP stack, incoming calls), phone_call.c (a call: session, SDP, media,
 * transfer) and phone_do.c (the do: verbs) */
#ifndef SIPFLOW_PHONE_PRIV_H
#define SIPFLOW_PHONE_PRIV_H

#include "media/mstream.h"

enum pcall_state {
	PCALL_RINGING_IN = 0,  /* incoming, 180 sent, not answered */
	PCALL_CALLING,         /* outgoing, no final response yet */
	PCALL_ESTABLISHED,
	PCALL_CLOSED,
};

struct phone {
	const struct role *role;
	const struct scenario *sc;
	struct phone_cfg cfg;         /* settings now (role keys, set:) */
	struct phone_handlers h;
	struct sip *sip;
	struct sipsess_sock *sock;
	struct sipevent_sock *evsock;
	struct list calls;            /* struct pcall, oldest first */
	char *aor;                    /* sip:alice@example.test */
	char *route;                  /* sip:HOST:PORT (libre adds ;lr) */
	char *wav;                    /* play: the file it sends, or NULL */
	char *rec_prefix;             /* record: OUT/SCENARIO, or NULL */
	int rec_err;                  /* a call's recording that failed */
	char *rec_err_path;           /* … its file */
	struct sipreg *reg;           /* register: its registration */
	bool reg_auth_sent;           /* … answered a challenge, no 2xx yet */
	struct sip_lsnr *prime_lsnr;  /* phone_wire.c: claims the priming */
	struct udp_sock *prime_us;    /* … and sends it */
	struct sa prime_addr;
	char *prime_callid;
	struct udp_helper *uh;        /* on libre's socket: what it drops */
	bool ready;
	struct mimpair *sipimp;       /* impair-sip: what the stack sends */
	struct udp_sock *sipsock;     /* libre's SIP socket (a reference) */
	unsigned ncalls;              /* calls so far (names recordings) */
	bool closing;
};

struct pcall {
	struct le le;
	struct phone *ph;
	struct sipsess *sess;
	struct sdp_session *sdp;
	struct sdp_media *sdpm;
	struct mstream *ms;
	enum pcall_state state;
	bool incoming;
	bool held;                    /* we put it on hold */
	char *peer;                   /* the far end's URI */
	char *callid, *ltag, *rtag;   /* the dialog, once established */
	char *replaces;               /* Replaces: value this call carries */
	char dtmf[128];               /* digits received, however they came */
	size_t ndtmf;
	size_t ms_dtmf;               /* the leg's digits already in dtmf */
	struct sipnot *not;           /* REFERed: progress to the referrer */
	struct sipsub *sub;           /* we REFERed: transferee's NOTIFYs */
	struct pcall *xfer_of;        /* made for a REFER on that call */
	bool xfer_hangup;             /* transferor: BYE on the final NOTIFY */
	struct mmix *conf;            /* in a conference mixed here, or NULL */
	struct tmr tmr_answer;
	struct tmr tmr_fwd;
	struct tmr tmr_giveup;        /* outgoing: cancel when unanswered */
	struct tmr tmr_close;
	struct pcall_srtp *srtp;      /* SRTP keys (phone_srtp.c), or NULL */
};

/* phone_srtp.c: SRTP with SDES keys (RFC 4568) */
const char *pcall_srtp_proto(const struct phone *ph);
int  pcall_srtp_offer(struct pcall *c);
int  pcall_srtp_remote(struct pcall *c, bool offer);
bool pcall_srtp_ready(const struct pcall *c);
int  pcall_srtp_keys(const struct pcall *c, const char **suite,
		     char **tx_b64, const char **rx_b64);

void phone_logf(struct phone *ph, const char *fmt, ...);
int  phone_wire_open(struct phone *ph);
void phone_wire_close(struct phone *ph);
bool phone_wire_priming(const struct phone *ph, const struct sa *src);

/** A role's impair: spec as the media leg's network takes it */
static inline struct mstream_impair phone_impair_prm(
	const struct impair_spec *imp)
{
	struct mstream_impair prm = {
		imp->loss, imp->jitter_ms, imp->reorder, imp->duplicate,
		imp->seed,
	};

	return prm;
}
int  phone_auth_h(char **user, char **pass, const char *realm, void *arg);
int  phone_register(struct phone *ph, bool on);
struct pcall *phone_call_find(const struct phone *ph, enum pcall_state s);
struct pcall *phone_call_current(const struct phone *ph);

int  pcall_alloc(struct pcall **cp, struct phone *ph, bool incoming);
int  pcall_dial(struct pcall *c, const char *uri);
int  pcall_incoming(struct pcall *c, const struct sip_msg *msg,
		    bool answer);
int  pcall_answer(struct pcall *c);
int  pcall_reject(struct pcall *c, uint16_t scode, const char *contact);
void pcall_hangup(struct pcall *c);
int  pcall_hold(struct pcall *c, bool hold);
int  pcall_conference(struct pcall *c, struct mmix *mix);
int  pcall_refer(struct pcall *c, const char *target,
		 const struct pcall *replace);
struct pcall *phone_call_by_dialog(const struct phone *ph,
				   const struct pl *callid,
				   const struct pl *ltag,
				   const struct pl *rtag);
int  pcall_media_source(struct pcall *c);
void pcall_media_update(struct pcall *c);
const char *pcall_dtmf(struct pcall *c);
void pcall_notify_xfer(struct pcall *c, uint16_t scode, const char *reason);

#endif
