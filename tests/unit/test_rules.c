/* tests/unit/test_rules.c — every conformance rule fires on a crafted
 * message that breaks it and stays silent on a correct one */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "scenario.h"
#include "msgrec.h"
#include "ledger.h"
#include "rules.h"
#include "diag.h"
#include "rulefeed.h"


#define SDP_OFFER \
	"v=0\n" \
	"o=alice 1 1 IN IP4 127.0.0.10\n" \
	"s=-\n" \
	"c=IN IP4 127.0.0.10\n" \
	"t=0 0\n" \
	"m=audio 20000 RTP/AVP 0 8 101\n" \
	"a=rtpmap:101 telephone-event/8000\n"

#define SDP_ANSWER \
	"v=0\n" \
	"o=bob 2 2 IN IP4 127.0.0.11\n" \
	"s=-\n" \
	"c=IN IP4 127.0.0.11\n" \
	"t=0 0\n" \
	"m=audio 20002 RTP/AVP 0 101\n" \
	"a=rtpmap:101 telephone-event/8000\n"

/* SRTP (RFC 4568): RFC 4568 §4's key; an offer of two suites, an answer
 * taking the second */
#define CKEY "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
#define SRTP_OFFER \
	"v=0\no=alice 1 1 IN IP4 127.0.0.10\ns=-\nc=IN IP4 127.0.0.10\n" \
	"t=0 0\nm=audio 20000 RTP/SAVP 0\n" \
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 " CKEY "\n" \
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 " CKEY "\n"
#define SRTP_ANSWER \
	"v=0\no=bob 2 2 IN IP4 127.0.0.11\ns=-\nc=IN IP4 127.0.0.11\n" \
	"t=0 0\nm=audio 20002 RTP/SAVP 0\n" \
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 " CKEY "\n"

#define INVITE_HEAD \
	"INVITE sip:bob@example.test SIP/2.0\n" \
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa;rport\n" \
	"Max-Forwards: 70\n" \
	"From: <sip:alice@example.test>;tag=a1\n" \
	"To: <sip:bob@example.test>\n" \
	"Call-ID: c1@127.0.0.10\n" \
	"CSeq: 1 INVITE\n" \
	"Contact: <sip:alice@127.0.0.10:5060>\n" \
	"Content-Type: application/sdp\n" \
	"Content-Length: ?\n"

static const char invite[] = INVITE_HEAD "\n" SDP_OFFER;
static const char invite_srtp[] = INVITE_HEAD "\n" SRTP_OFFER;

static const char invite_rr[] =
	"INVITE sip:bob@127.0.0.11:5060 SIP/2.0\n"
	"Via: SIP/2.0/UDP 127.0.0.13:5060;branch=z9hG4bKppp\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa;rport\n"
	"Max-Forwards: 69\n"
	"Record-Route: <sip:127.0.0.13:5060;lr>\n"
	"From: <sip:alice@example.test>;tag=a1\n"
	"To: <sip:bob@example.test>\n"
	"Call-ID: c1@127.0.0.10\n"
	"CSeq: 1 INVITE\n"
	"Contact: <sip:alice@127.0.0.10:5060>\n"
	"Content-Type: application/sdp\n"
	"Content-Length: ?\n"
	"\n" SDP_OFFER;

#define OK200_HEAD \
	"SIP/2.0 200 OK\n" \
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa;rport=5060;" \
	"received=127.0.0.10\n" \
	"From: <sip:alice@example.test>;tag=a1\n" \
	"To: <sip:bob@example.test>;tag=b1\n" \
	"Call-ID: c1@127.0.0.10\n" \
	"CSeq: 1 INVITE\n" \
	"Contact: <sip:bob@127.0.0.11:5060>\n" \
	"Content-Type: application/sdp\n" \
	"Content-Length: ?\n"

static const char ok200[] = OK200_HEAD "\n" SDP_ANSWER;
static const char ok200_srtp[] = OK200_HEAD "\n" SRTP_ANSWER;

static const char ok200_rr[] =
	"SIP/2.0 200 OK\n"
	"Via: SIP/2.0/UDP 127.0.0.13:5060;branch=z9hG4bKppp\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa;rport\n"
	"Record-Route: <sip:127.0.0.13:5060;lr>\n"
	"From: <sip:alice@example.test>;tag=a1\n"
	"To: <sip:bob@example.test>;tag=b1\n"
	"Call-ID: c1@127.0.0.10\n"
	"CSeq: 1 INVITE\n"
	"Contact: <sip:bob@127.0.0.11:5060>\n"
	"Content-Length: 0\n\n";

static const char forwarded[] =
	"INVITE sip:bob@127.0.0.11:5060 SIP/2.0\n"
	"Via: SIP/2.0/UDP 127.0.0.13:5060;branch=z9hG4bKppp\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa;rport\n"
	"Max-Forwards: 69\n"
	"Record-Route: <sip:127.0.0.13:5060;lr>\n"
	"From: <sip:alice@example.test>;tag=a1\n"
	"To: <sip:bob@example.test>\n"
	"Call-ID: c1@127.0.0.10\n"
	"CSeq: 1 INVITE\n"
	"Contact: <sip:alice@127.0.0.10:5060>\n"
	"Content-Length: 0\n\n";

#define RESP(code, reason, extra) \
	"SIP/2.0 " code " " reason "\n" \
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa\n" \
	"From: <sip:alice@example.test>;tag=a1\n" \
	"To: <sip:bob@example.test>;tag=b1\n" \
	"Call-ID: c1@127.0.0.10\n" \
	"CSeq: 1 INVITE\n" extra \
	"Content-Length: 0\n\n"

