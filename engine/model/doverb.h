/* engine/model/doverb.h — the do: vocabulary: one row per verb, shared by the
 * loader (what a verb takes), the phone agent and the device drivers */
#ifndef SIPFLOW_DOVERB_H
#define SIPFLOW_DOVERB_H

/** What a verb takes after it */
enum do_arg {
	DO_ARG_NONE = 0,    /* answer, hangup, hold, resume */
	DO_ARG_ROLE,        /* dial: C */
	DO_ARG_SCODE,       /* reject: 486 (default 486) */
	DO_ARG_DIGITS,      /* dtmf: "123#" */
	DO_ARG_FILE,        /* play: file.wav */
	DO_ARG_TRANSFER,    /* transfer: C or {to: C, attended: true} */
	DO_ARG_SET,         /* set: {busy: true, …} */
};

struct do_verb_def {
	enum do_verb verb;
	const char *name;
	enum do_arg arg;
	const char *usage;   /* one line for errors and docs */
};

const struct do_verb_def *doverb_find(const char *name, size_t len);
const struct do_verb_def *doverb_def(enum do_verb verb);
const struct do_verb_def *doverb_table(size_t *n);
int doverb_print(struct re_printf *pf, const struct do_spec *d);

/** One phone setting of a set (bit: PHONE_CFG_*), for messages and
 *  drivers: "busy: true", "forward-busy: C" (or the target's uri) */
struct do_setting {
	const struct phone_cfg *cfg;
	unsigned bit;
	const char *uri;     /* forward-*: the target's URI, or NULL */
};

const char *const *doverb_settings(size_t *n);
const char *doverb_setting_name(unsigned bit);
int doverb_setting_value(struct re_printf *pf, const struct do_setting *s);
int doverb_setting_print(struct re_printf *pf, const struct do_setting *s);

#endif
