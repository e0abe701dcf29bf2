/* agents/hil/hil_event.c — what a device reports by itself (a Yealink's
 * Action URL callbacks, baresip's control socket events), as events a
 * scenario's event: step can expect. Each driver kind names the events
 * it can report (its row's events); the names are Yealink's Action URL
 * ones (the phone's action_url.* settings: incoming_call,
 * call_established …), and another driver maps its own onto them. */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "hil_priv.h"


/** NULL when the device's driver can report the event name, else why
 *  not (for lint: the names it can report follow in the message) */
const char *hil_check_event(const struct hil_cfg *cfg, const char *name)
{
	const struct hil_driver *drv;
	const char *why;
	size_t i;

	if (!cfg || !name)
		return "no driver";
	drv = cfg->drv;

	if (!drv->nevents)
		return "it reports no events";
	why = drv->events_check ? drv->events_check(cfg) : NULL;
	if (why)
		return why;

	for (i = 0; i < drv->nevents; i++) {
		if (!strcmp(drv->events[i], name))
			return NULL;
	}

	return "it reports no event of that name";
}


/** "incoming_call, call_established, …" — what the driver reports */
int hil_event_names(struct re_printf *pf, const struct hil_cfg *cfg)
{
	size_t i;
	int err = 0;

	if (!cfg || !cfg->drv->nevents)
		return re_hprintf(pf, "none");

	for (i = 0; i < cfg->drv->nevents; i++)
		err |= re_hprintf(pf, "%s%s", i ? ", " : "",
				  cfg->drv->events[i]);

	return err;
}


void hil_set_event_h(struct hil *h, hil_event_h *evh)
{
	if (h)
		h->evh = evh;
}


/** The device reported event name (one of its row's events) */
void hil_event(struct hil *h, const char *name, const char *detail)
{
	if (h->evh && name)
		h->evh(name, detail, h->arg);
}
