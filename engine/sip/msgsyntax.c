/* engine/sip/msgsyntax.c — is a message written as RFC 3261 §7 and §25.1
 * say, and if not, what is wrong with it
 *
 * libre's parser is lenient on purpose: it finds "1 INVITE" inside
 * "CSeq: -1 INVITE" (its patterns are not anchored), keeps NUL bytes in a
 * reason phrase, takes a bare LF for a line end and any first word for a
 * SIP version. A test harness must not: what a peer sends is judged as
 * the grammar writes it. And where libre gives up it says only EBADMSG or
 * ENODATA, which a person cannot act on. So the head of the message (its
 * start line and header lines, up to the empty line) is read here, line by
 * line, and the first thing that breaks the grammar is named: the line,
 * the header, what was expected, and the RFC's words. The body is the
 * rules' business (engine/check/), and so are meanings the grammar
 * allows but a MUST forbids (a CSeq at or over 2**31, two Call-IDs, a
 * Content-Length that is not the body's length).
 */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "hdr.h"
#include "msgsyntax.h"


enum { QUOTE_MAX = 48 };

#define CRLF_RFC "RFC 3261 §7: \"The start-line, each message-header " \
	"line, and the empty line MUST be terminated by a carriage-return " \
	"line-feed sequence (CRLF)\""

/* what a value of a header must look like, and the grammar quoted */
struct vcheck {
	const char *name;
	bool (*ok)(const struct pl *val);
	const char *rfc;
};


static bool is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}


static bool is_token(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("-.!%*_+`'~", c));
}


static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}


/* pl without the linear white space around it */
static struct pl trim(const struct pl *v)
{
	struct pl t = *v;

	while (t.l && is_lws(t.p[0])) {
		++t.p;
		--t.l;
	}
	while (t.l && is_lws(t.p[t.l - 1]))
		--t.l;

	return t;
}


/* 1*DIGIT and nothing else; *num its value, UINT64_MAX past 2**32-1 */
static bool digits(const struct pl *v, uint64_t *num)
{
	uint64_t n = 0;
	size_t i;

	if (!v->l)
		return false;

	for (i = 0; i < v->l; i++) {
		if (!is_digit(v->p[i]))
			return false;
		if (n <= 0xffffffffu)
			n = n * 10 + (uint64_t)(v->p[i] - '0');
	}

	*num = n <= 0xffffffffu ? n : UINT64_MAX;
	return true;
}


static bool digits_ok(const struct pl *val)
{
	struct pl t = trim(val);
	uint64_t n;

	return digits(&t, &n);
}


/* 1*DIGIT LWS Method, the number a 32-bit unsigned integer */
static bool cseq_ok(const struct pl *val)
{
	struct pl t = trim(val), num = t, met;
	uint64_t n;
	size_t i;

	for (num.l = 0; num.l < t.l && !is_lws(t.p[num.l]); num.l++)
		;
	if (!digits(&num, &n) || n == UINT64_MAX || num.l == t.l)
		return false;

	met.p = t.p + num.l;
	met.l = t.l - num.l;
	met = trim(&met);
	for (i = 0; i < met.l; i++) {
		if (!is_token(met.p[i]))
			return false;
	}

	return met.l > 0;
}


/* the first value of a list header (to its first comma) */
static struct pl first_value(const struct pl *val)
{
	struct pl f = *val;
	const char *comma = pl_strchr(val, ',');

	if (comma)
		f.l = (size_t)(comma - val->p);

	return f;
}


/* a and b are the same bytes of one buffer */
static bool same_bytes(const struct pl *a, const struct pl *b)
{
	return a && a->p && a->p == b->p && a->l == b->l;
}


/* sent-protocol LWS sent-by, as libre's sip_via_decode reads it but
 * without its branch (RFC 2543 elements send none; §8.1.1.7's MUST is
 * rule VIA-BRANCH-COOKIE's) */
static bool via_ok(const struct pl *val)
{
	struct pl f = first_value(val);

	return 0 == re_regex(f.p, f.l, "SIP[ \t\r\n]*/[ \t\r\n]*2.0"
			     "[ \t\r\n]*/[ \t\r\n]*[A-Za-z]+[ \t\r\n]*"
			     "[^; \t\r\n]+", NULL, NULL, NULL, NULL, NULL,
			     NULL, NULL);
}


