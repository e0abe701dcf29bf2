/* engine/check/rules_sdp.c — rule checks on SDP bodies (RFC 4566) and on
 * answers against their offers (RFC 3264). They read the SDP's lines as
 * written: a conformance check must see what libre's decoder forgives. */
#include <string.h>
#include <ctype.h>
#include <stdlib.h>
#include <re.h>
#include "textline.h"
#include "msgrec.h"
#include "ledger.h"
#include "rules.h"
#include "rules_checks.h"


static int fmt_index(const struct sdpl *s, unsigned mi, int pt)
{
	unsigned i;

	for (i = 0; i < s->m[mi].nfmt; i++) {
		if (s->m[mi].fmt[i] == pt)
			return (int)i;
	}

	return -1;
}


static void parse(struct sdpl *s, const struct msgrec *r)
{
	struct pl body = rules_body(r);
	const char *p = body.p, *end = body.p + body.l;
	struct pl line;
	bool first = true;

	/* fields only: the m[] arrays are read up to nm and nfmt, and are
	 * 9 KiB to clear, on every message, for every SDP rule */
	s->any = false;
	s->v_first = false;
	s->origin = (struct pl)PL_INIT;
	s->c_session = false;
	s->nm = 0;
	if (!msgrec_has_sdp(r))
		return;
	s->any = true;

	while (text_line(&p, end, &line)) {

		if (first)
			s->v_first = !pl_strcmp(&line, "v=0");
		first = false;

		if (line.l < 2 || line.p[1] != '=')
			continue;

		switch (line.p[0]) {

		case 'o':
			s->origin = line;
			break;

		case 'c':
			if (s->nm)
				s->m[s->nm - 1].c = true;
			else
				s->c_session = true;
			break;

		case 'm':
			if (s->nm < MAX_M) {
				struct pl media, port, proto, fmts;
				unsigned k = s->nm++;

				s->m[k].line = line;
				s->m[k].c = false;
				s->m[k].rtp = false;
				s->m[k].nfmt = 0;
				if (re_regex(line.p, line.l, "m=[^ ]+ [^ ]+ "
					     "[^ ]+[ ]*[^]*", &media, &port,
					     &proto, NULL, &fmts))
					break;
				s->m[k].rtp = proto.l > 4 &&
					!strncmp(proto.p, "RTP/", 4);
				while (fmts.l && s->m[k].nfmt < MAX_FMT) {
					struct pl f;
					if (re_regex(fmts.p, fmts.l, "[0-9]+",
						     &f))
						break;
					s->m[k].name[s->m[k].nfmt][0] = '\0';
					s->m[k].fmt[s->m[k].nfmt++] =
						(int)pl_u32(&f);
					fmts.l -= (size_t)(f.p + f.l - fmts.p);
					fmts.p = f.p + f.l;
				}
			}
			break;

		case 'a':
			if (s->nm) {
				struct pl pt, name;
				unsigned k = s->nm - 1;
				int i;

				if (re_regex(line.p, line.l, "a=rtpmap:[0-9]+ "
					     "[^/]+", &pt, &name))
					break;
				i = fmt_index(s, k, (int)pl_u32(&pt));
				if (i >= 0)
					pl_strcpy(&name, s->m[k].name[i],
						  sizeof(s->m[k].name[i]));
			}
			break;
		}
	}
}


/*
 * The SDP of r as parse() reads it: from c's memo when rules_check keeps
 * one (each message's SDP is read once for all the rules, not once per
 * rule), else into own.
 */
static const struct sdpl *sdp_of(const struct rulectx *c,
				  const struct msgrec *r, struct sdpl *own)
{
	struct rulememo *mo = c->memo;
	unsigned i;

	for (i = 0; mo && i < mo->n; i++) {
		if (mo->of[i] == r)
			return &mo->sdp[i];
	}
	if (!mo || mo->n == ARRAY_SIZE(mo->sdp)) {
		parse(own, r);
		return own;
	}

	i = mo->n++;
	mo->of[i] = r;
	parse(&mo->sdp[i], r);
	return &mo->sdp[i];
}


