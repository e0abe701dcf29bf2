/* agents/phone.h — the phone agent: an autonomous reference handset on
 * libre (sipsess for calls, sipevent for REFER/NOTIFY) with an audio path
 * (agents/media/mstream.h). The step table is checked against what it
 * does; do: steps stimulate it. */
#ifndef SIPFLOW_PHONE_H
#define SIPFLOW_PHONE_H

struct phone;
struct mstream;

/** A line for the run's log: what the phone did and why */
typedef void (phone_log_h)(struct phone *ph, const char *line, void *arg);

/** What the phone reports to the run */
struct phone_handlers {
	/* every SIP message it sends (tx) or receives, as on the wire */
	void (*sigh)(bool tx, const struct sa *src, const struct sa *dst,
		     const uint8_t *pkt, size_t len, void *arg);
	/* every RTP/RTCP datagram it sends or receives */
	void (*mediah)(bool tx, const struct sa *src, const struct sa *dst,
		       const uint8_t *pkt, size_t len, void *arg);
	phone_log_h *logh;
	void *arg;
};

int  phone_alloc(struct phone **php, const struct role *role,
		 const struct scenario *sc, const struct phone_handlers *h);
int  phone_do(struct phone *ph, const struct do_spec *d, char **why);
struct mstream *phone_stream(const struct phone *ph);
uint32_t phone_tone_hz(const struct phone *ph);
const char *phone_dtmf(const struct phone *ph);
int  phone_record_to(struct phone *ph, const char *prefix);
int  phone_record_err(const struct phone *ph, const char **pathp);
bool phone_ready(const struct phone *ph);
void phone_close(struct phone *ph);

#endif