static bool addr_ok(const struct pl *val)
{
	struct sip_addr addr;

	return 0 == sip_addr_decode(&addr, val);
}


static bool ctype_ok(const struct pl *val)
{
	struct msg_ctype ct;

	return 0 == msg_ctype_decode(&ct, val);
}


#define DIGITS(name, def) \
	{name, digits_ok, "RFC 3261 §25.1: " def}

static const struct vcheck vchecks[] = {
	{"CSeq", cseq_ok, "RFC 3261 §25.1: CSeq = \"CSeq\" HCOLON 1*DIGIT "
	 "LWS Method, and §8.1.1.5: \"The sequence number value MUST be "
	 "expressible as a 32-bit unsigned integer\""},
	DIGITS("Content-Length", "Content-Length = ( \"Content-Length\" / "
	       "\"l\" ) HCOLON 1*DIGIT"),
	DIGITS("Max-Forwards", "Max-Forwards = \"Max-Forwards\" HCOLON "
	       "1*DIGIT"),
	DIGITS("Expires", "Expires = \"Expires\" HCOLON delta-seconds; "
	       "delta-seconds = 1*DIGIT"),
	DIGITS("Min-Expires", "Min-Expires = \"Min-Expires\" HCOLON "
	       "delta-seconds; delta-seconds = 1*DIGIT"),
	{"Via", via_ok, "RFC 3261 §25.1: via-parm = sent-protocol LWS "
	 "sent-by *( SEMI via-params ); sent-protocol = protocol-name SLASH "
	 "protocol-version SLASH transport"},
	{"From", addr_ok, "RFC 3261 §25.1: from-spec = ( name-addr / "
	 "addr-spec ) *( SEMI from-param )"},
	{"To", addr_ok, "RFC 3261 §25.1: To = ( \"To\" / \"t\" ) HCOLON "
	 "( name-addr / addr-spec ) *( SEMI to-param )"},
	{"Content-Type", ctype_ok, "RFC 3261 §25.1: media-type = m-type "
	 "SLASH m-subtype *(SEMI m-parameter)"},
};


/* a value as a reason quotes it: its first line, at most QUOTE_MAX */
static int quote(struct re_printf *pf, const struct pl *v)
{
	struct pl q = *v;
	const char *eol = pl_strchr(v, '\r');

	if (eol)
		q.l = (size_t)(eol - v->p);
	if (q.l <= QUOTE_MAX)
		return re_hprintf(pf, "\"%r\"", &q);

	q.l = QUOTE_MAX;
	return re_hprintf(pf, "\"%r…\"", &q);
}


/*
 * The top Via as libre reads it: a sent-by it can read. The grammar lets
 * an RFC 2543 element leave the branch out (engine/sip/nobranch.c reads
 * such a message; §8.1.1.7's MUST for an RFC 3261 element is rule
 * VIA-BRANCH-COOKIE's), so the value is read with a branch added.
 */
static int check_top_via(char **whyp, unsigned no, const struct pl *val,
			 const struct sip_msg *msg)
{
	struct pl f = first_value(val), t;
	struct sip_via via;
	char buf[512];
	struct pl w;

	if (same_bytes(msg ? &msg->via.val : NULL, &f) ||
	    !sip_via_decode(&via, &f))
		return 0;

	t = trim(&f);
	if (re_snprintf(buf, sizeof(buf), "%r;branch=z9hG4bK2543", &t) > 0) {
		pl_set_str(&w, buf);
		if (!sip_via_decode(&via, &w))
			return 0;
	}

	re_sdprintf(whyp, "line %u: the top Via %H has a sent-by libre "
		    "cannot read (RFC 3261 §25.1: via-parm = sent-protocol "
		    "LWS sent-by *( SEMI via-params ))", no, quote, &t);
	return EBADMSG;
}


/* libre's decoder read exactly these bytes as this header's value (and
 * the message decoded, so it read them without error): the same decode
 * here would say the same */
