/* capture/sipscan.c — scan a SIP message where it lies: the start line,
 * the Call-ID (long or compact form, folded lines joined) and the CSeq
 * method, without copying it or decoding every header as libre's
 * sip_msg_decode does. It accepts and rejects a message on the same
 * structural grounds as libre (tests/unit/test_pcapr.c checks both), so
 * the ladder and diff see the messages a live run would.
 *
 * For the diff, a walk over the headers (pcapr_hdrs_next) gives them as
 * libre lists them (sip_msg.hdrl) and refuses a message where libre's
 * decode refuses one of its To, From, CSeq, Content-Type or first Via:
 * a quick check first, libre's own decoder where that one is unsure. */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "pcapr.h"


static inline bool is_ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}


/* neither white space nor the colon that ends a header name */
static inline bool name_char(uint8_t c)
{
	return c > ' ' ? c != ':' : !is_ws(c);
}


/* a token: up to the next SP, HT, CR or LF */
static size_t token(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && !is_ws(p[i]); i++)
		;

	return i;
}


/* the status code as libre reads it: digits only, else 0 */
static uint16_t scode_of(const struct pl *pl)
{
	uint32_t v = 0, mul = 1;
	size_t i;

	for (i = pl->l; i-- > 0;) {
		if (pl->p[i] < '0' || pl->p[i] > '9')
			return 0;
		v += mul * (uint32_t)(pl->p[i] - '0');
		mul *= 10;
	}

	return (uint16_t)v;
}


/* the CSeq method: the token after the first number and whitespace */
static int cseq_met(struct pl *met, const struct pl *val)
{
	size_t i, j, k;

	for (i = 0; i < val->l; i++) {
		if (!isdigit((unsigned char)val->p[i]))
			continue;
		for (j = i; j < val->l && isdigit((unsigned char)val->p[j]);
		     j++)
			;
		for (k = j; k < val->l && is_ws((uint8_t)val->p[k]); k++)
			;
		if (k > j && k < val->l) {
			met->p = val->p + k;
			met->l = token((const uint8_t *)met->p, val->l - k);
			return 0;
		}
		i = j;
	}

	return EBADMSG;
}


/* a Request-URI as libre's uri_decode finds one: somewhere a scheme,
 * a colon and something that is not a parameter */
static bool uri_like(const struct pl *y)
{
	size_t i;

	for (i = 1; i + 1 < y->l; i++) {
		if (y->p[i] == ':' && y->p[i - 1] != ':' &&
		    !strchr(";? ", y->p[i + 1]))
			return true;
	}

	return false;
}


/* a header name: its full form (ASCII, any case) or its compact form */
static bool name_is(const struct pl *name, const char *full, size_t flen,
		    char compact)
{
	size_t i;

	if (name->l == 1)
		return tolower((unsigned char)name->p[0]) == compact;
	if (name->l != flen)
		return false;

	for (i = 0; i < flen; i++) {
		if (tolower((unsigned char)name->p[i]) != full[i])
			return false;
	}

	return true;
}


/* one header is complete: keep what the ladder needs */
static int header(struct pcapr_sip *s, const struct pl *name,
		  const struct pl *val)
{
	if (name_is(name, "call-id", 7, 'i'))
		s->callid = *val;
	else if (name_is(name, "cseq", 4, 0))
		return cseq_met(&s->cseq_met, val);

	return 0;
}


/* the next header line, from it->p: the header loop of libre's
 * sip_msg_decode without the copies. lf counts line ends since the last
 * text, ws the white space; the value keeps folded line ends and loses
 * the white space around it (NULL if empty). The line that ends the
 * headers sets it->eoh, it->p then past the blank line. */
