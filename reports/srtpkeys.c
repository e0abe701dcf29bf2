/* reports/srtpkeys.c — the SRTP keys of a scenario's media, for
 * report.json: each offer/answer that agreed on an a=crypto line (RFC
 * 4568), with the suite and, per direction, who sends from where with
 * which master key, so a decrypter (libsrtp's rtp_decoder, Wireshark
 * with a decrypted copy) can be pointed at the pcap, which keeps the SRTP
 * as sent. Derived from the messages' text alone: a merged report has
 * them too. The keys are secrets; docs/srtp.md says so. */
#include <string.h>
#include <re.h>
#include "sdpcrypto.h"
#include "report.h"


/* what one SDP of an exchange says */
struct side {
	const struct report_msg *m;
	struct sip_msg *msg;
	struct sdpcrypto_media mv[1];
	struct pl addr;
};


static void side_clear(struct side *sd)
{
	sd->msg = mem_deref(sd->msg);
}


static bool side_read(struct side *sd, const struct report_msg *m)
{
	struct mbuf *mb;
	struct pl body, c;
	size_t len = str_len(m->text);

	memset(sd, 0, sizeof(*sd));
	/* no a=crypto line, no key (sdpcrypto_scan reads only those): the
	 * SIP decode below would otherwise be most of a report's cost */
	if (!len || !strstr(m->text, "a=crypto:"))
		return false;
	mb = mbuf_alloc(len);
	if (!mb)
		return false;
	(void)mbuf_write_mem(mb, (const uint8_t *)m->text, len);
	mb->pos = 0;
	if (sip_msg_decode(&sd->msg, mb)) {
		mem_deref(mb);
		return false;
	}
	mem_deref(mb);

	body.p = (const char *)mbuf_buf(sd->msg->mb);
	body.l = mbuf_get_left(sd->msg->mb);
	if (!body.l || !sdpcrypto_scan(&body, sd->mv, 1) || !sd->mv[0].n) {
		side_clear(sd);
		return false;
	}
	if (!re_regex(body.p, body.l, "c=IN IP[0-9]+ [^ \r\n]+", NULL, &c))
		sd->addr = c;
	sd->m = m;

	return true;
}


/* the a=crypto line of s with tag, decoded */
static bool line_of(struct sdpcrypto *cr, const struct side *s,
		    uint32_t tag)
{
	unsigned j;

	for (j = 0; j < s->mv[0].n; j++) {
		if (!sdpcrypto_decode(cr, &s->mv[0].crypto[j], NULL, 0) &&
		    cr->tag == tag)
			return true;
	}

	return false;
}


/* where a side's SDP says it takes its media: address:port */
static void media_addr(char *buf, size_t sz, const struct side *s)
{
	struct pl port = PL_INIT;

	(void)re_regex(s->mv[0].mline.p, s->mv[0].mline.l, "m=[^ ]+ [0-9]+",
		       NULL, &port);
	re_snprintf(buf, sz, "%r:%r", &s->addr, &port);
}


/* one direction: s sends to peer, with cr's key */
static int stream(struct odict *arr, unsigned i, const struct side *s,
		  const struct side *peer, const struct sdpcrypto *cr)
{
	struct odict *o;
	char k[8], src[80], dst[80], key[80];
	int err;

	media_addr(src, sizeof(src), s);
	media_addr(dst, sizeof(dst), peer);
	re_snprintf(key, sizeof(key), "inline:%r", &cr->key64);
	re_snprintf(k, sizeof(k), "%u", i);

	err = odict_alloc(&o, 8);
	if (err)
		return err;
	err = odict_entry_add(o, "sender", ODICT_STRING, s->m->from);
	err |= odict_entry_add(o, "sdp", ODICT_STRING, src);
	err |= odict_entry_add(o, "to", ODICT_STRING, dst);
	err |= odict_entry_add(o, "key", ODICT_STRING, key);
	err |= odict_entry_add(arr, k, ODICT_OBJECT, o);
	mem_deref(o);

	return err;
}