static bool decoded(const struct sip_msg *msg, const struct pl *lf,
		    const struct pl *t)
{
	if (!msg)
		return false;
	if (!pl_strcasecmp(lf, "From"))
		return same_bytes(&msg->from.val, t);
	if (!pl_strcasecmp(lf, "To"))
		return same_bytes(&msg->to.val, t);

	return false;
}


static int check_value(char **whyp, unsigned no, const struct pl *name,
		       const struct pl *val, bool *via_seen,
		       const struct sip_msg *msg)
{
	struct pl t = trim(val), lf = hdr_long_form(name);
	size_t i;

	/* vchecks name long forms: one compare each (hdr_name_eq would
	 * map both names per row, on every header of every message) */
	for (i = 0; i < ARRAY_SIZE(vchecks); i++) {
		const struct vcheck *vc = &vchecks[i];

		/* the first letters differ: another header (most rows) */
		if (!lf.l || tolower((unsigned char)lf.p[0]) !=
		    tolower((unsigned char)vc->name[0]))
			continue;
		if (pl_strcasecmp(&lf, vc->name) || decoded(msg, &lf, &t) ||
		    vc->ok(&t))
			continue;

		re_sdprintf(whyp, "line %u: %s %H does not follow its "
			    "grammar (%s)", no, vc->name, quote, &t, vc->rfc);
		return EBADMSG;
	}

	if (!*via_seen && !pl_strcasecmp(&lf, "Via")) {
		*via_seen = true;
		return check_top_via(whyp, no, &t, msg);
	}

	return 0;
}


/* the control bytes the head may not hold: all but HTAB (CR and LF only
 * as a line's end, which the caller has cut off) */
static int check_ctl(char **whyp, unsigned no, const struct pl *line,
		     const char *what, const char *rfc)
{
	bool quoted = false;
	size_t i;

	for (i = 0; i < line->l; i++) {
		unsigned char c = (unsigned char)line->p[i];

		/* RFC 3261 §25.1: in a quoted-string, quoted-pair = "\"
		 * (%x00-09 / %x0B-0C / %x0E-7F): an escaped control byte
		 * is SIP (RFC 4475 §3.1.1.2 escapes BEL, NUL and DEL) */
		if (quoted && c == '\\' && i + 1 < line->l &&
		    (unsigned char)line->p[i + 1] <= 0x7f &&
		    line->p[i + 1] != '\r' && line->p[i + 1] != '\n') {
			++i;
			continue;
		}
		if (c == '"')
			quoted = !quoted;

		if ((c >= 0x20 && c != 0x7f) || c == '\t')
			continue;

		if (c == '\r') {
			re_sdprintf(whyp, "line %u (%s) holds a bare CR at "
				    "column %zu; %s", no, what, i + 1,
				    CRLF_RFC);
		}
		else {
			re_sdprintf(whyp, "line %u (%s) holds %s0x%02x%s at "
				    "column %zu; %s", no, what,
				    c ? "the control byte " : "a NUL byte (",
				    c, c ? "" : ")", i + 1, rfc);
		}
		return EBADMSG;
	}

	return 0;
}


static bool version_ok(const struct pl *v)
{
	return 0 == pl_strcasecmp(v, "SIP/2.0");
}


#define START_RFC "RFC 3261 §7.1, §7.2: Request-Line = Method SP " \
	"Request-URI SP SIP-Version CRLF; Status-Line = SIP-Version SP " \
	"Status-Code SP Reason-Phrase CRLF"

static int check_status(char **whyp, const struct pl *line,
			const struct pl *ver)
{
	struct pl code, reason;
	uint64_t n = 0;

	if (!version_ok(ver)) {
		re_sdprintf(whyp, "line 1 (the status line) names the version "
			    "%H; RFC 3261 §7.1: \"applications sending SIP "
			    "messages MUST include a SIP-Version of "
			    "\"SIP/2.0\"\"", quote, ver);
		return EBADMSG;
	}

	code.p = ver->p + ver->l + 1;
	code.l = 0;
	while (code.p + code.l < line->p + line->l && code.p[code.l] != ' ')
		++code.l;
	reason.p = code.p + code.l;
	reason.l = (size_t)(line->p + line->l - reason.p);

	if (code.l != 3 || !digits(&code, &n) || n < 100 || n > 699) {
		re_sdprintf(whyp, "line 1 (the status line) has the status "
			    "code %H, not one of three digits from 100 to "
			    "699; RFC 3261 §7.2: \"The Status-Code is a "
			    "3-digit integer result code\" and \"SIP/2.0 "
			    "allows six values for the first digit\"",
			    quote, &code);
		return EBADMSG;
	}

	if (!reason.l) {
		re_sdprintf(whyp, "line 1 (the status line) ends after the "
			    "status code, with no SP before the reason "
			    "phrase; %s", START_RFC);
		return EBADMSG;
	}

	return 0;
}


