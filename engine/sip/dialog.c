/* engine/sip/dialog.c — a scripted user agent's dialogs (RFC 3261 §12) */
#include <string.h>
#include <strings.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "hdr.h"
#include "dialog.h"


static void destructor(void *data)
{
	struct dialog *d = data;

	list_unlink(&d->le);
	list_flush(&d->route);
	mem_deref(d->name);
	mem_deref(d->callid);
	mem_deref(d->ltag);
	mem_deref(d->rtag);
	mem_deref(d->luri);
	mem_deref(d->ruri);
	mem_deref(d->rtarget);
}


struct rr_ctx {
	struct list *l;
	bool reverse;
	int err;
};


static bool rr_h(const struct pl *val, void *arg)
{
	struct rr_ctx *c = arg;

	c->err |= strle_add(c->l, val, NULL, c->reverse);
	return false;
}


/* the From/To value without its ;tag= parameter */
static int uri_notag(char **out, const struct pl *val)
{
	struct pl v = *val, tag;
	char *s;
	int err;

	err = pl_strdup(&s, &v);
	if (err)
		return err;

	if (0 == hdr_tag(val, &tag)) {
		/* cut ";tag=..." out of the copy */
		size_t off = (size_t)(tag.p - val->p) - 5;
		size_t end = (size_t)(tag.p - val->p) + tag.l;

		if (off < v.l && !strncasecmp(s + off, ";tag=", 5))
			memmove(s + off, s + end, strlen(s + end) + 1);
	}

	*out = s;
	return 0;
}


/* the URI inside a Contact value */
static int contact_uri(char **out, const struct sip_msg *msg)
{
	const struct pl *val = hdr_first(msg, "Contact");
	struct sip_addr addr;

	if (!val || sip_addr_decode(&addr, val))
		return ENOENT;

	return pl_strdup(out, &addr.auri);
}


static struct dialog *alloc(struct list *dialogs)
{
	struct dialog *d = mem_zalloc(sizeof(*d), destructor);

	if (d)
		list_append(dialogs, &d->le, d);

	return d;
}


/**
 * The UAS side: we answer req (an INVITE, SUBSCRIBE or REFER received)
 * with ltag. The route set is the request's Record-Route, in order.
 */
int dialog_from_request(struct dialog **dlgp, struct list *dialogs,
			const struct msgrec *req, const char *ltag,
			struct role *peer)
{
	const struct sip_msg *m = req->msg;
	struct rr_ctx rc;
	struct dialog *d;
	int err;

	d = dialog_match(dialogs, m, true);
	if (d) {
		if (dlgp)
			*dlgp = d;
		return 0;
	}

	d = alloc(dialogs);
	if (!d)
		return ENOMEM;

	err = pl_strdup(&d->callid, &m->callid);
	err |= str_dup(&d->ltag, ltag);
	err |= pl_strdup(&d->rtag, &m->from.tag);
	err |= uri_notag(&d->luri, &m->to.val);
	err |= uri_notag(&d->ruri, &m->from.val);
	if (contact_uri(&d->rtarget, m))
		err |= pl_strdup(&d->rtarget, &m->from.auri);
	if (err)
		goto out;

	rc.l = &d->route;
	rc.reverse = false;
	rc.err = 0;
	hdr_apply(m, "Record-Route", rr_h, &rc);
	err = rc.err;

	d->lseq = rand_u16();
	d->peer = peer;
	d->uac = false;
	if (req->dialog)
		err |= str_dup(&d->name, req->dialog);

 out:
	if (err)
		mem_deref(d);
	else if (dlgp)
		*dlgp = d;

	return err;
}


/**
 * The UAC side: a 1xx with a To tag or a 2xx to our request req. The
 * route set is the response's Record-Route, reversed (§12.1.2).
 */
int dialog_from_response(struct dialog **dlgp, struct list *dialogs,
			 const struct msgrec *req, const struct msgrec *resp,
			 struct role *peer)
{
	const struct sip_msg *m = resp->msg;
	struct rr_ctx rc;
	struct dialog *d;
	int err = 0;

	if (!pl_isset(&m->to.tag))
		return EPROTO;

	d = dialog_match(dialogs, m, false);
	if (!d) {
		d = alloc(dialogs);
		if (!d)
			return ENOMEM;

		err = pl_strdup(&d->callid, &m->callid);
		err |= pl_strdup(&d->ltag, &m->from.tag);
		err |= pl_strdup(&d->rtag, &m->to.tag);
		err |= uri_notag(&d->luri, &m->from.val);
		err |= uri_notag(&d->ruri, &m->to.val);
		d->lseq = req->msg->cseq.num;
		d->peer = peer;
		d->uac = true;
		if (req->dialog)
			err |= str_dup(&d->name, req->dialog);
	}

	/* a 2xx (or a later 1xx) refreshes the target and route set */
	if (!d->confirmed) {
		char *target = NULL;

		if (0 == contact_uri(&target, m)) {
			mem_deref(d->rtarget);
			d->rtarget = target;
		}
		else if (!d->rtarget) {
			err |= pl_strdup(&d->rtarget, &m->to.auri);
		}

		list_flush(&d->route);
		rc.l = &d->route;
		rc.reverse = true;
		rc.err = 0;
		hdr_apply(m, "Record-Route", rr_h, &rc);
		err |= rc.err;
	}

	if (m->scode >= 200 && m->scode < 300)
		d->confirmed = true;

	if (err)
		mem_deref(d);
	else if (dlgp)
		*dlgp = d;

	return err;
}


/**
 * The dialog a message belongs to. For a message we received as UAS the
 * local tag is in To; as UAC (responses) the local tag is in From.
 */
struct dialog *dialog_match(const struct list *dialogs,
			    const struct sip_msg *msg, bool uas_side)
{
	struct le *le;

	for (le = dialogs ? dialogs->head : NULL; le; le = le->next) {
		struct dialog *d = le->data;
		const struct pl *lt, *rt;

		if (pl_strcmp(&msg->callid, d->callid))
			continue;

		lt = uas_side ? &msg->to.tag : &msg->from.tag;
		rt = uas_side ? &msg->from.tag : &msg->to.tag;

		if (pl_strcmp(rt, d->rtag))
			continue;
		if (pl_isset(lt) && pl_strcmp(lt, d->ltag))
			continue;

		return d;
	}

	return NULL;
}


/**
 * The dialog a step uses: by name if given; else the newest live dialog,
 * preferring one set up with peer.
 */
struct dialog *dialog_pick(const struct list *dialogs, const char *name,
			   const struct role *peer)
{
	struct dialog *any = NULL;
	struct le *le;

	for (le = dialogs ? dialogs->tail : NULL; le; le = le->prev) {
		struct dialog *d = le->data;

		if (name) {
			if (d->name && !strcmp(d->name, name))
				return d;
			continue;
		}

		if (d->terminated)
			continue;

		if (d->peer == peer)
			return d;
		if (!any)
			any = d;
	}

	return any;
}