/* one agreed exchange: offer side o, answer side a */
static int exchange(struct odict *list, unsigned n, const struct side *o,
		    const struct side *a)
{
	struct sdpcrypto ac, oc;
	struct odict *e = NULL, *arr = NULL;
	char k[8], suite[64], cid[256];
	int err;

	if (a->mv[0].n != 1 ||
	    sdpcrypto_decode(&ac, &a->mv[0].crypto[0], NULL, 0) ||
	    !line_of(&oc, o, ac.tag) || pl_cmp(&oc.suite, &ac.suite))
		return 0;   /* not agreed: the rules say why */

	pl_strcpy(&ac.suite, suite, sizeof(suite));
	re_snprintf(k, sizeof(k), "%u", n);

	err = odict_alloc(&e, 8);
	err |= odict_alloc(&arr, 4);
	if (err)
		goto out;
	pl_strcpy(&o->msg->callid, cid, sizeof(cid));
	err = odict_entry_add(e, "call_id", ODICT_STRING, cid);
	err |= odict_entry_add(e, "offer_frame", ODICT_INT,
			       (int64_t)o->m->frame);
	err |= odict_entry_add(e, "answer_frame", ODICT_INT,
			       (int64_t)a->m->frame);
	err |= odict_entry_add(e, "suite", ODICT_STRING, suite);
	err |= odict_entry_add(e, "tag", ODICT_INT, (int64_t)ac.tag);
	err |= stream(arr, 0, o, a, &oc);
	err |= stream(arr, 1, a, o, &ac);
	err |= odict_entry_add(e, "streams", ODICT_ARRAY, arr);
	err |= odict_entry_add(list, k, ODICT_OBJECT, e);

 out:
	mem_deref(arr);
	mem_deref(e);
	return err ? err : 1;
}


/* the answer to offer o among the messages after it: a 1xx/2xx with an
 * SDP of the same call and CSeq */
static bool answer_of(struct side *a, const struct side *o,
		      const struct le *from)
{
	const struct le *le;

	for (le = from; le; le = le->next) {
		const struct report_msg *m = le->data;

		if (m->copy_of || !side_read(a, m))
			continue;
		if (!a->msg->req && a->msg->scode < 300 &&
		    !pl_cmp(&a->msg->callid, &o->msg->callid) &&
		    a->msg->cseq.num == o->msg->cseq.num)
			return true;
		side_clear(a);
	}

	return false;
}


/* an offer a proxy passed on: the same request (Call-ID, CSeq) with its
 * SDP came earlier; its author is the first sender's */
static bool passed_on(const struct side *of, const struct report_scn *s,
		      const struct le *upto)
{
	const struct le *le;

	for (le = s->msgs.head; le && le != upto; le = le->next) {
		struct side e;
		bool same;

		if (!side_read(&e, le->data))
			continue;
		same = e.msg->req && !pl_cmp(&e.msg->callid, &of->msg->callid)
		       && e.msg->cseq.num == of->msg->cseq.num &&
		       !pl_cmp(&e.msg->cseq.met, &of->msg->cseq.met);
		side_clear(&e);
		if (same)
			return true;
	}

	return false;
}


/**
 * key "srtp": [ {call_id, offer_frame, answer_frame, suite, tag,
 * streams: [{sender, sdp, to, key}, …]}: the sender's own SDP address,
 * where its packets go (the receiver's SDP address; a device may send
 * from another), the master key||salt it sends with ] when the
 * scenario's media was SRTP; nothing otherwise
 */
int report_srtp_put(struct odict *o, const struct report_scn *s)
{
	struct odict *list;
	struct le *le;
	unsigned n = 0;
	int err;

	err = odict_alloc(&list, 8);
	if (err)
		return err;

	for (le = s->msgs.head; le && !err; le = le->next) {
		const struct report_msg *m = le->data;
		struct side of, an;
		int r;

		if (m->copy_of || !side_read(&of, m))
			continue;
		if (of.msg->req && !passed_on(&of, s, le) &&
		    answer_of(&an, &of, le->next)) {
			r = exchange(list, n, &of, &an);
			if (r > 0)
				++n;
			else
				err = r;
			side_clear(&an);
		}
		side_clear(&of);
	}

	if (!err && n) {
		err = odict_entry_add(o, "srtp", ODICT_ARRAY, list);
		err |= odict_entry_add(o, "srtp_note", ODICT_STRING,
				       "srtp[].streams[].key are the SRTP "
				       "master keys each sender used: this "
				       "report holds secrets (docs/srtp.md)");
	}
	mem_deref(list);

	return err;
}
