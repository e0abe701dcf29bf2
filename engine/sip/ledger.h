/* engine/sip/ledger.h — one role's ledger: what it received and sent, and
 * its dialogs */
#ifndef SIPFLOW_LEDGER_H
#define SIPFLOW_LEDGER_H

struct role;

/**
 * What one role received and sent, in order, and the dialogs it holds.
 * The agent playing the role embeds it; the run writes it as messages go
 * (track_sent, track_received) and links it into its set of ledgers,
 * which is what the checks (engine/check) look roles up in. The records
 * belong to the run: a ledger only links them; its dialogs it owns.
 */
struct ledger {
	struct le le;               /* in the run's set of ledgers */
	const struct role *role;    /* whose ledger (role->kind: proxy?) */
	struct list rx;             /* struct msgrec, received, in order */
	struct list tx;             /* struct msgrec, sent, in order */
	struct list dialogs;        /* struct dialog, owned */
};

void ledger_init(struct ledger *led, const struct role *role);
void ledger_reset(struct ledger *led);
struct ledger *ledger_find(const struct list *ledgers, const struct role *r);

#endif