static int line_next(struct pcapr_hdrs *it, struct pl *name, struct pl *val)
{
	const uint8_t *p = it->p, *end = it->end, *v = NULL, *nl, *q;
	size_t ws = 0, lf = 0;

	if (it->eoh)
		return ENOENT;

	name->p = NULL;
	name->l = 0;
	for (; p < end; p++) {
		switch (*p) {

		case ' ':
		case '\t':
			lf = 0; /* folding */
			++ws;
			continue;

		case '\r':
			++ws;
			continue;

		case '\n':
			++ws;
			if (!lf++)
				continue;
			++p; /* end of the headers */
			break;

		default:
			break;
		}

		if (lf) {
			if (!name->l)
				return EBADMSG;
			val->p = v ? (const char *)v : NULL;
			val->l = v ? (size_t)(p - v) - ws : 0;
			it->eoh = lf > 1;
			it->p = p;
			return 0;
		}

		if (!name->p) {
			name->p = (const char *)p;
			ws = 0;
		}

		if (!name->l) {
			if (*p != ':') {
				/* the rest of the name at once */
				while (p + 1 < end && name_char(p[1]))
					++p;
				ws = 0;
				continue;
			}
			if ((size_t)((const char *)p - name->p) <= ws)
				return EBADMSG;
			name->l = (size_t)((const char *)p - name->p) - ws;
			continue;
		}

		/* in a value: only where its line ends matters */
		if (!v)
			v = p;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return ENODATA;
		for (q = nl; q > p && is_ws(q[-1]); q--)
			;
		ws = (size_t)(nl - q);
		p = nl - 1;
	}

	return ENODATA;
}


/**
 * Scan a SIP message for its start line, Call-ID and CSeq method, without
 * allocating. A message is taken where libre's sip_msg_decode takes it:
 * "X SP Y SP Z" with Z "SIP/2.0" for a request (whose URI has a scheme)
 * and a status code Y otherwise; header lines each with a name before a
 * colon, folded lines joined; a blank line ending the headers; the last
 * Call-ID and CSeq count. Header values are not decoded, but a CSeq
 * without a number and a method is refused as libre refuses it.
 *
 * Returns 0, EBADMSG (not SIP) or ENODATA (cut short: no end of the
 * start line or of the headers).
 */
int pcapr_sip_scan(struct pcapr_sip *s, const uint8_t *p, size_t len)
{
	const uint8_t *start = p, *end;
	struct pcapr_hdrs it;
	struct pl x, y, name, val;
	size_t n;
	int err;

	if (!s || !p)
		return EINVAL;

	end = p + len;
	memset(s, 0, sizeof(*s));

	/* RFC 3261 §7.1: start line; X SP Y SP Z CR* LF */
	n = token(p, len);
	if (!n || n == len || p[n] != ' ')
		return n == len ? ENODATA : EBADMSG;
	x.p = (const char *)p;
	x.l = n;
	p += n + 1;
	n = token(p, (size_t)(end - p));
	if (!n || p + n == end || p[n] != ' ')
		return p + n == end ? ENODATA : EBADMSG;
	y.p = (const char *)p;
	y.l = n;
	for (p += n + 1; p < end && *p != '\r' && *p != '\n'; p++)
		;
	s->line.p = (const char *)start;
	s->line.l = (size_t)(p - start);
	while (p < end && *p == '\r')
		++p;
	if (p == end)
		return ENODATA;
	if (*p++ != '\n')
		return EBADMSG;

	s->req = s->line.l - (size_t)(y.p + y.l + 1 - s->line.p) == 7 &&
		 !memcmp(y.p + y.l + 1, "SIP/2.0", 7);
	if (s->req) {
		if (!uri_like(&y))
			return EBADMSG;
		s->met = x;
	}
	else {
		s->scode = scode_of(&y);
		if (!s->scode)
			return EBADMSG;
	}

	memset(&it, 0, sizeof(it));
	it.p = p;
	it.end = end;
	while (!(err = line_next(&it, &name, &val))) {
		err = header(s, &name, &val);
		if (err)
			return err;
	}
	if (err != ENOENT)
		return err;

	s->hlen = (size_t)(it.p - start);
	return 0;
}


/* --- the headers as libre lists them, for the diff ------------------ */

/* libre's id of a header name (its hdr_hash): compact forms (RFC 3261
 * §7.3.3) mapped, X- headers none, others a case-insensitive hash */
