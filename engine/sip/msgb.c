/* engine/sip/msgb.c — build a SIP message as start line, headers and body */
#include <string.h>
#include <re.h>
#include "hdr.h"
#include "msgb.h"


static void hdr_destructor(void *data)
{
	struct msgb_hdr *h = data;

	list_unlink(&h->le);
	mem_deref(h->name);
	mem_deref(h->value);
}


static void destructor(void *data)
{
	struct msgb *b = data;

	list_flush(&b->hdrs);
	mem_deref(b->start);
	mem_deref(b->body);
}


/** An empty message */
int msgb_alloc(struct msgb **mbp)
{
	struct msgb *b;

	if (!mbp)
		return EINVAL;

	b = mem_zalloc(sizeof(*b), destructor);
	if (!b)
		return ENOMEM;

	*mbp = b;
	return 0;
}


/** Set the start line (request line or status line), without CRLF */
int msgb_start(struct msgb *b, const char *fmt, ...)
{
	va_list ap;
	int err;

	if (!b || !fmt)
		return EINVAL;

	b->start = mem_deref(b->start);
	va_start(ap, fmt);
	err = re_vsdprintf(&b->start, fmt, ap);
	va_end(ap);

	return err;
}


static int hdr_new(struct msgb_hdr **hp, const char *name, char *value)
{
	struct msgb_hdr *h;
	int err;

	h = mem_zalloc(sizeof(*h), hdr_destructor);
	if (!h) {
		mem_deref(value);
		return ENOMEM;
	}

	h->value = value;
	err = str_dup(&h->name, name);
	if (err) {
		mem_deref(h);
		return err;
	}

	*hp = h;
	return 0;
}


static int vadd(struct msgb *b, bool first, const char *name,
		const char *fmt, va_list ap)
{
	struct msgb_hdr *h;
	char *value = NULL;
	int err;

	if (!b || !name || !fmt)
		return EINVAL;

	err = re_vsdprintf(&value, fmt, ap);
	if (err)
		return err;

	err = hdr_new(&h, name, value);
	if (err)
		return err;

	if (first)
		list_prepend(&b->hdrs, &h->le, h);
	else
		list_append(&b->hdrs, &h->le, h);

	return 0;
}


/** Append a header */
int msgb_add(struct msgb *b, const char *name, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vadd(b, false, name, fmt, ap);
	va_end(ap);

	return err;
}


/** Put a header first (a proxy's Via, Record-Route) */
int msgb_add_first(struct msgb *b, const char *name, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vadd(b, true, name, fmt, ap);
	va_end(ap);

	return err;
}


/** Append a header copied from a received message, name as written */
int msgb_addpl(struct msgb *b, const struct pl *name, const struct pl *val)
{
	struct msgb_hdr *h;
	char *value = NULL, *nm = NULL;
	int err;

	if (!b || !name || !val)
		return EINVAL;

	err = pl_strdup(&value, val);
	err |= pl_strdup(&nm, name);
	if (err) {
		mem_deref(value);
		mem_deref(nm);
		return ENOMEM;
	}

	err = hdr_new(&h, nm, value);
	mem_deref(nm);
	if (err)
		return err;

	list_append(&b->hdrs, &h->le, h);
	return 0;
}


/** The first header called name (compact forms match), or NULL */
struct msgb_hdr *msgb_find(const struct msgb *b, const char *name)
{
	struct le *le;

	for (le = b ? b->hdrs.head : NULL; le; le = le->next) {
		struct msgb_hdr *h = le->data;
		struct pl pl;

		pl_set_str(&pl, h->name);
		if (hdr_name_eq(name, &pl))
			return h;
	}

	return NULL;
}


/** Remove every header called name */
void msgb_remove(struct msgb *b, const char *name)
{
	struct msgb_hdr *h;

	while ((h = msgb_find(b, name)))
		mem_deref(h);
}


/**
 * Replace a header's value, keeping its place (the first one; others of
 * that name go); append it if the message has none. NULL removes it.
 */
int msgb_set(struct msgb *b, const char *name, const char *value)
{
	struct msgb_hdr *h, *next;
	struct le *le;
	char *v = NULL;
	int err;

	if (!b || !name)
		return EINVAL;

	if (!value) {
		msgb_remove(b, name);
		return 0;
	}

	err = str_dup(&v, value);
	if (err)
		return err;

	h = msgb_find(b, name);
	if (!h) {
		mem_deref(v);
		return msgb_add(b, name, "%s", value);
	}

	mem_deref(h->value);
	h->value = v;

	/* drop the later ones of the same name */
	le = h->le.next;
	while (le) {
		struct pl pl;

		next = le->data;
		le = le->next;
		pl_set_str(&pl, next->name);
		if (hdr_name_eq(name, &pl))
			mem_deref(next);
	}

	return 0;
}


/** Set the body and its Content-Type (ctype NULL: keep headers as is) */
int msgb_body(struct msgb *b, const char *ctype, const uint8_t *p,
	      size_t len)
{
	int err;

	if (!b)
		return EINVAL;

	b->body = mem_deref(b->body);
	if (!len)
		return ctype ? msgb_set(b, "Content-Type", NULL) : 0;

	b->body = mbuf_alloc(len);
	if (!b->body)
		return ENOMEM;

	err = mbuf_write_mem(b->body, p, len);
	if (!err && ctype)
		err = msgb_set(b, "Content-Type", ctype);

	return err;
}


/**
 * Encode to wire text. Content-Length is added from the body unless the
 * message already has one (a scenario may set a wrong one on purpose).
 */
int msgb_encode(struct mbuf **mbp, const struct msgb *b)
{
	size_t blen = b && b->body ? b->body->end : 0;
	struct mbuf *mb;
	struct le *le;
	int err;

	if (!mbp || !b || !b->start)
		return EINVAL;

	mb = mbuf_alloc(512 + blen);
	if (!mb)
		return ENOMEM;

	err = mbuf_printf(mb, "%s\r\n", b->start);
	for (le = b->hdrs.head; le && !err; le = le->next) {
		const struct msgb_hdr *h = le->data;
		err = mbuf_printf(mb, "%s: %s\r\n", h->name, h->value);
	}

	if (!err && !msgb_find(b, "Content-Length"))
		err = mbuf_printf(mb, "Content-Length: %zu\r\n", blen);

	if (!err)
		err = mbuf_write_str(mb, "\r\n");
	if (!err && blen)
		err = mbuf_write_mem(mb, b->body->buf, blen);

	if (err) {
		mem_deref(mb);
		return err;
	}

	mb->pos = 0;
	*mbp = mb;
	return 0;
}
