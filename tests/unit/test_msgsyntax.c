/* tests/unit/test_msgsyntax.c — hostile bytes are named for what is wrong
 * with them (line, header, grammar), well-formed SIP passes */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "msgsyntax.h"
#include "msgrec.h"


#define HEAD180 "SIP/2.0 180 Ringing\r\n" \
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bK1\r\n" \
	"From: <sip:alice@example.test>;tag=a1\r\n" \
	"To: <sip:bob@example.test>;tag=b1\r\n" \
	"Call-ID: c1@example.test\r\n"
#define TAIL "Content-Length: 0\r\n\r\n"

#define INVITE "INVITE sip:bob@example.test SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bK2\r\n" \
	"Max-Forwards: 70\r\n" \
	"From: <sip:alice@example.test>;tag=a1\r\n" \
	"To: <sip:bob@example.test>\r\n" \
	"Call-ID: c2@example.test\r\n" \
	"CSeq: 1 INVITE\r\n"

/* NUL bytes inside: their lengths come from sizeof */
static const char nul_reason[] =
	"SIP/2.0 180 Ring\0ing\r\nCSeq: 1 INVITE\r\n\r\n";
static const char nul_header[] =
	HEAD180 "CSeq: 1 INVITE\r\nSubject: a\0b\r\n" TAIL;

/* RFC 4475 §3.1.1.1 wsinv: white space everywhere, folds, odd case */
#define WSINV "INVITE sip:vivekg@chair-dnrc.example.com;unknownparam " \
	"SIP/2.0\r\nTO :\r\n sip:vivekg@chair-dnrc.example.com ;   tag" \
	"    = 1918181833n\r\nfrom   : \"J Rosenberg \\\\\\\"\"       " \
	"<sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8\r\n" \
	"MaX-fOrWaRdS: 0068\r\nCall-ID: wsinv.ndaksdj@192.0.2.1\r\n" \
	"Content-Length   : 0\r\ncseq: 0009\r\n  INVITE\r\n" \
	"Via  : SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw" \
	"\r\ns :\r\nNewFangledHeader:   newfangled value\r\n continued " \
	"newfangled value\r\nUnknownHeaderWithUnusualValue: ;;,,;;,;\r\n" \
	"Route:\r\n <sip:services.example.com;lr;unknownwith=value;" \
	"unknown-no-value>\r\nv:  SIP  / 2.0  / TCP     spindle.example.com" \
	"   ;\r\n  branch  =   z9hG4bK9ikj8  ,\r\n SIP  /    2.0   / UDP  " \
	"192.168.255.111   ; branch=\r\n z9hG4bK30239\r\nm:\"Quoted string " \
	"\\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      " \
	"newvalue ;\r\n  secondparam ; q = 0.33\r\n\r\n"

/* RFC 4475 §3.1.1.2 intmeth: token characters everywhere, and BEL,
 * NUL and DEL escaped in a quoted display name */
static const char intmeth[] =
	"!interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~"
	"(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
	"(doesn't-it)@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~\r\n"
	"To: \"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f\" <sip:1_unusual.URI~"
	"(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>\r\n"
	"From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;"
	"fromParam''~+*_!.-%=\"\xd1\x80\xd0\xb0\";tag=_token~1'+`*%!-.\r\n"
	"Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{\r\n"
	"CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~\r\n"
	"Max-Forwards: 255\r\n"
	"extensionHeader-!.%*+_`'~:\xef\xbb\xbf\xe5\xa4\xa7\r\n"
	"Content-Length: 0\r\n\r\n";

/* bytes, their length (0: strlen), and a part of the reason (NULL: the
 * bytes are SIP) */
