/* agents/hil/hil.h — hardware in the loop: a device under test driven
 * through a driver (baresip's control socket, a Yealink's Action URI, a
 * command per verb, a person at the terminal), one table of driver kinds
 * behind this small interface */
#ifndef SIPFLOW_HIL_H
#define SIPFLOW_HIL_H

#include "scenario.h"

struct hil;
struct hil_driver;

enum {
	HIL_KEYS_MAX = 4,      /* requests in one verb's key sequence */
	HIL_RESET_MS = 60000,  /* a reset's default bound */
};

/** A device's driver as the testbed sets it (driver: {type: …, …}) */
struct hil_cfg {
	const struct hil_driver *drv;
	char *control;            /* baresip: its ctrl_tcp host:port */
	char *start;              /* baresip: the shell command that starts
				     it again after a reset's quit */
	char *provision;          /* baresip: its config directory, where
				     the provision verb writes accounts */
	char *account;            /* baresip: its accounts line (register) */
	char *url;                /* yealink-http: http://phone[:port] */
	char *events;             /* yealink-http: host:port for Action URL */
	char *line;               /* yealink-http: the phone's own account
				     (ext@server), NULL: the role's AOR */
	char *keys[DO_NVERBS];    /* yealink-http: a verb's key sequence,
				     one Action URI request a line */
	char *user;               /* yealink-http: the phone's web login */
	char *pass;               /* never printed */
	char *cmd[DO_NVERBS];     /* exec: a shell command per verb */
	char *input;              /* manual: answers from this file (FIFO);
				     NULL: standard input */
	char *output;             /* manual: prompts to this file; NULL:
				     standard error */
	uint32_t timeout_ms;      /* how long an action may take */
	uint32_t reset_ms;        /* how long a reset may take until the
				     device is back (testbed reset:
				     {timeout:}), 0: HIL_RESET_MS */
	char *recording;          /* baresip, exec: the directory where the
				     device writes *-dec.wav of what it
				     hears (hil_record.c) */
};

/** The driver finished an action: err 0, or why it could not */
typedef void (hil_done_h)(int err, const char *why, void *arg);

/** A line about the device: an event it reported, or its driver's fate;
 *  lost: the driver can no longer reach the device */
typedef void (hil_note_h)(bool lost, const char *line, void *arg);

/** An event the device reported (name in its driver's vocabulary,
 *  hil_check_event), with what came with it (a peer's URI), or NULL */
typedef void (hil_event_h)(const char *name, const char *detail,
			   void *arg);

const struct hil_driver *hil_driver_find(const char *type);
const char *hil_driver_type(const struct hil_driver *drv);
int  hil_driver_types(struct re_printf *pf, void *unused);
const char *const *hil_driver_keys(const struct hil_driver *drv,
				   size_t *n, const char **required);

int  hil_cfg_alloc(struct hil_cfg **cfgp, const struct hil_driver *drv);
const char *hil_check(const struct hil_cfg *cfg, const struct do_spec *d);
const char *hil_check_event(const struct hil_cfg *cfg, const char *name);
int  hil_event_names(struct re_printf *pf, const struct hil_cfg *cfg);

int  hil_alloc(struct hil **hp, const struct hil_cfg *cfg,
	       const char *role, hil_note_h *noteh, void *arg);
void hil_set_auth(struct hil *h, const char *user, const char *pass);
void hil_set_event_h(struct hil *h, hil_event_h *evh);
void hil_set_line(struct hil *h, const char *aor);
bool hil_ready(const struct hil *h);
int  hil_act(struct hil *h, const struct do_spec *d, const char *uri,
	     hil_done_h *doneh, void *arg);
uint64_t hil_sent_at(const struct hil *h);
int  hil_print(struct re_printf *pf, const struct hil *h);

/* what the device heard, from its own recording (hil_record.c) */
const char *hil_recording(const struct hil *h);
int  hil_heard_mark(const struct hil *h, char *path, size_t sz,
		    uint64_t *size);
int  hil_heard_read(const struct hil *h, const char *mpath, uint64_t msize,
		    int16_t **pcmp, size_t *np, char **pathp, char **why);
int  hil_heard_word(const struct hil *h, int *said, char **words);

#endif