/* a response to a request of another method */
#define RESP_TO(code, reason, met, extra) \
	"SIP/2.0 " code " " reason "\n" \
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa\n" \
	"From: <sip:alice@example.test>;tag=a1\n" \
	"To: <sip:bob@example.test>;tag=b1\n" \
	"Call-ID: c1@127.0.0.10\n" \
	"CSeq: 1 " met "\n" extra \
	"Content-Length: 0\n\n"

#define INDIALOG(method, cseq, extra) \
	method " sip:alice@127.0.0.10:5060 SIP/2.0\n" \
	"Via: SIP/2.0/UDP 127.0.0.11:5060;branch=z9hG4bK" cseq "\n" \
	"Max-Forwards: 70\n" \
	"From: <sip:bob@example.test>;tag=b1\n" \
	"To: <sip:alice@example.test>;tag=a1\n" \
	"Call-ID: c1@127.0.0.10\n" \
	"CSeq: " cseq " " method "\n" extra

static const char notify[] =
	INDIALOG("NOTIFY", "7", "Event: refer\n"
		 "Subscription-State: active;expires=60\n"
		 "Content-Type: message/sipfrag\n"
		 "Content-Length: ?\n\nSIP/2.0 100 Trying\n");

/* B's re-INVITE, after its 200 OK (ok200: o=bob 2 2): the version rises
 * by one and the direction changes */
static const char reinvite_b[] =
	INDIALOG("INVITE", "6", "Contact: <sip:bob@127.0.0.11:5060>\n"
		 "Content-Type: application/sdp\n"
		 "Content-Length: ?\n\n"
		 "v=0\n"
		 "o=bob 2 3 IN IP4 127.0.0.11\n"
		 "s=-\n"
		 "c=IN IP4 127.0.0.11\n"
		 "t=0 0\n"
		 "m=audio 20002 RTP/AVP 0 101\n"
		 "a=rtpmap:101 telephone-event/8000\n"
		 "a=sendonly\n");

static const char cancel[] =
	"CANCEL sip:bob@example.test SIP/2.0\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa;rport\n"
	"Max-Forwards: 70\n"
	"From: <sip:alice@example.test>;tag=a1\n"
	"To: <sip:bob@example.test>\n"
	"Call-ID: c1@127.0.0.10\n"
	"CSeq: 1 CANCEL\n"
	"Content-Length: 0\n\n";

/* a rule, a correct message, and the edit (from -> to) that breaks it */
struct row {
	const char *id;
	const char *good;
	const char *from, *to;
	const char *req;     /* the request a response answers */
	const char *ant;     /* the request a proxy received */
	const char *prev;    /* an earlier message the receiver got */
};