/* o=<user> <sess-id> <sess-version> <nettype> <addrtype> <address> */
static bool origin_ok(const struct pl *o)
{
	const char *p = o->p + 2, *end = o->p + o->l;
	unsigned n = 0;

	while (p < end) {
		const char *w = p;
		bool digits = true;

		while (p < end && *p != ' ') {
			digits &= isdigit((unsigned char)*p) != 0;
			p++;
		}
		if (p == w)
			return false;  /* two spaces, or one at the end */
		++n;
		if ((n == 2 || n == 3) && !digits)
			return false;
		if (p < end)
			p++;
	}

	return n == 6 && o->l > 2 && !strncmp(o->p, "o=", 2);
}


/* m=<media> 0 …: a stream the answer rejects */
static bool port_zero(const struct pl *m)
{
	const char *sp = pl_strchr(m, ' ');
	size_t left = sp ? m->l - (size_t)(sp + 1 - m->p) : 0;

	return sp && left >= 2 && sp[1] == '0' && sp[2] == ' ';
}


bool chk_sdp_version(const struct rulectx *c, char **bad)
{
	struct sdpl own;
	const struct sdpl *s = sdp_of(c, c->r, &own);

	(void)bad;
	return s->any && !s->v_first;
}


bool chk_sdp_origin(const struct rulectx *c, char **bad)
{
	struct sdpl own;
	const struct sdpl *s = sdp_of(c, c->r, &own);

	if (!s->any)
		return false;
	if (pl_isset(&s->origin) && origin_ok(&s->origin))
		return false;
	if (pl_isset(&s->origin))
		re_sdprintf(bad, "%r", &s->origin);
	return true;
}


bool chk_sdp_connection(const struct rulectx *c, char **bad)
{
	struct sdpl own;
	const struct sdpl *s = sdp_of(c, c->r, &own);
	unsigned i;

	if (!s->any || s->c_session)
		return false;
	for (i = 0; i < s->nm; i++) {
		if (!s->m[i].c) {
			re_sdprintf(bad, "%r has no c=", &s->m[i].line);
			return true;
		}
	}

	return s->nm == 0;
}


bool chk_sdp_rtpmap(const struct rulectx *c, char **bad)
{
	struct sdpl own;
	const struct sdpl *s = sdp_of(c, c->r, &own);
	unsigned i, j;

	for (i = 0; i < s->nm; i++) {
		for (j = 0; s->m[i].rtp && j < s->m[i].nfmt; j++) {
			if (s->m[i].fmt[j] >= 96 && s->m[i].fmt[j] <= 127 &&
			    !s->m[i].name[j][0]) {
				re_sdprintf(bad, "payload type %d in %r has "
					    "no a=rtpmap", s->m[i].fmt[j],
					    &s->m[i].line);
				return true;
			}
		}
	}

	return false;
}


/* the offer this message answers: the SDP of the request it answers */
static const struct sdpl *offer_of(const struct rulectx *c,
				    struct sdpl *own)
{
	const struct sdpl *offer;

	if (c->m->req || !c->req || c->m->scode < 180 ||
	    c->m->scode >= 300)
		return NULL;
	offer = sdp_of(c, c->req, own);
	return offer->any ? offer : NULL;
}


bool chk_sdp_answer_mlines(const struct rulectx *c, char **bad)
{
	struct sdpl own_o, own_a;
	const struct sdpl *offer = offer_of(c, &own_o), *ans;

	if (!offer)
		return false;
	ans = sdp_of(c, c->r, &own_a);
	if (!ans->any || ans->nm == offer->nm)
		return false;

	re_sdprintf(bad, "%u m= lines (the offer had %u)", ans->nm,
		    offer->nm);
	return true;
}


/* the offer's stream mi lists the answer's format j of stream mi: the
 * same payload type, or (a dynamic one, renumbered) the same a=rtpmap
 * encoding */
static bool offered(const struct sdpl *offer, const struct sdpl *ans,
		    unsigned mi, unsigned j)
{
	int pt = ans->m[mi].fmt[j];
	unsigned n;

	if (fmt_index(offer, mi, pt) >= 0)
		return true;
	for (n = 0; pt >= 96 && ans->m[mi].name[j][0] &&
		    n < offer->m[mi].nfmt; n++) {
		if (!str_casecmp(offer->m[mi].name[n], ans->m[mi].name[j]))
			return true;
	}

	return false;
}


