/* engine/sip/dialog.h — a scripted user agent's dialogs (RFC 3261 §12) */
#ifndef SIPFLOW_DIALOG_H
#define SIPFLOW_DIALOG_H

struct msgrec;
struct role;

struct dialog {
	struct le le;            /* ledger.dialogs */
	char *name;              /* dialog: name, may be NULL */
	char *callid;
	char *ltag;
	char *rtag;
	char *luri;              /* local From/To value, without tag */
	char *ruri;              /* remote From/To value, without tag */
	char *rtarget;           /* remote Contact URI (request target) */
	struct list route;       /* struct strle: route set, in use order */
	uint32_t lseq;           /* last local CSeq number */
	struct role *peer;       /* the role it was set up with (next hop) */
	bool uac;                /* we sent the INVITE */
	bool confirmed;          /* 2xx seen */
	bool terminated;         /* BYE seen */
	struct msgrec *offer;    /* last unanswered SDP offer received */
};

int  dialog_from_request(struct dialog **dlgp, struct list *dialogs,
			 const struct msgrec *req, const char *ltag,
			 struct role *peer);
int  dialog_from_response(struct dialog **dlgp, struct list *dialogs,
			  const struct msgrec *req,
			  const struct msgrec *resp, struct role *peer);
struct dialog *dialog_match(const struct list *dialogs,
			    const struct sip_msg *msg, bool uas_side);
struct dialog *dialog_pick(const struct list *dialogs, const char *name,
			   const struct role *peer);

#endif