static const struct row rows[] = {
	{"SIP-VERSION", ok200, "SIP/2.0 200", "SIP/3.0 200", invite},
	{"VIA-PRESENT", invite,
	 "Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa;rport\n", ""},
	{"VIA-BRANCH-COOKIE", invite, "branch=z9hG4bKaaa", "branch=1234"},
	{"VIA-PROTOCOL", invite, "Max-Forwards: 70\n",
	 "Via: SIP/3.0/UDP 192.0.2.1;branch=z9hG4bKx\nMax-Forwards: 70\n"},
	{"FROM-PRESENT", invite, "From: <sip:alice@example.test>;tag=a1\n",
	 ""},
	{"TO-PRESENT", invite, "To: <sip:bob@example.test>\n", ""},
	{"CALLID-PRESENT", invite, "Call-ID: c1@127.0.0.10\n", ""},
	{"CSEQ-PRESENT", invite, "CSeq: 1 INVITE\n", ""},
	{"CSEQ-RANGE", invite, "CSeq: 1 INVITE", "CSeq: 2147483648 INVITE"},
	{"SINGLE-VALUED", invite, "Call-ID: c1@127.0.0.10\n",
	 "Call-ID: c1@127.0.0.10\nCall-ID: c2@127.0.0.10\n"},
	{"CONTENT-LENGTH", invite, "Content-Length: ?",
	 "Content-Length: 999"},
	{"CONTENT-TYPE", invite, "Content-Type: application/sdp\n", ""},
	{"CALLID-SYNTAX", invite, "Call-ID: c1@127.0.0.10",
	 "Call-ID: c1@127@0.0.10"},
	{"MAXFWD-PRESENT", invite, "Max-Forwards: 70\n", ""},
	{"MAXFWD-RANGE", invite, "Max-Forwards: 70", "Max-Forwards: 256"},
	{"FROM-TAG", invite, ">;tag=a1\nTo", ">\nTo"},
	{"CSEQ-METHOD", invite, "CSeq: 1 INVITE", "CSeq: 1 OPTIONS"},
	{"CONTACT-INVITE", invite, "Contact: <sip:alice@127.0.0.10:5060>\n",
	 ""},
	{"CONTACT-SINGLE", invite, "Contact: <sip:alice@127.0.0.10:5060>",
	 "Contact: <sip:alice@127.0.0.10:5060>, <sip:alice@127.0.0.9>"},
	{"INDIALOG-TO-TAG", INDIALOG("BYE", "5", "Content-Length: 0\n\n"),
	 ">;tag=a1", ">"},
	{"REFER-TO-ONE", INDIALOG("REFER", "5", "Refer-To: <sip:carol@x>\n"
				  "Content-Length: 0\n\n"),
	 "Refer-To: <sip:carol@x>\n",
	 "Refer-To: <sip:carol@x>\nRefer-To: <sip:dave@x>\n"},
	{"SUBSCRIBE-EVENT", INDIALOG("SUBSCRIBE", "5", "Event: presence\n"
				     "Contact: <sip:bob@127.0.0.11>\n"
				     "Content-Length: 0\n\n"),
	 "Event: presence\n", ""},
	{"NOTIFY-EVENT", notify, "Event: refer\n", ""},
	{"NOTIFY-SUBSTATE", notify, "Subscription-State: active;expires=60\n",
	 ""},
	{"NOTIFY-REFER-SIPFRAG", notify, "message/sipfrag", "text/plain"},
	{"CANCEL-MIRRORS-INVITE", cancel, "branch=z9hG4bKaaa",
	 "branch=z9hG4bKbbb", NULL, NULL, invite},
	{"CSEQ-INCREASES", INDIALOG("INFO", "6", "Content-Length: 0\n\n"),
	 "CSeq: 6 INFO", "CSeq: 5 INFO", NULL, NULL,
	 INDIALOG("INFO", "5", "Content-Length: 0\n\n")},
	{"TO-TAG-RESPONSE", RESP("180", "Ringing", ""), ">;tag=b1", ">",
	 invite},
	{"RESP-VIA-ECHO", ok200, "branch=z9hG4bKaaa", "branch=z9hG4bKzzz",
	 invite},
	{"RESP-IDS-ECHO", ok200, "Call-ID: c1@", "Call-ID: c9@", invite},
	{"RR-ECHO", ok200_rr, "Record-Route: <sip:127.0.0.13:5060;lr>\n", "",
	 invite_rr},
	{"CONTACT-2XX-INVITE", ok200, "Contact: <sip:bob@127.0.0.11:5060>\n",
	 "", invite},
	{"CONTACT-3XX", RESP("302", "Moved Temporarily",
			     "Contact: <sip:carol@x>\n"),
	 "Contact: <sip:carol@x>\n", "", invite},
	{"ALLOW-405", RESP("405", "Method Not Allowed", "Allow: INVITE\n"),
	 "Allow: INVITE\n", "", invite},
	{"WWW-AUTH-401", RESP("401", "Unauthorized",
			      "WWW-Authenticate: Digest realm=\"x\"\n"),
	 "WWW-Authenticate: Digest realm=\"x\"\n", "", invite},
	{"PROXY-AUTH-407", RESP("407", "Proxy Authentication Required",
				"Proxy-Authenticate: Digest realm=\"x\"\n"),
	 "Proxy-Authenticate: Digest realm=\"x\"\n", "", invite},
	{"MIN-EXPIRES-423", RESP_TO("423", "Interval Too Brief", "REGISTER",
				    "Min-Expires: 600\n"),
	 "Min-Expires: 600\n", ""},
	{"UNSUPPORTED-420", RESP("420", "Bad Extension",
				 "Unsupported: foo\n"),
	 "Unsupported: foo\n", "", invite},
	{"PROXY-MAXFWD", forwarded, "Max-Forwards: 69", "Max-Forwards: 70",
	 NULL, invite},
	{"PROXY-VIA", forwarded,
	 "Via: SIP/2.0/UDP 127.0.0.13:5060;branch=z9hG4bKppp\n", "", NULL,
	 invite},
	{"RR-LR", forwarded, "127.0.0.13:5060;lr>", "127.0.0.13:5060>", NULL,
	 invite},
	{"SDP-VERSION", invite, "\nv=0\n", "\nv=1\n"},
	{"SDP-ORIGIN", invite, "o=alice 1 1 IN IP4 127.0.0.10\n",
	 "o=alice 1 IN IP4 127.0.0.10\n"},
	{"SDP-CONNECTION", invite, "c=IN IP4 127.0.0.10\n", ""},
	{"SDP-RTPMAP", invite, "a=rtpmap:101 telephone-event/8000\n", ""},
	{"SDP-ANSWER-MLINES", ok200, "a=rtpmap:101 telephone-event/8000\n",
	 "a=rtpmap:101 telephone-event/8000\nm=video 0 RTP/AVP 31\n",
	 invite},
	{"SDP-ANSWER-PT", ok200, "RTP/AVP 0 101", "RTP/AVP 18", invite},
	{"SDP-ORIGIN-NEXT", reinvite_b, "o=bob 2 3 ", "o=bob 2 5 ", NULL,
	 NULL, ok200},
	{"CRYPTO-SYNTAX", invite_srtp, "crypto:2 AES", "crypto:x AES"},
	{"CRYPTO-ANSWER", ok200_srtp, "a=crypto:2 ", "a=crypto:3 ",
	 invite_srtp},
};


/* CRLF line ends; "Content-Length: ?" becomes the body's length */
static struct mbuf *mk(const char *text)
{
	struct mbuf *mb = mbuf_alloc(strlen(text) * 2);
	const char *body, *q, *p;
	size_t blen = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	body = strstr(text, "\n\n");
	if (body)
		for (p = body + 2; *p; p++)
			blen += *p == '\n' ? 2 : 1;

	for (p = text; *p; p++) {
		q = strstr(p, "Content-Length: ?");
		if (q == p) {
			mbuf_printf(mb, "Content-Length: %zu", blen);
			p += strlen("Content-Length: ?") - 1;
			continue;
		}
		if (*p == '\n')
			mbuf_write_u8(mb, '\r');
		mbuf_write_u8(mb, (uint8_t)*p);
	}

	mb->pos = 0;
	return mb;
}


static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	out = mem_zalloc(strlen(text) + strlen(to) + 1, NULL);
	memcpy(out, text, (size_t)(at - text));
	strcat(out, to);
	strcat(out, at + strlen(from));
	return out;
}


