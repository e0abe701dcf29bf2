/* agents/sipframe.h — SIP messages cut out of a byte stream (TCP, TLS) */
#ifndef SIPFLOW_SIPFRAME_H
#define SIPFLOW_SIPFRAME_H

struct sipframe;

/** One whole message: start line, headers, Content-Length bytes of body */
typedef void (sipframe_msg_h)(const uint8_t *p, size_t len, void *arg);

enum { SIPFRAME_MAX = 65536 };  /* a message, headers and body */

int sipframe_alloc(struct sipframe **fp, size_t max);
int sipframe_feed(struct sipframe *f, const uint8_t *p, size_t n,
		  sipframe_msg_h *msgh, void *arg, const char **why);
size_t sipframe_pending(const struct sipframe *f, const uint8_t **p);
int sipframe_held_print(struct re_printf *pf, const struct sipframe *f);

#endif