/* RFC 3264 §6.1: a stream the answer accepts names at least one format
 * from amongst those of the offer; it MAY add others. A rejected stream
 * (port 0) lists formats that are ignored. */
bool chk_sdp_answer_pt(const struct rulectx *c, char **bad)
{
	struct sdpl own_o, own_a;
	const struct sdpl *offer = offer_of(c, &own_o), *ans;
	unsigned i, j;

	if (!offer)
		return false;
	ans = sdp_of(c, c->r, &own_a);

	for (i = 0; i < ans->nm && i < offer->nm; i++) {
		bool common = false;

		if (port_zero(&ans->m[i].line) || !ans->m[i].nfmt ||
		    !offer->m[i].nfmt)
			continue;
		for (j = 0; j < ans->m[i].nfmt && !common; j++)
			common = offered(offer, ans, i, j);
		if (!common) {
			re_sdprintf(bad, "%r shares no format with the "
				    "offer's %r", &ans->m[i].line,
				    &offer->m[i].line);
			return true;
		}
	}

	return false;
}


/* the six fields of an o= line: user, session id, version, network
 * type, address type, address */
static bool origin_fields(const struct pl *o, struct pl f[6])
{
	return pl_isset(o) &&
	       !re_regex(o->p, o->l, "o=[^ ]+ [0-9]+ [0-9]+ [^ ]+ [^ ]+ "
			 "[^ ]+", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5]);
}


/* the tag of the party that wrote m's SDP: a request's From tag, a
 * response's To tag */
static const struct pl *party_tag(const struct sip_msg *m)
{
	return m->req ? &m->from.tag : &m->to.tag;
}


/* the SDP c's receiver got last from c's party in c's call, before c
 * (its lines in e, its o= fields in was), or NULL */
static const struct msgrec *party_before(const struct rulectx *c,
					 struct sdpl *e, struct pl was[6])
{
	struct le *le;

	/* from the message itself back, when the receiver holds it */
	le = c->r->rx_le.list == &c->rcv->rx ? c->r->rx_le.prev
					      : c->rcv->rx.tail;
	for (; le; le = le->prev) {
		const struct msgrec *o = le->data;

		if (o == c->r || o->retrans || !o->msg ||
		    pl_cmp(&o->msg->callid, &c->m->callid) ||
		    pl_cmp(party_tag(o->msg), party_tag(c->m)))
			continue;
		parse(e, o);
		if (e->any && origin_fields(&e->origin, was))
			return o;
	}

	return NULL;
}


bool chk_sdp_origin_next(const struct rulectx *c, char **bad)
{
	struct pl now[6], was[6], body, pbody;
	const struct msgrec *o;
	struct sdpl own, e;
	const struct sdpl *s = sdp_of(c, c->r, &own);
	uint64_t v, w;

	if (!s->any || !c->rcv || !origin_fields(&s->origin, now) ||
	    !pl_isset(party_tag(c->m)))
		return false;

	o = party_before(c, &e, was);
	if (!o)
		return false;

	if (pl_cmp(&now[0], &was[0]) || pl_cmp(&now[1], &was[1]) ||
	    pl_cmp(&now[3], &was[3]) || pl_cmp(&now[4], &was[4]) ||
	    pl_cmp(&now[5], &was[5])) {
		re_sdprintf(bad, "%r (the party's SDP in frame %u had %r)",
			    &s->origin, o->frame, &e.origin);
		return true;
	}

	v = pl_u64(&now[2]);
	w = pl_u64(&was[2]);
	if (v == w + 1)
		return false;
	if (v == w) {
		body = msgrec_body(c->r);
		pbody = msgrec_body(o);
		if (!pl_cmp(&body, &pbody))
			return false;
		re_sdprintf(bad, "%r: the version of the party's SDP in frame "
			    "%u, with a different SDP", &s->origin, o->frame);
		return true;
	}

	re_sdprintf(bad, "%r (the party's SDP in frame %u had version %r)",
		    &s->origin, o->frame, &was[2]);
	return true;
}