static const struct tcase {
	const char *name;
	const char *bytes;
	size_t len;
	const char *want;
} cases[] = {
	{"180", HEAD180 "CSeq: 1 INVITE\r\n" TAIL, 0, NULL},
	{"rfc4475_wsinv", WSINV, 0, NULL},
	{"via_without_branch", HEAD180 "Via: SIP/2.0/UDP old.example.test\r\n"
	 "CSeq: 1 INVITE\r\n" TAIL, 0, NULL},
	{"rfc4475_intmeth", intmeth, sizeof(intmeth) - 1, NULL},
	{"invite", INVITE TAIL, 0, NULL},
	/* RFC 3261 §7.3.1: a line that starts with white space goes on */
	{"folded", INVITE "Subject: a folded\r\n\t subject line\r\n" TAIL,
	 0, NULL},
	{"compact", "SIP/2.0 180 Ringing\r\nv: SIP/2.0/UDP h;branch=z9hG4bK"
	 "3\r\nf: <sip:a@h>;tag=1\r\nt: <sip:b@h>\r\ni: c3\r\nCSeq: 1 "
	 "INVITE\r\nl: 0\r\n\r\n", 0, NULL},
	{"empty_reason", "SIP/2.0 100 \r\nCSeq: 1 INVITE\r\n\r\n", 0, NULL},
	{"utf8_reason", "SIP/2.0 180 Klingelt \xc3\xa4\r\nCSeq: 1 INVITE"
	 "\r\n\r\n", 0, NULL},
	{"escaped_nul_uri", "INVITE sip:bob%00@example.test SIP/2.0\r\n"
	 "CSeq: 1 INVITE\r\n\r\n", 0, NULL},
	{"body_is_not_read", INVITE "Content-Length: 3\r\n\r\na\nb", 0,
	 NULL},

	{"cseq_negative", HEAD180 "CSeq: -1 INVITE\r\n" TAIL, 0,
	 "line 6: CSeq \"-1 INVITE\" does not follow its grammar (RFC 3261 "
	 "§25.1: CSeq = \"CSeq\" HCOLON 1*DIGIT LWS Method, and §8.1.1.5: "
	 "\"The sequence number value MUST be expressible as a 32-bit "
	 "unsigned integer\")"},
	{"cseq_33_bits", HEAD180 "CSeq: 4294967296 INVITE\r\n" TAIL, 0,
	 "line 6: CSeq \"4294967296 INVITE\""},
	{"cseq_no_method", HEAD180 "CSeq: 1\r\n" TAIL, 0, "CSeq \"1\""},
	{"cseq_trailing", HEAD180 "CSeq: 1 INVITE x\r\n" TAIL, 0,
	 "CSeq \"1 INVITE x\""},
	{"nul_in_reason", nul_reason, sizeof(nul_reason) - 1,
	 "line 1 (the status line) holds a NUL byte (0x00) at column 17; "
	 "RFC 3261 §25.1: Reason-Phrase ="},
	{"nul_in_header", nul_header, sizeof(nul_header) - 1,
	 "line 7 (a header line) holds a NUL byte (0x00) at column 11; "
	 "RFC 3261 §25.1"},
	{"control_byte", HEAD180 "CSeq: 1 INVITE\r\nSubject: a\x1b[2Jb\r\n"
	 TAIL, 0, "line 7 (a header line) holds the control byte 0x1b at "
	 "column 11"},
	{"bare_lf", HEAD180 "CSeq: 1 INVITE\nContent-Length: 0\r\n\r\n", 0,
	 "line 6 ends in a bare LF; RFC 3261 §7: \"The start-line, each "
	 "message-header line, and the empty line MUST be terminated by a "
	 "carriage-return line-feed sequence (CRLF)\""},
	{"bare_cr", HEAD180 "CSeq: 1 INVITE\rX: y\r\n" TAIL, 0,
	 "line 6 (a header line) holds a bare CR at column 15"},
	{"no_colon", HEAD180 "not a header line\r\n" TAIL, 0,
	 "line 6 is not a header: \"not a header line\" has no ':'; "
	 "RFC 3261 §7.3.1"},
	{"name_not_token", HEAD180 "Bad Name: x\r\n" TAIL, 0,
	 "line 6: the header name \"Bad Name\" is not a token"},
	{"no_empty_line", HEAD180 "CSeq: 1 INVITE\r\n", 0,
	 "the header section does not end: no empty line after line 6"},
	{"no_line_end", "SIP/2.0 180 Ringing", 0,
	 "the header section does not end: no empty line after line 0"},
	{"empty", "", 0, "the message is empty"},
	{"fold_of_start", "SIP/2.0 180 Ringing\r\n more\r\n\r\n", 0,
	 "line 2 starts with white space, a fold of the start line"},
	{"clen_negative", HEAD180 "CSeq: 1 INVITE\r\nContent-Length: -5\r\n"
	 "\r\n", 0, "line 7: Content-Length \"-5\" does not follow its "
	 "grammar (RFC 3261 §25.1: Content-Length = "},
	{"clen_compact_word", HEAD180 "CSeq: 1 INVITE\r\nl: five\r\n\r\n", 0,
	 "line 7: Content-Length \"five\""},
	{"maxfwd_word", INVITE "Max-Forwards: ten\r\n" TAIL, 0,
	 "line 8: Max-Forwards \"ten\" does not follow its grammar"},
	{"expires_word", INVITE "Expires: soon\r\n" TAIL, 0,
	 "line 8: Expires \"soon\" does not follow its grammar (RFC 3261 "
	 "§25.1: Expires = \"Expires\" HCOLON delta-seconds"},
	{"min_expires_neg", INVITE "Min-Expires: -1\r\n" TAIL, 0,
	 "Min-Expires \"-1\""},
	/* RFC 2543: the grammar allows it (nobranch.c reads it) */
	{"top_via_no_branch", "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP "
	 "old.example.test\r\n\r\n", 0, NULL},
	{"via_garbage", "SIP/2.0 180 Ringing\r\nVia: this is not a Via\r\n"
	 "\r\n", 0, "line 2: Via \"this is not a Via\""},
	{"status_4_digits", "SIP/2.0 1800 Ringing\r\n\r\n", 0,
	 "line 1 (the status line) has the status code \"1800\", not one of "
	 "three digits from 100 to 699"},
	{"status_099", "SIP/2.0 099 Odd\r\n\r\n", 0, "status code \"099\""},
	{"status_700", "SIP/2.0 700 Odd\r\n\r\n", 0, "status code \"700\""},
	{"status_no_reason", "SIP/2.0 180\r\n\r\n", 0,
	 "ends after the status code"},
	{"version_response", "SIP/3.0 180 Ringing\r\n\r\n", 0,
	 "names the version \"SIP/3.0\""},
	{"http", "HTTP/1.1 200 OK\r\n\r\n", 0,
	 "names the version \"HTTP/1.1\""},
	{"version_request", "INVITE sip:b@h SIP/3.0\r\n\r\n", 0,
	 "ends in \"SIP/3.0\", not the version SIP/2.0"},
	{"method_not_token", "IN<VITE sip:b@h SIP/2.0\r\n\r\n", 0,
	 "starts with \"IN<VITE\", which is neither a method"},
	{"not_sip", "this is not SIP\r\n\r\n", 0,
	 "line 1 (the request line) ends in \"not SIP\", not the version "
	 "SIP/2.0"},
	{"one_word", "garbage\r\n\r\n", 0, "line 1 is not a SIP start line"},
};


