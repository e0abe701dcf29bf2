/* tests/fuzz/fuzz_sip.c — libFuzzer harness: a SIP message as a device
 * sends it, decoded as a run receives it and checked by every
 * conformance rule in a call (tests/unit/rulefeed.c, as test_rules.c's
 * hostile messages) */
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "rulefeed.h"
#include "fuzz.h"


static const char invite[] =
	"INVITE sip:bob@127.0.0.11 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKf1\r\n"
	"Max-Forwards: 70\r\n"
	"Record-Route: <sip:127.0.0.12;lr>\r\n"
	"From: <sip:alice@127.0.0.10>;tag=fa\r\n"
	"To: <sip:bob@127.0.0.11>\r\n"
	"Call-ID: c1@127.0.0.10\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:alice@127.0.0.10>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 135\r\n"
	"\r\n"
	"v=0\r\n"
	"o=alice 1 1 IN IP4 127.0.0.10\r\n"
	"s=-\r\n"
	"c=IN IP4 127.0.0.10\r\n"
	"t=0 0\r\n"
	"m=audio 20000 RTP/AVP 0 8 101\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n";

static const char ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKf1\r\n"
	"Record-Route: <sip:127.0.0.12;lr>\r\n"
	"From: <sip:alice@127.0.0.10>;tag=fa\r\n"
	"To: <sip:bob@127.0.0.11>;tag=tb\r\n"
	"Call-ID: c1@127.0.0.10\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:bob@127.0.0.11>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 131\r\n"
	"\r\n"
	"v=0\r\n"
	"o=bob 2 2 IN IP4 127.0.0.11\r\n"
	"s=-\r\n"
	"c=IN IP4 127.0.0.11\r\n"
	"t=0 0\r\n"
	"m=audio 20002 RTP/AVP 0 101\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n";

static struct rulefeed rf;


static struct mbuf *wire(const char *text)
{
	struct mbuf *mb = mbuf_alloc(strlen(text));

	if (!mb || mbuf_write_str(mb, text))
		abort();
	mb->pos = 0;
	return mb;
}


int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rf.invite = wire(invite);
	rf.ok = wire(ok);
	/* the call's own messages must decode, or nothing is tested */
	if (rulefeed_msg(&rf, NULL, 0))
		abort();
	return 0;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (rulefeed_msg(&rf, data, size))
		abort();
	/* a rule broke its contract: a crash for the fuzzer to keep */
	if (rf.broken)
		abort();
	return 0;
}
