/* agents/sdporigin.c — the o= line of the SDP a scripted role sends.
 *
 * RFC 3264 §8: each new SDP a party sends in a session keeps the o= line
 * of the one before, with the version raised by one. libre's encoder
 * counts per session object, and a scripted role shares one between its
 * calls (and makes a fresh one for a step that names its codecs or its
 * address), so the line it writes is replaced here per call: the o= line
 * of the call's first SDP, its version plus one for each SDP after it —
 * but for an offer made again in a request resent with credentials after
 * a 401/407 (RFC 3261 §22.2): the one it repeats was refused with its
 * request, the session did not change, and a phone (libre) resends it
 * as it was. */
#include <re.h>
#include "sdporigin.h"


struct sdpcall {
	struct le le;
	char *callid;
	char *user;      /* of the call's first o= line */
	char *rest;      /* its network type, address type and address */
	uint32_t id;
	uint32_t ver;
};


static void destructor(void *data)
{
	struct sdpcall *c = data;

	list_unlink(&c->le);
	mem_deref(c->callid);
	mem_deref(c->user);
	mem_deref(c->rest);
}


static struct sdpcall *call_find(const struct list *calls,
				 const char *callid)
{
	struct le *le;

	for (le = calls->head; le; le = le->next) {
		struct sdpcall *c = le->data;

		if (!str_cmp(c->callid, callid))
			return c;
	}

	return NULL;
}


/* the call's first SDP: its o= line is the call's from now on */
static struct sdpcall *call_add(struct list *calls, const char *callid,
				const struct pl *user, const struct pl *id,
				const struct pl *ver, const struct pl *rest)
{
	struct sdpcall *c = mem_zalloc(sizeof(*c), destructor);

	if (!c)
		return NULL;
	if (str_dup(&c->callid, callid) || pl_strdup(&c->user, user) ||
	    pl_strdup(&c->rest, rest)) {
		mem_deref(c);
		return NULL;
	}
	c->id = pl_u32(id);
	c->ver = pl_u32(ver);
	list_append(calls, &c->le, c);

	return c;
}


/**
 * Give the SDP in *mbp (whole, pos ignored) the o= line of the next SDP
 * of call callid in calls (again: the same version as the last, the
 * offer made again): *mbp is replaced. An SDP without an o= line is left
 * as it is.
 */
int sdporigin_apply(struct list *calls, const char *callid, bool again,
		    struct mbuf **mbp)
{
	struct mbuf *mb, *out;
	struct pl user, id, ver, rest;
	const char *p, *tail;
	struct sdpcall *c;
	int err;

	if (!calls || !callid || !mbp || !*mbp)
		return EINVAL;

	mb = *mbp;
	p = (const char *)mb->buf;
	if (re_regex(p, mb->end, "o=[^ ]+ [0-9]+ [0-9]+ [^\r\n]+", &user,
		     &id, &ver, &rest))
		return 0;

	c = call_find(calls, callid);
	if (!c)
		c = call_add(calls, callid, &user, &id, &ver, &rest);
	else if (!again)
		++c->ver;
	if (!c)
		return ENOMEM;

	out = mbuf_alloc(mb->end + 64);
	if (!out)
		return ENOMEM;

	tail = rest.p + rest.l;
	err = mbuf_write_mem(out, mb->buf, (size_t)(user.p - p));
	err |= mbuf_printf(out, "%s %u %u %s", c->user, c->id, c->ver,
			   c->rest);
	err |= mbuf_write_mem(out, (const uint8_t *)tail,
			      mb->end - (size_t)(tail - p));
	if (err) {
		mem_deref(out);
		return err;
	}

	out->pos = 0;
	mem_deref(mb);
	*mbp = out;

	return 0;
}
