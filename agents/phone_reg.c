/* agents/phone_reg.c — a phone and its registrar: REGISTER through its
 * proxy (libre sipreg), and digest credentials for every challenge its
 * requests meet (RFC 3261 §22): the testbed's auth:, never printed */
#include <re.h>
#include "scenario.h"
#include "placeholder.h"
#include "phone.h"
#include "phone_priv.h"


/** Digest credentials for a challenge (RFC 3261 §22): the testbed's
 *  auth: for this role; none, and the challenge stands */
int phone_auth_h(char **user, char **pass, const char *realm, void *arg)
{
	struct phone *ph = arg;
	int err;

	if (!ph->role->auth_user || !ph->role->auth_pass) {
		phone_logf(ph, "%s: challenged by realm \"%s\", but the "
			   "testbed gives no auth: for it", ph->role->name,
			   realm);
		return EAUTH;
	}

	err = str_dup(user, ph->role->auth_user);
	err |= str_dup(pass, ph->role->auth_pass);
	if (!err)
		phone_logf(ph, "%s: answers the challenge of realm \"%s\" "
			   "as %s", ph->role->name, realm,
			   ph->role->auth_user);

	return err;
}


/* a REGISTER's challenge: answered once; challenged again before a 2xx,
 * the registrar has rejected the credentials, and they are not sent again
 * (RFC 3261 §22.1; libre's sipreg would retry them up to 16 times) */
static int reg_auth_h(char **user, char **pass, const char *realm,
		      void *arg)
{
	struct phone *ph = arg;
	int err;

	if (ph->reg_auth_sent) {
		phone_logf(ph, "%s: challenged again by realm \"%s\": the "
			   "registrar rejects its credentials; it does not "
			   "send them again", ph->role->name, realm);
		return EAUTH;
	}

	err = phone_auth_h(user, pass, realm, arg);
	ph->reg_auth_sent = !err;

	return err;
}


static void reg_resp_h(int err, const struct sip_msg *msg, void *arg)
{
	struct phone *ph = arg;

	if (msg && msg->scode >= 200 && msg->scode < 300)
		ph->reg_auth_sent = false;   /* a refresh may be challenged */

	if (err)
		phone_logf(ph, "%s: REGISTER failed: %m", ph->role->name, err);
	else if (msg)
		phone_logf(ph, "%s: REGISTER answered %u %r", ph->role->name,
			   msg->scode, &msg->reason);
}


/** REGISTER the phone's address of record through its proxy */
int phone_register(struct phone *ph, bool on)
{
	const char *routev[1];
	const char *dom;
	char reg_uri[256];

	if (!on) {
		if (!ph->reg)
			return ENOENT;
		ph->reg = mem_deref(ph->reg);  /* libre sends Expires: 0 */
		return 0;
	}

	dom = role_domain(ph->sc, ph->role);
	if (dom)
		re_snprintf(reg_uri, sizeof(reg_uri), "sip:%s", dom);
	else if (ph->role->proxy)
		re_snprintf(reg_uri, sizeof(reg_uri), "sip:%J",
			    &ph->role->proxy->addr);
	else
		return EDESTADDRREQ;

	routev[0] = ph->route;
	ph->reg = mem_deref(ph->reg);
	ph->reg_auth_sent = false;
	return sipreg_register(&ph->reg, ph->sip, reg_uri, ph->aor,
			       ph->role->display, ph->aor, 3600,
			       ph->role->user, routev, ph->route ? 1 : 0, 0,
			       reg_auth_h, ph, false, reg_resp_h, ph, NULL,
			       NULL);
}
