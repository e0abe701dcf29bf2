/* engine/sip/retrans.h — RFC 3261 timers: which messages a scripted role
 * retransmits on an unreliable transport, and when */
#ifndef SIPFLOW_RETRANS_H
#define SIPFLOW_RETRANS_H

struct sip_msg;
struct sip_timers;

enum { T1_DEFAULT_MS = 500, T2_DEFAULT_MS = 4000, T4_DEFAULT_MS = 5000 };

/** What a sent message is retransmitted as (RFC 3261 §17, §13.3.1.4) */
enum rtx_kind {
	RTX_NONE = 0,   /* ACK, a provisional, a non-INVITE response */
	RTX_INVITE,     /* client INVITE: Timer A, Timer B */
	RTX_NONINVITE,  /* client non-INVITE: Timer E, Timer F */
	RTX_2XX,        /* a UAS's 2xx to INVITE, until the ACK */
	RTX_FINAL,      /* a server's 3xx-6xx to INVITE: Timer G, Timer H */
};

void sip_timers_resolve(struct sip_timers *t, const struct sip_timers *cli,
			const struct sip_timers *sc);
enum rtx_kind retrans_kind(const struct sip_msg *m, bool uas_core);
uint32_t retrans_next(enum rtx_kind k, uint32_t prev, bool proceeding,
		      const struct sip_timers *t);
uint32_t retrans_ival(enum rtx_kind k, unsigned n,
		      const struct sip_timers *t);
uint32_t retrans_limit(const struct sip_timers *t);
const char *retrans_timer_name(enum rtx_kind k);
int sip_timer_set(struct sip_timers *t, const char *name, const char *dur);
bool sip_timers_valid(const struct sip_timers *t);
void retrans_window(uint32_t exp, uint32_t *lo, uint32_t *hi);

#endif