static void test_hostile_bytes_named(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct tcase *tc = &cases[i];
		size_t len = tc->len ? tc->len : strlen(tc->bytes);
		char *why = NULL;
		int err;

		err = msgsyntax_check(&why, (const uint8_t *)tc->bytes, len);
		if (!tc->want) {
			if (err)
				printf("\n  %s: %s\n", tc->name, why);
			CU_ASSERT_EQUAL(err, 0);
			CU_ASSERT_PTR_NULL(why);
		}
		else {
			if (!why || !strstr(why, tc->want))
				printf("\n  %s: got %s\n", tc->name,
				       why ? why : "(nothing)");
			CU_ASSERT_EQUAL(err, EBADMSG);
			CU_ASSERT_PTR_NOT_NULL(why && strstr(why, tc->want));
		}
		mem_deref(why);
	}
}


/* what libre cannot decode is named too, never as an errno text */
static void test_undecodable_named_not_strerror(void)
{
	static const char *const bad[] = {
		"this is not SIP\r\n\r\n",
		"SIP/2.0 180 Ringing\r\nVia: x\r\n",
		"SIP/2.0 180 Ringing\r\nVia: this is not a Via\r\n"
		"not a header line\r\n\r\n",
		"SIP/2.0 180 Ringing\r\nFrom: <<>>\r\n\r\n",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct msgrec *r = NULL;
		struct mbuf mb;

		mbuf_init(&mb);
		mb.buf = (uint8_t *)bad[i];
		mb.size = mb.end = strlen(bad[i]);
		CU_ASSERT_EQUAL_FATAL(msgrec_alloc(&r, &mb), 0);
		CU_ASSERT_PTR_NULL(r->msg);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r->malformed);
		CU_ASSERT_PTR_NOT_NULL(strstr(r->malformed, "line "));
		CU_ASSERT_PTR_NOT_NULL(strstr(r->malformed, "RFC 3261"));
		CU_ASSERT_PTR_NULL(strstr(r->malformed, "No data"));
		CU_ASSERT_PTR_NULL(strstr(r->malformed, "Bad message"));
		CU_ASSERT_PTR_NULL(strstr(r->malformed, "No such file"));
		mem_deref(r);
	}
}


