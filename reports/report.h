/* reports/report.h — what a suite run produced, kept for the reports */
#ifndef SIPFLOW_REPORT_H
#define SIPFLOW_REPORT_H

struct run;
struct scenario;

/** What a media: step measured in one direction (engine's media_fig) */
struct report_media {
	struct le le;
	char *from, *to;       /* talker (NULL: whoever sends), listener */
	bool measured;         /* false: a device under test listens */
	uint64_t start_ms, end_ms;
	uint32_t packets, expected, lost;
	double loss_pct, jitter_ms, level_dbov, mos;
	bool audio;
	uint32_t tone_hz;      /* expected, 0 none */
	double tone_share;
	uint32_t heard_hz;     /* the dominant frequency, 0 none */
	double heard_share;
	char *dtmf;            /* DTMF received, or NULL */
};

/** One step's verdict, as reports print it */
struct report_step {
	struct le le;
	char *id;
	char *type;            /* "message", "wait", "group" */
	char *what;            /* "INVITE", "180 Ringing", "wait 500 ms" */
	char *from, *to;       /* role names, NULL for wait/group */
	char *group;           /* the any-order group it is in, or NULL */
	char *status;          /* pass, fail, skip, notrun */
	uint32_t frame;
	uint64_t t_ms;
	bool sent;             /* the engine sent it */
	bool stimulus;         /* do: through a device's driver */
	bool absent;           /* absent: passes on no message (no frame) */
	bool setup;            /* added by the testbed (register:) */
	int64_t device_ms;     /* a device's reaction (or its driver's
				  acknowledgement), ms; -1 none */
	char *reason;
	struct list media;     /* struct report_media: a media: step's
				  figures, per direction */
};

/** One message of the capture, for the ladder */
struct report_msg {
	struct le le;
	uint32_t frame;
	uint64_t t_ms;
	char *from, *to;       /* role names, or addresses */
	char *line;            /* the start line */
	char *step;            /* the step it was for, or NULL */
	char *status;          /* that step's status, or NULL */
	char *text;            /* the whole message, valid UTF-8 */
	char *text_b64;        /* its bytes in base64 when text is not
				  them (NUL, not UTF-8), else NULL */
	uint32_t copy_of;      /* a retransmission: its original's frame,
				  else 0 */
	bool lost;             /* lost on purpose (drop:, lose:): written,
				  never delivered */
	bool teardown;         /* after the flow: closing what it left open
				  with a device, or a leftover's answer */
};

/** One broken conformance rule */
struct report_finding {
	struct le le;
	char *rule, *rfc, *severity, *text, *got, *step;
	uint32_t frame;
};

/** One role's column */
struct report_role {
	struct le le;
	char *name;
	char *kind;            /* ua, proxy, dut */
	char *addr;
};

/** One scenario's run */
struct report_scn {
	struct le le;
	unsigned order;        /* its place in the suite */
	char *name, *file, *title, *source;
	struct list tags;      /* struct report_role reused: name only */
	bool passed;
	bool capture;          /* a capture's ladder, not a run */
	char *skipped;         /* not played, and why ("P (kamailio) does
				  not offer forward-on-busy"), or NULL */
	uint64_t ms;
	char *pcap;
	unsigned npass, nfail, nskip, nnotrun;
	struct list roles;     /* struct report_role */
	struct list steps;     /* struct report_step */
	struct list msgs;      /* struct report_msg */
	struct list findings;  /* struct report_finding */
};

/** A suite run: what every report file is written from */
struct report {
	struct list scns;      /* struct report_scn, in run order */
	char *started;         /* ISO 8601, UTC */
	uint64_t ms;
	bool interrupted;
	unsigned notrun;       /* scenarios not reached (interrupted) */
	unsigned refused;      /* scenarios refused before they played
				  (could not be bound or started) */
};

int  report_alloc(struct report **rpp);
int  report_add_run(struct report *rp, const struct run *run,
		    const char *pcap, unsigned order);
void report_sort(struct report *rp);
int  report_add_skip(struct report *rp, const struct scenario *sc,
		     const char *why, unsigned order);
unsigned report_count(const struct report *rp, bool passed);
unsigned report_skipped(const struct report *rp);
int  report_write_json(const struct report *rp, const char *path);
int  report_write_junit(const struct report *rp, const char *path);
int  report_write_html(const struct report *rp, const char *path);
int  report_load_json(struct report *rp, const char *path);
int  report_scn_alloc(struct report_scn **sp, struct report *rp);
int  report_step_alloc(struct report_step **sp, struct report_scn *s);
int  report_media_alloc(struct report_media **mp, struct report_step *st);
int  report_msg_alloc(struct report_msg **mp, struct report_scn *s);
int  report_msg_bytes(struct report_msg *m, const uint8_t *p, size_t n);
int  report_str(char **out, const char *s);
int  report_finding_alloc(struct report_finding **fp,
			  struct report_scn *s);
int  report_role_add(struct list *l, const char *name, const char *kind,
		     const char *addr);
int  report_json_print(struct re_printf *pf, const struct report *rp);
int  report_srtp_put(struct odict *o, const struct report_scn *s);
int  report_json_odict(struct odict **odp, const struct report *rp);

#endif