static struct role ra = {.name = "A"}, rb = {.name = "B"};


static struct msgrec *rec(const char *text, struct role *from)
{
	struct mbuf *mb = mk(text);
	struct msgrec *r = NULL;

	CU_ASSERT_EQUAL_FATAL(msgrec_alloc(&r, mb), 0);
	mem_deref(mb);
	if (!r->msg)
		re_fprintf(stderr, "\n  does not parse (%m):\n%s\n",
			   r->decode_err, text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->msg);
	r->from = from;
	r->to = from == &ra ? &rb : &ra;
	return r;
}


/* does the row's rule fire on text? */
static bool fires(const struct row *w, const char *text)
{
	const struct rule *ru = rule_find(w->id);
	struct msgrec *r, *req = NULL, *ant = NULL, *prev = NULL;
	struct ledger rcv;
	struct rulectx c;
	char *bad = NULL;
	bool hit;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ru);
	memset(&rcv, 0, sizeof(rcv));

	r = rec(text, w->prev && strstr(w->prev, "INFO") ? &rb : &ra);
	if (w->req)
		req = rec(w->req, &ra);
	if (w->ant)
		ant = rec(w->ant, &ra);
	if (w->prev) {
		prev = rec(w->prev, r->from);
		list_append(&rcv.rx, &prev->rx_le, prev);
	}
	list_append(&rcv.rx, &r->rx_le, r);

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.m = r->msg;
	c.req = req;
	c.ant = ant;
	c.rcv = &rcv;
	hit = ru->check(&c, &bad);

	mem_deref(bad);
	mem_deref(r);
	mem_deref(req);
	mem_deref(ant);
	mem_deref(prev);
	return hit;
}


static void test_each_rule_fires_and_stays_silent(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *w = &rows[i];
		char *bad = edit(w->good, w->from, w->to);
		bool silent = !fires(w, w->good);
		bool fired = fires(w, bad);

		if (!silent || !fired)
			re_fprintf(stderr, "\n  %s: silent on good: %s, fires "
				   "on bad: %s", w->id, silent ? "yes" : "NO",
				   fired ? "yes" : "NO");
		CU_ASSERT_TRUE(silent);
		CU_ASSERT_TRUE(fired);
		mem_deref(bad);
	}
}


/* a correct message breaks no rule at all */
static void test_correct_messages_break_nothing(void)
{
	const char *good[] = {invite, ok200, forwarded, notify, cancel};
	size_t i, j, n;
	const struct rule *t = rules_table(&n);

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		for (j = 0; j < n; j++) {
			struct row w = {t[j].id, good[i], "", "",
					i == 1 ? invite : NULL,
					i == 2 ? invite : NULL,
					i == 4 ? invite : NULL};
			bool f = fires(&w, good[i]);

			if (f)
				re_fprintf(stderr, "\n  %s fires on correct "
					   "message %zu", t[j].id, i);
			CU_ASSERT_FALSE(f);
		}
	}
}


#define RR13 "Record-Route: <sip:127.0.0.13:5060;lr>\n"
#define RR14 "Record-Route: <sip:127.0.0.14;lr>\n"
#define RR15 "Record-Route: <sip:127.0.0.15;lr>\n"

/* the rest of an INVITE without a body, from From on */
#define INVITE_TAIL \
	"From: <sip:alice@example.test>;tag=a1\n" \
	"To: <sip:bob@example.test>\n" \
	"Call-ID: c1@127.0.0.10\n" \
	"CSeq: 1 INVITE\n" \
	"Contact: <sip:alice@127.0.0.10:5060>\n" \
	"Content-Length: 0\n\n"

/* the request of ok200_rr with a second Record-Route value below */
static const char invite_rr2[] =
	"INVITE sip:bob@127.0.0.11:5060 SIP/2.0\n"
	"Via: SIP/2.0/UDP 127.0.0.13:5060;branch=z9hG4bKppp\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa;rport\n"
	"Max-Forwards: 69\n"
	RR13 RR14 INVITE_TAIL;

/* what a strict-routing (RFC 2543) proxy upstream left: no lr */
static const char invite_strict_rr[] =
	"INVITE sip:bob@127.0.0.11:5060 SIP/2.0\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKaaa;rport\n"
	"Max-Forwards: 70\n"
	"Record-Route: <sip:127.0.0.12:5060>\n"
	INVITE_TAIL;

/* a changed rule beyond its row: what the RFC forbids still gives the
 * finding, what it allows gives none (from -> to edits the message; ""
 * takes it as it is) */
