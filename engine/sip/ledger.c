/* engine/sip/ledger.c — one role's ledger: what it received and sent, and
 * its dialogs
 *
 * The ledger is the part of a role the checks read. It lives in the
 * agent (agents/agent.h) so that the role's behaviour and its record stay
 * together, and it is linked into the run's set of ledgers so that
 * engine/sip and engine/check find a role's record without knowing what
 * plays it (docs/decisions/0017-ledger.md).
 */
#include <string.h>
#include <re.h>
#include "ledger.h"


/** Start an empty ledger for role, in no set */
void ledger_init(struct ledger *led, const struct role *role)
{
	if (!led)
		return;

	memset(led, 0, sizeof(*led));
	led->role = role;
}


/** Leave the set it is in, free the dialogs, forget the records (they
 *  belong to the run) */
void ledger_reset(struct ledger *led)
{
	if (!led)
		return;

	list_unlink(&led->le);
	list_flush(&led->dialogs);
	list_clear(&led->rx);
	list_clear(&led->tx);
}


/** The ledger of role r in a run's set, or NULL */
struct ledger *ledger_find(const struct list *ledgers, const struct role *r)
{
	struct le *le;

	for (le = ledgers ? ledgers->head : NULL; le; le = le->next) {
		struct ledger *led = le->data;

		if (led->role == r)
			return led;
	}

	return NULL;
}
