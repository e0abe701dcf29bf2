/* agents/hil/hil_provision.c — the configuration sipflow gives a device
 * for a flow, from the testbed and the role's phone settings: for a
 * baresip, its accounts file (one account line, baresip's own format:
 * docs/hil.md), which it reads when it starts.
 *
 *   <sip:alice@example.test>;outbound="sip:127.0.0.43:5060";
 *     auth_user=alice;auth_pass=…;regint=3600;answermode=manual;
 *     mediaenc=srtp-mand;audio_codecs=PCMU,PCMA
 *
 * The line holds the testbed's password: the file is written 0600, and
 * the line is never printed.
 */
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <re.h>
#include "scenario.h"
#include "hil_priv.h"


enum { PROV_REGINT = 3600 };


/* the role's outbound proxy, as baresip's outbound= takes it */
static int outbound(struct mbuf *mb, const struct role *r)
{
	const struct role *px = r->proxy;
	const char *tp = px->tp == SIP_TRANSP_TCP ? ";transport=tcp"
		: px->tp == SIP_TRANSP_TLS ? ";transport=tls" : "";

	return mbuf_printf(mb, ";outbound=\"sip:%J%s\"", &px->addr, tp);
}


static int codecs(struct mbuf *mb, const struct list *l)
{
	struct le *le;
	int err = 0;

	for (le = l->head; le && !err; le = le->next) {
		const struct strle *c = le->data;

		err = mbuf_printf(mb, "%s%s", le == l->head ?
				  ";audio_codecs=" : ",", c->str);
	}

	return err;
}


/** NULL when a baresip can be provisioned for role r, else why not */
const char *hil_prov_check(const struct role *r)
{
	if (!r || !r->proxy)
		return "the role has no proxy: in the scenario to provision "
		       "as its outbound proxy";

	return NULL;
}


/* the account line for the device playing h's role (r) */
static int account_line(struct mbuf *mb, const struct hil *h,
			const struct role *r)
{
	const struct phone_cfg *c = &r->cfg;
	bool autoans = (c->given & PHONE_CFG_AUTO_ANSWER) &&
		c->auto_answer_ms == 0;
	int err;

	err = mbuf_printf(mb, "<%s>", h->aor ? h->aor : "");
	err |= outbound(mb, r);
	if (h->sip_user && h->sip_pass)
		err |= mbuf_printf(mb, ";auth_user=%s;auth_pass=%s",
				   h->sip_user, h->sip_pass);
	err |= mbuf_printf(mb, ";regint=%u;answermode=%s", PROV_REGINT,
			   autoans ? "auto" : "manual");
	if (r->srtp.set && !r->srtp.off)
		err |= mbuf_printf(mb, ";mediaenc=srtp-mand");
	err |= codecs(mb, &r->codecs);
	err |= mbuf_write_str(mb, "\n");

	return err;
}


/**
 * Write the baresip accounts file for role r into the testbed's
 * provision: directory; *why says what failed
 */
int hil_prov_baresip(struct hil *h, const struct role *r, char **why)
{
	struct mbuf *mb = mbuf_alloc(256);
	char *path = NULL;
	ssize_t n;
	int fd, err;

	if (!mb)
		return ENOMEM;

	err = account_line(mb, h, r);
	if (!err)
		err = re_sdprintf(&path, "%s/accounts", h->cfg->provision);
	if (err)
		goto out;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		(void)re_sdprintf(why, "cannot write %s: %m", path, err);
		goto out;
	}
	(void)fchmod(fd, 0600);   /* one that was there keeps its mode */
	n = write(fd, mb->buf, mb->end);
	if (n < 0 || (size_t)n != mb->end) {
		err = n < 0 ? errno : EIO;
		(void)re_sdprintf(why, "cannot write %s: %m", path, err);
	}
	(void)close(fd);
	if (!err)
		hil_note(h, "provisioned %s (%s's account %s)", path, r->name,
			 h->aor ? h->aor : "?");

 out:
	memset(mb->buf, 0, mb->size);   /* it holds the password */
	mem_deref(mb);
	mem_deref(path);
	return err;
}
