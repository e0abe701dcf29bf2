/* agents/hil/hil_priv.h — what the drivers share with the core (hil.c):
 * the driver row, the handle, and how a driver reports back */
#ifndef SIPFLOW_HIL_PRIV_H
#define SIPFLOW_HIL_PRIV_H

#include "hil.h"

/** One driver kind: a row of the table in hil.c */
struct hil_driver {
	const char *type;
	const char *const *keys;    /* the driver: keys it takes */
	size_t nkeys;
	const char *required;       /* a key it cannot do without, or NULL */
	uint32_t timeout_ms;        /* default bound on one action */
	const char *const *events;  /* the event names it reports */
	size_t nevents;
	/* NULL when this cfg lets it report events, else why not */
	const char *(*events_check)(const struct hil_cfg *cfg);

	/* NULL when the driver can do d (for this cfg), else why not */
	const char *(*check)(const struct hil_cfg *cfg,
			     const struct do_spec *d);
	/* connect, listen, …: h->st is the driver's state */
	int (*open)(struct hil *h);
	/* start the action; report its end with hil_done() */
	int (*act)(struct hil *h, const struct do_spec *d, const char *uri);
	/* a person listens at the device for a media window: ask (NULL:
	 * nobody can), and what they said when it closes (HEARD_*) */
	int (*listen)(const struct hil *h);
	int (*heard)(const struct hil *h, int *said, char **words);
	/* where it reaches the device, for messages */
	int (*where)(struct re_printf *pf, const struct hil *h);
};

struct hil {
	const struct hil_cfg *cfg;  /* referenced */
	char *role;
	hil_note_h *noteh;
	void *arg;
	void *st;                   /* the driver's own state */
	bool ready;                 /* the device can be acted on */
	char *lost;                 /* why the driver is gone, or NULL */
	hil_event_h *evh;           /* the device's events go here (arg) */
	const char *aor;            /* the role's sip:user@domain (borrowed) */
	const char *sip_user;       /* the role's testbed auth: (borrowed) */
	const char *sip_pass;       /* never printed */

	/* the action in progress */
	struct tmr tmr;
	hil_done_h *doneh;
	void *done_arg;
	enum do_verb verb;          /* … its verb */
	uint32_t bound_ms;          /* … how long it may take */
	char *waiting;              /* … what the driver waits for now
				       (hil_waiting), or NULL */
	uint64_t sent;              /* tmr_jiffies() when its stimulus left
				       (hil_sent), 0 before */
	int err;                    /* its end, reported from the loop */
	char *why;
};

void hil_sent(struct hil *h);
void hil_done(struct hil *h, int err, const char *fmt, ...);
void hil_note(struct hil *h, const char *fmt, ...);
void hil_waiting(struct hil *h, const char *fmt, ...);
void hil_lost(struct hil *h, const char *fmt, ...);
void hil_set_ready(struct hil *h);
void hil_event(struct hil *h, const char *name, const char *detail);
uint32_t hil_timeout(const struct hil_cfg *cfg);
/** A piece of what a device sent, for hil_print_text */
struct hil_text {
	const char *p;
	size_t n;
};

int  hil_print_text(struct re_printf *pf, const struct hil_text *t);
int  hil_subst(char **out, const char *tmpl, const struct hil *h,
	       const struct do_spec *d, const char *uri, bool quote);

/* a shell command for a driver (hil_cmd.c) */
struct hil_cmd;
typedef void (hil_cmd_h)(int err, const char *why, void *arg);
int  hil_cmd_start(struct hil_cmd **xp, const char *line, hil_cmd_h *endh,
		   void *arg);

/* a device's configuration for a flow (hil_provision.c) */
const char *hil_prov_check(const struct role *r);
int  hil_prov_baresip(struct hil *h, const struct role *r, char **why);

/* the drivers (one file each) */
extern const struct hil_driver hil_baresip;
extern const struct hil_driver hil_yealink;
extern const struct hil_driver hil_exec;
extern const struct hil_driver hil_manual;

#endif