static const struct kase {
	const char *why;
	struct row w;
	bool fires;
} cases[] = {
	/* RFC 3264 §6.1: "The stream MAY indicate additional media
	 * formats, not listed in the corresponding stream in the offer" */
	{"an answer adds a format the offer lacks",
	 {"SDP-ANSWER-PT", ok200, "RTP/AVP 0 101", "RTP/AVP 0 18 101",
	  invite}, false},
	{"an answer renumbers a dynamic payload type",
	 {"SDP-ANSWER-PT", ok200, "RTP/AVP 0 101\na=rtpmap:101",
	  "RTP/AVP 100\na=rtpmap:100", invite}, false},
	{"an answer rejects a stream (port 0) with no common format",
	 {"SDP-ANSWER-PT", ok200, "m=audio 20002 RTP/AVP 0 101",
	  "m=audio 0 RTP/AVP 18", invite}, false},
	{"an accepted stream shares no format with the offer",
	 {"SDP-ANSWER-PT", ok200, "RTP/AVP 0 101", "RTP/AVP 18 102",
	  invite}, true},
	/* RFC 4568 §5.1.2: the answerer "MUST either accept exactly one
	 * of the offered crypto attributes, or the offered stream MUST be
	 * rejected" */
	{"an SRTP answer without a=crypto",
	 {"CRYPTO-ANSWER", ok200_srtp, "a=crypto:2 AES_CM_128_HMAC_SHA1_32 "
	  CKEY "\n", "", invite_srtp}, true},
	{"an SRTP answer with a suite the tag was not offered with",
	 {"CRYPTO-ANSWER", ok200_srtp, "crypto:2 AES_CM_128_HMAC_SHA1_32",
	  "crypto:2 AES_CM_128_HMAC_SHA1_80", invite_srtp}, true},
	{"an SRTP answer with two a=crypto lines",
	 {"CRYPTO-ANSWER", ok200_srtp, "a=crypto:2 ",
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 " CKEY "\na=crypto:2 ",
	  invite_srtp}, true},
	{"an SRTP stream rejected (port 0) without a=crypto",
	 {"CRYPTO-ANSWER", ok200_srtp, "m=audio 20002 RTP/SAVP 0\n"
	  "a=crypto:2 AES_CM_128_HMAC_SHA1_32 " CKEY "\n",
	  "m=audio 0 RTP/SAVP 0\n", invite_srtp}, false},
	{"a plain RTP offer asks no a=crypto of the answer",
	 {"CRYPTO-ANSWER", ok200, "", "", invite}, false},
	{"an SRTP key one octet short (RFC 4568 §6.1)",
	 {"CRYPTO-SYNTAX", invite_srtp, CKEY "\na=crypto:2", "inline:"
	  "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVu\na=crypto:2", NULL},
	  true},
	/* RFC 3261 §12.1.1: "MUST maintain the order of those values" */
	{"the Record-Route values copied in order",
	 {"RR-ECHO", ok200_rr, RR13, RR13 RR14, invite_rr2}, false},
	{"the Record-Route values copied in another order",
	 {"RR-ECHO", ok200_rr, RR13, RR14 RR13, invite_rr2}, true},
	{"a proxy past the receiver added its value on top",
	 {"RR-ECHO", ok200_rr, RR13, RR15 RR13, invite_rr}, false},
	{"a value below the request's",
	 {"RR-ECHO", ok200_rr, RR13, RR13 RR15, invite_rr}, true},
	{"a 180 without a To tag sets up no dialog",
	 {"RR-ECHO", RESP("180", "Ringing", ""), ";tag=b1", "", invite_rr},
	 false},
	/* RFC 3261 §18.3: extra datagram bytes "MUST be discarded" */
	{"bytes beyond Content-Length",
	 {"CONTENT-LENGTH", invite, "Content-Length: ?",
	  "Content-Length: 10"}, false},
	{"Max-Forwards with leading zeros (RFC 4475 §3.1.1.1)",
	 {"MAXFWD-RANGE", invite, "Max-Forwards: 70", "Max-Forwards: 0068"},
	 false},
	{"Max-Forwards 256 with a leading zero",
	 {"MAXFWD-RANGE", invite, "Max-Forwards: 70", "Max-Forwards: 0256"},
	 true},
	/* §25.1: transport = "UDP" / "TCP" / "TLS" / "SCTP" /
	 * other-transport */
	{"a transport not named by RFC 3261",
	 {"VIA-PROTOCOL", invite, "Max-Forwards: 70\n",
	  "Via: SIP/2.0/UNKNOWN 192.0.2.1;branch=z9hG4bKx\n"
	  "Max-Forwards: 70\n"}, false},
	/* §25.1: callid = word [ "@" word ] */
	{"a Call-ID of the grammar's unusual word characters",
	 {"CALLID-SYNTAX", invite, "Call-ID: c1@127.0.0.10",
	  "Call-ID: a(b)<c>:\"/[]?{}~`'@word"}, false},
	{"a Call-ID with a semicolon",
	 {"CALLID-SYNTAX", invite, "Call-ID: c1@127.0.0.10",
	  "Call-ID: c1;x@127.0.0.10"}, true},
	/* §16.6 step 4 binds the proxy adding a value */
	{"a strict router upstream left a value without lr",
	 {"RR-LR", invite_strict_rr, "Record-Route: <sip:127.0.0.12:5060>\n",
	  "Record-Route: <sip:127.0.0.13;lr>\n"
	  "Record-Route: <sip:127.0.0.12:5060>\n", NULL, invite_strict_rr},
	 false},
	{"a response echoes a value without lr",
	 {"RR-LR", ok200_rr, ";lr>", ">", invite_rr}, false},
	{"a proxy adds a tel URI",
	 {"RR-LR", forwarded, "<sip:127.0.0.13:5060;lr>",
	  "<tel:+15551234;lr>", NULL, invite}, true},
	/* RFC 3261 §10.3, RFC 3265 §7.1: 423 to REGISTER and SUBSCRIBE */
	{"a 423 to INVITE",
	 {"MIN-EXPIRES-423", RESP("423", "Interval Too Brief", ""), "", ""},
	 false},
	{"a 423 to SUBSCRIBE",
	 {"MIN-EXPIRES-423", RESP_TO("423", "Interval Too Brief", "SUBSCRIBE",
				     ""), "", ""}, true},
	/* §20.20: display name and brackets do not matter */
	{"the From of the response in another form",
	 {"RESP-IDS-ECHO", ok200, "From: <sip:alice@example.test>;tag=a1",
	  "From: \"Alice\" <sip:alice@EXAMPLE.test> ;tag=a1", invite},
	 false},
	{"another From tag",
	 {"RESP-IDS-ECHO", ok200, ";tag=a1", ";tag=a2", invite}, true},
	/* RFC 3265 §3.1.2: "exactly one" */
	{"two Event headers in a SUBSCRIBE",
	 {"SUBSCRIBE-EVENT", INDIALOG("SUBSCRIBE", "5", "Event: presence\n"
				      "Contact: <sip:bob@127.0.0.11>\n"
				      "Content-Length: 0\n\n"),
	  "Event: presence\n", "Event: presence\nEvent: dialog\n"}, true},
	/* RFC 4566 §8.2.3 names the RTP profiles */
	{"a number format of a non-RTP stream",
	 {"SDP-RTPMAP", invite, "a=rtpmap:101 telephone-event/8000\n",
	  "a=rtpmap:101 telephone-event/8000\nm=image 20004 udptl 100\n"},
	 false},
	/* §16.10: a proxy makes its CANCEL as §9.1 does */
	{"a proxy's own CANCEL: one Via, Max-Forwards 70",
	 {"PROXY-VIA", cancel, "", "", NULL, cancel}, false},
	{"a proxy's own CANCEL",
	 {"PROXY-MAXFWD", cancel, "", "", NULL, cancel}, false},
};