static enum sip_hdrid hdr_id(const struct pl *name)
{
	static const struct {
		char c;
		enum sip_hdrid id;
	} compact[] = {
		{'a', SIP_HDR_ACCEPT_CONTACT},   {'b', SIP_HDR_REFERRED_BY},
		{'c', SIP_HDR_CONTENT_TYPE},
		{'d', SIP_HDR_REQUEST_DISPOSITION},
		{'e', SIP_HDR_CONTENT_ENCODING}, {'f', SIP_HDR_FROM},
		{'i', SIP_HDR_CALL_ID},          {'j', SIP_HDR_REJECT_CONTACT},
		{'k', SIP_HDR_SUPPORTED},        {'l', SIP_HDR_CONTENT_LENGTH},
		{'m', SIP_HDR_CONTACT},          {'n', SIP_HDR_IDENTITY_INFO},
		{'o', SIP_HDR_EVENT},            {'r', SIP_HDR_REFER_TO},
		{'s', SIP_HDR_SUBJECT},          {'t', SIP_HDR_TO},
		{'u', SIP_HDR_ALLOW_EVENTS},     {'v', SIP_HDR_VIA},
		{'x', SIP_HDR_SESSION_EXPIRES},  {'y', SIP_HDR_IDENTITY},
	};
	uint32_t h = 0;
	size_t i;

	if (name->l == 1) {
		for (i = 0; i < ARRAY_SIZE(compact); i++) {
			if (tolower((unsigned char)name->p[0]) == compact[i].c)
				return compact[i].id;
		}
		return SIP_HDR_NONE;
	}
	if ((name->p[0] | 0x20) == 'x' && name->p[1] == '-')
		return SIP_HDR_NONE;