/* decoded by libre yet not SIP: the record keeps msg and says why */
static void test_decoded_but_malformed_kept(void)
{
	static const char m[] = HEAD180 "CSeq: -1 INVITE\r\n" TAIL;
	struct msgrec *r = NULL;
	struct mbuf mb;

	mbuf_init(&mb);
	mb.buf = (uint8_t *)m;
	mb.size = mb.end = sizeof(m) - 1;
	CU_ASSERT_EQUAL_FATAL(msgrec_alloc(&r, &mb), 0);
	CU_ASSERT_PTR_NOT_NULL(r->msg);
	CU_ASSERT_PTR_NOT_NULL(r->malformed &&
			       strstr(r->malformed, "CSeq \"-1 INVITE\""));
	mem_deref(r);
}


/* msgsyntax_check_msg skips what libre read of the same bytes: its
 * verdict must be msgsyntax_check's, for every case above and for
 * messages whose From, To and top Via libre reads (compact, folded,
 * repeated) */
static void test_decoded_message_same_verdict(void)
{
	static const char *const more[] = {
		HEAD180 "CSeq: 1 INVITE\r\n" TAIL,
		"SIP/2.0 180 Ringing\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1, "
		"SIP/2.0/TCP g;branch=z9hG4bK2\r\nf: <sip:a@h>;tag=1\r\n"
		"t: <sip:b@h>\r\ni: c\r\nCSeq: 1 INVITE\r\n" TAIL,
		"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1"
		"\r\nFrom: A\r\n <sip:a@h>;tag=1\r\nTo:  <sip:b@h>  \r\n"
		"Call-ID: c\r\nCSeq: 1 INVITE\r\n" TAIL,
		"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1"
		"\r\nFrom: <sip:a@h>;tag=1\r\nFrom: <sip:c@h>;tag=2\r\n"
		"To: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n" TAIL,
	};
	size_t i, n = ARRAY_SIZE(cases) + ARRAY_SIZE(more), decoded = 0;

	for (i = 0; i < n; i++) {
		const char *bytes = i < ARRAY_SIZE(cases) ? cases[i].bytes :
				    more[i - ARRAY_SIZE(cases)];
		size_t len = i < ARRAY_SIZE(cases) && cases[i].len ?
			     cases[i].len : strlen(bytes);
		struct mbuf *mb = mbuf_alloc(len);
		struct sip_msg *msg = NULL;
		char *a = NULL, *b = NULL;
		int ea, eb;

		CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
		(void)mbuf_write_mem(mb, (const uint8_t *)bytes, len);
		mb->pos = 0;
		if (sip_msg_decode(&msg, mb) || !msg) {
			mem_deref(mb);
			continue;
		}
		++decoded;
		ea = msgsyntax_check(&a, mb->buf, mb->end);
		eb = msgsyntax_check_msg(&b, mb->buf, mb->end, msg);
		CU_ASSERT_EQUAL(ea, eb);
		CU_ASSERT((!a && !b) || (a && b && !strcmp(a, b)));
		mem_deref(a);
		mem_deref(b);
		mem_deref(msg);
		mem_deref(mb);
	}

	/* the decodable messages above, at least, were compared */
	CU_ASSERT(decoded >= ARRAY_SIZE(more));
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"hostile_bytes_named", test_hostile_bytes_named},
		{"undecodable_named_not_strerror",
		 test_undecodable_named_not_strerror},
		{"decoded_but_malformed_kept",
		 test_decoded_but_malformed_kept},
		{"decoded_message_same_verdict",
		 test_decoded_message_same_verdict},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("msgsyntax", tests);
}