static void test_changed_rules_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct kase *k = &cases[i];
		char *t = k->w.from[0] ? edit(k->w.good, k->w.from, k->w.to)
				       : NULL;
		bool f = fires(&k->w, t ? t : k->w.good);

		if (f != k->fires)
			re_fprintf(stderr, "\n  %s, %s: %s", k->w.id, k->why,
				   f ? "fires" : "silent");
		CU_ASSERT_EQUAL(f, k->fires);
		mem_deref(t);
	}
}


/* the severity follows the RFC's keyword: the only SHOULD is
 * CONTACT-3XX; the rules the RFCs do not back are gone */
static void test_severity_follows_the_rfc(void)
{
	size_t i, n;
	const struct rule *t = rules_table(&n);

	for (i = 0; i < n; i++) {
		enum rule_sev want = !strcmp(t[i].id, "CONTACT-3XX") ?
				     RULE_WARNING : RULE_ERROR;

		if (t[i].sev != want)
			re_fprintf(stderr, "\n  %s: severity %d", t[i].id,
				   t[i].sev);
		CU_ASSERT_EQUAL(t[i].sev, want);
	}

	/* RFC 3261 §7.1: "a general URI"; §8.1.1.2: other URI schemes */
	CU_ASSERT_PTR_NULL(rule_find("RURI-SCHEME"));
	CU_ASSERT_PTR_NULL(rule_find("FROM-TO-SCHEME"));
}


/* every rule on text (a response to req); the number that fail the
 * step, and the first finding's text in *out */
static int check(const char *text, const char *req, bool strict,
		 char **out)
{
	struct msgrec *r = rec(text, &rb), *q = req ? rec(req, &ra) : NULL;
	struct list findings = LIST_INIT;
	struct ledger rcv;
	struct rulectx c;
	int n;

	memset(&rcv, 0, sizeof(rcv));
	list_append(&rcv.rx, &r->rx_le, r);
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.m = r->msg;
	c.req = q;
	c.rcv = &rcv;
	n = rules_check(&findings, &c, NULL, NULL, strict);
	if (out && findings.head)
		(void)re_sdprintf(out, "%H", finding_print,
				  findings.head->data);
	if (findings.head)
		CU_ASSERT_EQUAL(finding_fails(findings.head->data), n > 0);
	list_flush(&findings);
	list_clear(&rcv.rx);
	mem_deref(r);
	mem_deref(q);
	return n;
}


/* run --strict: a warning (a SHOULD) fails the step, and says so */
static void test_strict_fails_on_warnings(void)
{
	static const char moved[] = RESP("302", "Moved Temporarily", "");
	char *text = NULL;

	CU_ASSERT_EQUAL(check(moved, invite, false, &text), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "CONTACT-3XX"));
	CU_ASSERT_PTR_NULL(strstr(text, "--strict"));
	text = mem_deref(text);

	CU_ASSERT_EQUAL(check(moved, invite, true, &text), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "CONTACT-3XX"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "failing the step under "
				      "--strict"));
	text = mem_deref(text);

	/* an error fails either way; a correct message under --strict
	 * breaks nothing */
	CU_ASSERT_EQUAL(check(RESP("405", "Method Not Allowed", ""), invite,
			      false, NULL), 1);
	CU_ASSERT_EQUAL(check(ok200, invite, true, NULL), 0);

	/* the RFC allows To and Request-URI schemes other than sip */
	CU_ASSERT_EQUAL(check(RESP_TO("200", "OK", "OPTIONS", ""), NULL,
			      true, NULL), 0);
}