	/* libre's hash_joaat_ci, inline: tolower() of a (signed) char */
	for (i = 0; i < name->l; i++) {
		int c = (signed char)name->p[i];

		h += (uint32_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		h += h << 10;
		h ^= h >> 6;
	}
	h += h << 3;
	h ^= h >> 11;
	h += h << 15;

	return (enum sip_hdrid)(h & 0xfff);
}


/* headers whose values libre splits at commas (its hdr_comma_separated) */
static bool comma_separated(enum sip_hdrid id)
{
	switch (id) {

	case SIP_HDR_ACCEPT:
	case SIP_HDR_ACCEPT_CONTACT:
	case SIP_HDR_ACCEPT_ENCODING:
	case SIP_HDR_ACCEPT_LANGUAGE:
	case SIP_HDR_ACCEPT_RESOURCE_PRIORITY:
	case SIP_HDR_ALERT_INFO:
	case SIP_HDR_ALLOW:
	case SIP_HDR_ALLOW_EVENTS:
	case SIP_HDR_AUTHENTICATION_INFO:
	case SIP_HDR_CALL_INFO:
	case SIP_HDR_CONTACT:
	case SIP_HDR_CONTENT_ENCODING:
	case SIP_HDR_CONTENT_LANGUAGE:
	case SIP_HDR_ERROR_INFO:
	case SIP_HDR_HISTORY_INFO:
	case SIP_HDR_IN_REPLY_TO:
	case SIP_HDR_P_ASSERTED_IDENTITY:
	case SIP_HDR_P_ASSOCIATED_URI:
	case SIP_HDR_P_EARLY_MEDIA:
	case SIP_HDR_P_MEDIA_AUTHORIZATION:
	case SIP_HDR_P_PREFERRED_IDENTITY:
	case SIP_HDR_P_REFUSED_URI_LIST:
	case SIP_HDR_P_VISITED_NETWORK_ID:
	case SIP_HDR_PATH:
	case SIP_HDR_PERMISSION_MISSING:
	case SIP_HDR_PROXY_REQUIRE:
	case SIP_HDR_REASON:
	case SIP_HDR_RECORD_ROUTE:
	case SIP_HDR_REJECT_CONTACT:
	case SIP_HDR_REQUEST_DISPOSITION:
	case SIP_HDR_REQUIRE:
	case SIP_HDR_RESOURCE_PRIORITY:
	case SIP_HDR_ROUTE:
	case SIP_HDR_SECURITY_CLIENT:
	case SIP_HDR_SECURITY_SERVER:
	case SIP_HDR_SECURITY_VERIFY:
	case SIP_HDR_SERVICE_ROUTE:
	case SIP_HDR_SUPPORTED:
	case SIP_HDR_TRIGGER_CONSENT:
	case SIP_HDR_UNSUPPORTED:
	case SIP_HDR_VIA:
	case SIP_HDR_WARNING:
		return true;

	default:
		return false;
	}
}


/* libre's walk over a list header's value, from p (RFC 3261 §7.3.1):
 * commas outside quotes separate values. With stop, up to the next such
 * comma; else over them all. *first is the first character of a value
 * (NULL if none), *ws the white space after the last. Returns where it
 * stopped. */
static const char *values(const char *p, const char *end, bool stop,
			  const char **first, size_t *ws)
{
	bool quote = false;

	*first = NULL;
	*ws = 0;
	for (; p < end; p++) {
		if (is_ws((uint8_t)*p)) {
			++*ws;
			continue;
		}
		if (*p == ',' && !quote) {
			if (stop)
				break;
			continue;
		}
		if (!*first)
			*first = p;
		if (*p == '"')
			quote = !quote;
		*ws = 0;
	}

	return p;
}


/* from the first character of a value to where its walk stopped, less
 * the white space after it (empty at the stop if there was none) */
static void value_of(struct pl *val, const char *first, const char *stop,
		     size_t ws)
{
	val->p = first ? first : stop;
	val->l = first ? (size_t)(stop - first) - ws : 0;
}


/* the next value of a line libre lists once per value (Via, Route),
 * from it->rest: up to a comma outside quotes, white space around it
 * dropped (empty between two commas) */
static void item_next(struct pcapr_hdrs *it, struct pl *val)
{
	const char *first, *p;
	size_t ws;

	p = values(it->rest, it->rend, true, &first, &ws);
	value_of(val, first, p, ws);
	it->split = p < it->rend;
	it->rest = p + 1;
}


/* the value of another comma-separated line as libre keeps it whole:
 * commas before its first value dropped, and the white space (not the
 * commas) after its last one */
static void line_whole(struct pl *val)
{
	const char *first, *end = val->p + val->l;
	size_t ws;

	if (!val->l || !memchr(val->p, ',', val->l))
		return;

	(void)values(val->p, end, false, &first, &ws);
	value_of(val, first, end, ws);
}


static bool lws(char c)
{
	return is_ws((uint8_t)c);
}


/* the index after a run of characters that pass f, from i */
static size_t skip(const struct pl *v, size_t i, bool (*f)(char))
{
	while (i < v->l && f(v->p[i]))
		++i;

	return i;
}


static bool ctype_char(char c)
{
	return !is_ws((uint8_t)c) && c != ';' && c != '/';
}


static bool subtype_char(char c)
{
	return !is_ws((uint8_t)c) && c != ';';
}


static bool alpha(char c)
{
	return isalpha((unsigned char)c);
}


/* libre's msg_ctype_decode: type / subtype from the first character */
static bool ctype_ok(const struct pl *v)
{
	size_t i = skip(v, 0, lws), j;

	j = skip(v, i, ctype_char);
	if (j == i)
		return false;
	i = skip(v, j, lws);
	if (i == v->l || v->p[i] != '/')
		return false;
	i = skip(v, i + 1, lws);

	return skip(v, i, subtype_char) > i;
}


/* a URI libre's uri_decode surely takes: a scheme, a colon, and a host
 * or user that starts with none of "/;? :" (else: ask libre) */
static bool uri_sure(const char *p, size_t l)
{
	const char *c = memchr(p, ':', l);

	return c && c > p && c + 1 < p + l && !strchr("/;? :", c[1]);
}


/* libre's sip_addr_decode on From and To: "name <uri>;params" or
 * "uri;params". The quick check takes the plain forms, libre the rest. */
static bool addr_ok(const struct pl *v)
{
	const char *lt = memchr(v->p, '<', v->l), *gt, *end = v->p + v->l;
	struct sip_addr addr;

	if (lt) {
		/* quotes and escapes before '<' may hide it: ask libre */
		gt = memchr(lt + 1, '>', (size_t)(end - lt - 1));
		if (gt && gt > lt + 1 &&
		    !memchr(v->p, '"', (size_t)(lt - v->p)) &&
		    !memchr(v->p, '\\', (size_t)(lt - v->p)) &&
		    uri_sure(lt + 1, (size_t)(gt - lt - 1)))
			return true;
	}
	else if (v->p[0] != ';') {
		const char *semi = memchr(v->p, ';', v->l);

		if (uri_sure(v->p, (size_t)((semi ? semi : end) - v->p)))
			return true;
	}

	return !sip_addr_decode(&addr, v);
}


/* a ";branch=" parameter libre's msg_param_decode surely finds */
static bool branch_sure(const struct pl *v, size_t i)
{
	for (; i + 8 < v->l; i++) {
		if (v->p[i] == ';' && !strncasecmp(v->p + i + 1, "branch=", 7)
		    && !strchr(" \t\r\n;\"\\", v->p[i + 8]))
			return true;
	}

	return false;
}


/* libre's sip_via_decode on the first Via value: "SIP / 2.0 / TRANSPORT
 * sent-by ;params" with a branch. The quick check takes it where libre
 * would take it from its first character; libre decides the rest. */
static bool via_ok(const struct pl *v)
{
	struct sip_via via;
	size_t i, j;

	i = v->l > 3 && !strncasecmp(v->p, "SIP", 3) ? skip(v, 3, lws) : 0;
	i = i && i < v->l && v->p[i] == '/' ? skip(v, i + 1, lws) : 0;
	i = i && i + 3 <= v->l && !memcmp(v->p + i, "2.0", 3)
		    ? skip(v, i + 3, lws) : 0;
	i = i && i < v->l && v->p[i] == '/' ? skip(v, i + 1, lws) : 0;
	j = i ? skip(v, i, alpha) : 0;
	if (j > i) {
		/* a sent-by of more than colons, then a branch */
		i = skip(v, j, lws);
		if (i < v->l && subtype_char(v->p[i]) && v->p[i] != ':' &&
		    branch_sure(v, i))
			return true;
	}

	return !sip_via_decode(&via, v);
}


/* a header libre decodes as it reads it: where its decoder would fail */
static int check(struct pcapr_hdrs *it, enum sip_hdrid id,
		 const struct pl *val)
{
	bool ok;

	switch (id) {

	case SIP_HDR_VIA:
		if (it->via)
			return 0;
		it->via = true;
		ok = val->l && via_ok(val);
		break;

	case SIP_HDR_TO:
	case SIP_HDR_FROM:
		ok = val->l && addr_ok(val);
		break;

	case SIP_HDR_CSEQ:
		return cseq_met(&it->cseq_met, val);

	case SIP_HDR_CONTENT_TYPE:
		ok = ctype_ok(val);
		break;

	default:
		return 0;
	}

	return ok ? 0 : EBADMSG;
}


/**
 * Start a walk over the headers of a SIP message (p, len: the whole
 * message, its start line first), one pcapr_sip_scan took or not.
 */
void pcapr_hdrs_init(struct pcapr_hdrs *it, const uint8_t *p, size_t len)
{
	const uint8_t *nl;

	memset(it, 0, sizeof(*it));
	if (!p)
		return;

	/* the start line has no LF before its end (pcapr_sip_scan) */
	nl = memchr(p, '\n', len);
	it->p = nl ? nl + 1 : p + len;
	it->end = p + len;
}


/**
 * The next header of a message as libre's sip_msg_decode lists it
 * (sip_msg.hdrl): its name as spelt and libre's id for it (compact
 * forms, any case), its value with folded line ends kept and white
 * space around it dropped. Via and Route come once per comma-separated
 * value; other list headers (Contact, Supported, …) once per line.
 * it->cseq_met is the last CSeq's method, as libre's msg->cseq.met.
 *
 * Returns 0, ENOENT after the last header (it->p then at the body),
 * EBADMSG where libre refuses the message (a header line without a
 * name; a To, From, CSeq, Content-Type or first Via its decoders refuse)
 * or ENODATA (cut short).
 */
int pcapr_hdrs_next(struct pcapr_hdrs *it, struct pcapr_hdr *h)
{
	int err;

	if (!it || !h)
		return EINVAL;

	if (!it->split) {
		err = line_next(it, &it->line.name, &it->line.val);
		if (err)
			return err;
		it->line.id = hdr_id(&it->line.name);

		/* one value without a comma: the line's (mostly) */
		if ((it->line.id == SIP_HDR_VIA ||
		     it->line.id == SIP_HDR_ROUTE) && it->line.val.l &&
		    memchr(it->line.val.p, ',', it->line.val.l)) {
			it->rest = it->line.val.p;
			it->rend = it->rest + it->line.val.l;
			it->split = true;
		}
		else if (comma_separated(it->line.id))
			line_whole(&it->line.val);
	}

	*h = it->line;
	if (it->split)
		item_next(it, &h->val);

	return check(it, h->id, &h->val);
}