static int check_request(char **whyp, const struct pl *line,
			 const struct pl *met, const struct sip_msg *msg)
{
	struct pl uri, ver;
	struct uri u;
	const char *sp;
	size_t i;

	for (i = 0; i < met->l; i++) {
		if (!is_token(met->p[i])) {
			re_sdprintf(whyp, "line 1 (the request line) starts "
				    "with %H, which is neither a method (a "
				    "token: RFC 3261 §25.1: Method = "
				    "INVITEm / … / extension-method; "
				    "extension-method = token) nor "
				    "SIP/2.0; %s", quote, met, START_RFC);
			return EBADMSG;
		}
	}

	uri.p = met->p + met->l + 1;
	uri.l = (size_t)(line->p + line->l - uri.p);
	sp = pl_strchr(&uri, ' ');
	if (!sp) {
		re_sdprintf(whyp, "line 1 (the request line) has no SP "
			    "before a SIP version; %s", START_RFC);
		return EBADMSG;
	}
	ver.p = sp + 1;
	ver.l = (size_t)(line->p + line->l - ver.p);
	uri.l = (size_t)(sp - uri.p);

	if (!version_ok(&ver)) {
		re_sdprintf(whyp, "line 1 (the request line) ends in %H, not "
			    "the version SIP/2.0; RFC 3261 §7.1: "
			    "\"applications sending SIP messages MUST "
			    "include a SIP-Version of \"SIP/2.0\"\"",
			    quote, &ver);
		return EBADMSG;
	}

	/* libre decoded these very bytes as the message's Request-URI */
	if (!uri.l || (!same_bytes(msg ? &msg->ruri : NULL, &uri) &&
		       uri_decode(&u, &uri))) {
		re_sdprintf(whyp, "line 1 (the request line) has the "
			    "Request-URI %H, which does not parse as a URI "
			    "(RFC 3261 §25.1: Request-URI = SIP-URI / "
			    "SIPS-URI / absoluteURI)", quote, &uri);
		return EBADMSG;
	}

	return 0;
}


static int check_start(char **whyp, const struct pl *line,
		       const struct sip_msg *msg)
{
	struct pl first = *line;
	const char *sp = pl_strchr(line, ' ');
	bool status;
	int err;

	status = line->l >= 4 && !strncasecmp(line->p, "SIP/", 4);
	err = check_ctl(whyp, 1, line, status ? "the status line" :
			"the request line", status ?
			"RFC 3261 §25.1: Reason-Phrase = *(reserved / "
			"unreserved / escaped / UTF8-NONASCII / UTF8-CONT "
			"/ SP / HTAB)" : START_RFC);
	if (err)
		return err;

	if (!line->l || !sp || sp == line->p) {
		re_sdprintf(whyp, "line 1 is not a SIP start line: %s%H; %s",
			    line->l ? "" : "it is empty", quote,
			    line->l ? line : &(struct pl)PL(""), START_RFC);
		return EBADMSG;
	}
	first.l = (size_t)(sp - line->p);

	if (status || pl_strchr(&first, '/'))
		return check_status(whyp, line, &first);

	return check_request(whyp, line, &first, msg);
}


/* a header line: a name that is a token, a colon, a value */
static int check_header(char **whyp, unsigned no, const struct pl *line,
			struct pl *name, struct pl *val)
{
	const char *colon = pl_strchr(line, ':');
	size_t i;
	int err;

	err = check_ctl(whyp, no, line, "a header line",
			"RFC 3261 §25.1: header values are TEXT-UTF8 and "
			"LWS, and no control byte but HTAB is either");
	if (err)
		return err;