/* SDP-ORIGIN-NEXT beyond its row: what counts as the party's SDP before */
static void test_sdp_origin_next_cases(void)
{
	static const char same[] =
		INDIALOG("INVITE", "6", "Contact: <sip:bob@127.0.0.11:5060>\n"
			 "Content-Type: application/sdp\n"
			 "Content-Length: ?\n\n" SDP_ANSWER);
	struct row w = {"SDP-ORIGIN-NEXT", NULL, "", "", NULL, NULL, ok200};
	char *t, *t2;

	/* another session id, another address in o= */
	t = edit(reinvite_b, "o=bob 2 3 ", "o=bob 9 3 ");
	CU_ASSERT_TRUE(fires(&w, t));
	mem_deref(t);
	t = edit(reinvite_b, "o=bob 2 3 IN IP4 127.0.0.11",
		 "o=bob 2 3 IN IP4 192.0.2.11");
	CU_ASSERT_TRUE(fires(&w, t));
	mem_deref(t);

	/* the same version: only with the very same SDP */
	CU_ASSERT_FALSE(fires(&w, same));
	t = edit(same, "RTP/AVP 0 101", "RTP/AVP 0 8 101");
	CU_ASSERT_TRUE(fires(&w, t));
	mem_deref(t);

	/* a lower version */
	t = edit(reinvite_b, "o=bob 2 3 ", "o=bob 2 1 ");
	CU_ASSERT_TRUE(fires(&w, t));
	mem_deref(t);

	/* another call, or another party (Alice's INVITE: From tag a1, where
	 * B's re-INVITE has b1, as B's 200 OK had in To): nothing to compare
	 * with */
	t = edit(reinvite_b, "o=bob 2 3 ", "o=bob 2 7 ");
	CU_ASSERT_TRUE(fires(&w, t));
	w.prev = invite;
	CU_ASSERT_FALSE(fires(&w, t));
	mem_deref(t);
	w.prev = ok200;
	t = edit(reinvite_b, "o=bob 2 3 ", "o=bob 2 7 ");
	t2 = edit(t, "Call-ID: c1@", "Call-ID: c2@");
	CU_ASSERT_FALSE(fires(&w, t2));
	mem_deref(t2);
	mem_deref(t);
}


/* a fixed-seed generator: the same hostile messages on every run */
static uint32_t lcg(uint32_t *st)
{
	*st = *st * 1664525u + 1013904223u;
	return *st >> 8;
}


/* a good message cut, flipped and stuffed at random places */
static size_t mangle(char *b, size_t n, size_t cap, uint32_t *st)
{
	static const char marks[] = " =:;\r\n0<>\"@,";
	unsigned k = 1 + lcg(st) % 8, i;

	for (i = 0; i < k && n; i++) {
		size_t at = lcg(st) % n, l;

		switch (lcg(st) % 4) {

		case 0:
			b[at] = (char)lcg(st);
			break;
		case 1:
			b[at] = marks[lcg(st) % (sizeof(marks) - 1)];
			break;
		case 2:
			l = lcg(st) % (n - at);
			memmove(b + at, b + at + l, n - at - l);
			n -= l;
			break;
		default:
			if (n + 8 < cap) {
				memmove(b + at + 8, b + at, n - at);
				memcpy(b + at, "o=x 9 9 ", 8);
				n += 8;
			}
			break;
		}
	}

	return n;
}


/* hostile input: thousands of mangled messages (what a broken or hostile
 * device sends) through every rule, with earlier messages of the call in
 * the receiver's list; nothing may crash (the suite runs under ASan and
 * UBSan), and every finding names a rule of the table */
static void test_hostile_messages_never_crash(void)
{
	const char *seeds[] = {invite, ok200, reinvite_b, forwarded, notify,
			       cancel};
	struct rulefeed rf = {mk(invite), mk(ok200), 0, 0, 0};
	uint32_t st = 42;
	unsigned i;

	for (i = 0; i < 3000; i++) {
		struct mbuf *good = mk(seeds[i % ARRAY_SIZE(seeds)]);
		char buf[4096];
		size_t n = good->end < sizeof(buf) ? good->end : sizeof(buf);

		memcpy(buf, good->buf, n);
		mem_deref(good);
		n = mangle(buf, n, sizeof(buf), &st);
		CU_ASSERT_EQUAL(rulefeed_msg(&rf, (uint8_t *)buf, n), 0);
	}

	CU_ASSERT_EQUAL(rf.broken, 0);
	/* the mangling keeps enough of the messages to reach the rules, and
	 * breaks enough of them to make the rules speak */
	CU_ASSERT_TRUE(rf.decoded > 500);
	CU_ASSERT_TRUE(rf.found > 500);
	mem_deref(rf.invite);
	mem_deref(rf.ok);
}


static void lines(struct mbuf *mb, const char *name, const char *fmt,
		  unsigned n, unsigned k, const char *alt)
{
	unsigned i;

	for (i = 1; i <= n; i++) {
		(void)mbuf_printf(mb, "%s: ", name);
		if (i == k)
			(void)mbuf_printf(mb, "%s\r\n", alt);
		else {
			(void)mbuf_printf(mb, fmt, i);
			(void)mbuf_write_str(mb, "\r\n");
		}
	}
}


/* a request and its 200, each with 40 Via and 40 Record-Route values;
 * in the response, Via value via_k and Record-Route value rr_k changed
 * (0: none): does the rule fire on the response? */
