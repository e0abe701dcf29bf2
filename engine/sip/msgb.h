/* engine/sip/msgb.h — build a SIP message as start line, headers and body */
#ifndef SIPFLOW_MSGB_H
#define SIPFLOW_MSGB_H

/** A message under construction: headers stay editable until encoded */
struct msgb {
	char *start;           /* "INVITE sip:bob@x SIP/2.0" */
	struct list hdrs;      /* struct msgb_hdr, in order */
	struct mbuf *body;     /* may be NULL */
};

struct msgb_hdr {
	struct le le;
	char *name;
	char *value;
};

int  msgb_alloc(struct msgb **mbp);
int  msgb_start(struct msgb *b, const char *fmt, ...);
int  msgb_add(struct msgb *b, const char *name, const char *fmt, ...);
int  msgb_add_first(struct msgb *b, const char *name, const char *fmt, ...);
int  msgb_addpl(struct msgb *b, const struct pl *name, const struct pl *val);
int  msgb_set(struct msgb *b, const char *name, const char *value);
void msgb_remove(struct msgb *b, const char *name);
struct msgb_hdr *msgb_find(const struct msgb *b, const char *name);
int  msgb_body(struct msgb *b, const char *ctype, const uint8_t *p,
	       size_t len);
int  msgb_encode(struct mbuf **mbp, const struct msgb *b);

#endif