	if (!colon) {
		re_sdprintf(whyp, "line %u is not a header: %H has no ':'; "
			    "RFC 3261 §7.3.1: \"Each header field consists "
			    "of a field name followed by a colon (\":\") and "
			    "the field value\"", no, quote, line);
		return EBADMSG;
	}

	name->p = line->p;
	name->l = (size_t)(colon - line->p);
	while (name->l && (name->p[name->l - 1] == ' ' ||
			   name->p[name->l - 1] == '\t'))
		--name->l;
	for (i = 0; i < name->l && is_token(name->p[i]); i++)
		;
	if (!name->l || i < name->l) {
		re_sdprintf(whyp, "line %u: the header name %H is not a "
			    "token; RFC 3261 §25.1: header-name = token, "
			    "HCOLON = *( SP / HTAB ) \":\" SWS", no, quote,
			    name);
		return EBADMSG;
	}

	val->p = colon + 1;
	val->l = (size_t)(line->p + line->l - val->p);
	return 0;
}


/**
 * Whether the len bytes at p are a SIP message as RFC 3261 writes one:
 * 0 if they are; else EBADMSG and *whyp a sentence (the caller's to
 * free) naming the first line that is not, what it holds, what the
 * grammar wants, and the RFC's words. Folded header lines (a line that
 * starts with SP or HTAB continues the header above, §7.3.1) are SIP.
 */
int msgsyntax_check(char **whyp, const uint8_t *p, size_t len)
{
	return msgsyntax_check_msg(whyp, p, len, NULL);
}


/**
 * msgsyntax_check for bytes libre's sip_msg_decode decoded as msg (NULL
 * if it did not, or another decoder did): what libre already read of
 * them without error (the top Via, From, To) is not decoded again. The
 * verdict is the same as msgsyntax_check's.
 */
int msgsyntax_check_msg(char **whyp, const uint8_t *p, size_t len,
			const struct sip_msg *msg)
{
	const char *s = (const char *)p, *end = s + len;
	struct pl name = PL_INIT, val = PL_INIT;
	unsigned no = 0, hno = 0;
	bool via_seen = false;
	int err = 0;

	if (!whyp || (!p && len))
		return EINVAL;

	while (s < end) {
		const char *lf = memchr(s, '\n', (size_t)(end - s));
		struct pl line;

		++no;
		if (!lf) {
			re_sdprintf(whyp, "the header section does not end: "
				    "no empty line after line %u; RFC 3261 "
				    "§7: \"the empty line MUST be present "
				    "even if the message-body is not\"",
				    no - 1);
			return EBADMSG;
		}
		if (lf == s || lf[-1] != '\r') {
			re_sdprintf(whyp, "line %u ends in a bare LF; %s", no,
				    CRLF_RFC);
			return EBADMSG;
		}

		line.p = s;
		line.l = (size_t)(lf - 1 - s);
		s = lf + 1;

		if (no == 1) {
			err = check_start(whyp, &line, msg);
		}
		else if (line.l && (line.p[0] == ' ' || line.p[0] == '\t')) {
			/* a fold: the value above goes on */
			if (no == 2) {
				re_sdprintf(whyp, "line 2 starts with white "
					    "space, a fold of the start line; "
					    "%s", START_RFC);
				return EBADMSG;
			}
			err = check_ctl(whyp, no, &line, "a folded header "
					"line", "RFC 3261 §25.1: LWS = [*WSP "
					"CRLF] 1*WSP");
			val.l = (size_t)(line.p + line.l - val.p);
		}
		else {
			if (hno)
				err = check_value(whyp, hno, &name, &val,
						  &via_seen, msg);
			if (!err && !line.l)
				return 0;  /* the empty line: the head ends */
			if (!err)
				err = check_header(whyp, no, &line, &name,
						   &val);
			hno = no;
		}
		if (err)
			return err;
	}

	if (!no)
		re_sdprintf(whyp, "the message is empty; RFC 3261 §7: "
			    "generic-message = start-line *message-header "
			    "CRLF [ message-body ]");
	else
		re_sdprintf(whyp, "the header section does not end: no empty "
			    "line after line %u; RFC 3261 §7: \"the empty "
			    "line MUST be present even if the message-body "
			    "is not\"", no);
	return EBADMSG;
}