static bool fires_40(const char *id, unsigned via_k, unsigned rr_k)
{
	static const char via[] = "SIP/2.0/UDP 127.0.0.%u;branch=z9hG4bKv";
	static const char rr[] = "<sip:127.0.0.%u;lr>";
	const struct rule *ru = rule_find(id);
	struct mbuf *q = mbuf_alloc(8192), *a = mbuf_alloc(8192);
	struct msgrec *req = NULL, *resp = NULL;
	struct rulectx c;
	char *bad = NULL;
	bool hit;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ru);
	CU_ASSERT_FATAL(q && a);
	(void)mbuf_write_str(q, "INVITE sip:bob@127.0.0.11 SIP/2.0\r\n");
	lines(q, "Via", via, 40, 0, NULL);
	lines(q, "Record-Route", rr, 40, 0, NULL);
	(void)mbuf_write_str(a, "SIP/2.0 200 OK\r\n");
	lines(a, "Via", via, 40, via_k,
	      "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx");
	lines(a, "Record-Route", rr, 40, rr_k, "<sip:192.0.2.1;lr>");
	(void)mbuf_write_str(q, "From: <sip:a@x>;tag=a1\r\nTo: <sip:b@x>\r\n"
			     "Call-ID: c40\r\nCSeq: 1 INVITE\r\n"
			     "Contact: <sip:a@127.0.0.10>\r\n"
			     "Content-Length: 0\r\n\r\n");
	(void)mbuf_write_str(a, "From: <sip:a@x>;tag=a1\r\n"
			     "To: <sip:b@x>;tag=b1\r\n"
			     "Call-ID: c40\r\nCSeq: 1 INVITE\r\n"
			     "Contact: <sip:b@127.0.0.11>\r\n"
			     "Content-Length: 0\r\n\r\n");
	CU_ASSERT_EQUAL_FATAL(msgrec_alloc(&req, q), 0);
	CU_ASSERT_EQUAL_FATAL(msgrec_alloc(&resp, a), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(req->msg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(resp->msg);

	memset(&c, 0, sizeof(c));
	c.r = resp;
	c.m = resp->msg;
	c.req = req;
	hit = ru->check(&c, &bad);
	if (hit && via_k)
		CU_ASSERT_PTR_NOT_NULL(strstr(bad, "192.0.2.1"));

	mem_deref(bad);
	mem_deref(req);
	mem_deref(resp);
	mem_deref(q);
	mem_deref(a);
	return hit;
}


/* a rule that compares lists reads every value: with 40 Vias or
 * Record-Routes, the 35th one wrong is found (no cut at 32) */
static void test_long_lists_read_to_the_end(void)
{
	CU_ASSERT_FALSE(fires_40("RESP-VIA-ECHO", 0, 0));
	CU_ASSERT_TRUE(fires_40("RESP-VIA-ECHO", 35, 0));
	CU_ASSERT_FALSE(fires_40("RR-ECHO", 0, 0));
	CU_ASSERT_TRUE(fires_40("RR-ECHO", 0, 35));
	CU_ASSERT_FALSE(fires_40("RESP-VIA-ECHO", 0, 35));
}


static void test_every_rule_has_a_test(void)
{
	size_t i, j, n;
	const struct rule *t = rules_table(&n);

	CU_ASSERT_TRUE(n >= 40);
	for (i = 0; i < n; i++) {
		for (j = 0; j < ARRAY_SIZE(rows); j++) {
			if (!strcmp(rows[j].id, t[i].id))
				break;
		}
		if (j == ARRAY_SIZE(rows))
			re_fprintf(stderr, "\n  no test row for %s", t[i].id);
		CU_ASSERT_NOT_EQUAL(j, ARRAY_SIZE(rows));
		CU_ASSERT_PTR_NOT_NULL(t[i].rfc);
		CU_ASSERT_PTR_NOT_NULL(t[i].text);
	}
}


static void test_scenario_tunes_rules(void)
{
	static const char yaml[] =
		"roles: {A: {kind: ua}, B: {kind: ua}}\n"
		"rules:\n"
		"  disable: [RR-LR]\n"
		"  severity: {CONTACT-3XX: warning}\n"
		"  reason: the device under test predates RFC 3261\n"
		"steps:\n"
		"  - F1: OPTIONS A -> B\n";
	struct scenario *sc = NULL;
	struct diag dg;

	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "t.yaml", yaml, &dg), 0);
	CU_ASSERT_EQUAL(rule_severity(rule_find("RR-LR"), sc), RULE_OFF);
	CU_ASSERT_EQUAL(rule_severity(rule_find("CONTACT-3XX"), sc),
			RULE_WARNING);
	CU_ASSERT_EQUAL(rule_severity(rule_find("FROM-TAG"), sc), RULE_ERROR);
	sc = mem_deref(sc);

	CU_ASSERT_EQUAL(scenario_load_str(&sc, "t.yaml",
		"roles: {A: {kind: ua}, B: {kind: ua}}\n"
		"rules: {disable: [RR-LX]}\n"
		"steps:\n  - F1: OPTIONS A -> B\n", &dg), EINVAL);
	CU_ASSERT_STRING_EQUAL(diag_first(&dg), "t.yaml:2:19: rules: unknown "
			       "rule 'RR-LX' (did you mean 'RR-LR'?) (sipflow "
			       "rules lists them)");
	diag_reset(&dg);
	CU_ASSERT_EQUAL(scenario_load_str(&sc, "t.yaml",
		"roles: {A: {kind: ua}, B: {kind: ua}}\n"
		"rules: {disable: [RR-LR]}\n"
		"steps:\n  - F1: OPTIONS A -> B\n", &dg), EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), "say why in reason:"));
	diag_reset(&dg);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"each_rule_fires_and_stays_silent",
		 test_each_rule_fires_and_stays_silent},
		{"correct_messages_break_nothing",
		 test_correct_messages_break_nothing},
		{"sdp_origin_next_cases", test_sdp_origin_next_cases},
		{"hostile_messages_never_crash",
		 test_hostile_messages_never_crash},
		{"long_lists_read_to_the_end",
		 test_long_lists_read_to_the_end},
		{"every_rule_has_a_test", test_every_rule_has_a_test},
		{"changed_rules_cases", test_changed_rules_cases},
		{"severity_follows_the_rfc", test_severity_follows_the_rfc},
		{"strict_fails_on_warnings", test_strict_fails_on_warnings},
		{"scenario_tunes_rules", test_scenario_tunes_rules},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("rules", tests);
}
