/* bench/gencap.c — write a capture of N SIP messages (calls of INVITE,
 * 100, 180, 200, ACK, BYE, 200 between two addresses) for the benchmarks;
 * OUT.pcapng: pcapng with a verdict comment on every frame, as a run
 * writes them (pcapw_finish) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "pcapw.h"


static const char *const tmpl[] = {
	"INVITE sip:bob@example.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.1.0.1:5060;branch=z9hG4bK%u-1;rport\r\n"
	"Max-Forwards: 70\r\nFrom: <sip:alice@example.test>;tag=a%u\r\n"
	"To: <sip:bob@example.test>\r\nCall-ID: %u@bench\r\n"
	"CSeq: 1 INVITE\r\nContact: <sip:alice@10.1.0.1:5060>\r\n"
	"Content-Type: application/sdp\r\nContent-Length: 130\r\n\r\n"
	"v=0\r\no=alice 1 1 IN IP4 10.1.0.1\r\ns=-\r\nc=IN IP4 10.1.0.1\r\n"
	"t=0 0\r\nm=audio 20000 RTP/AVP 0 8 101\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n",
	"SIP/2.0 100 Trying\r\n"
	"Via: SIP/2.0/UDP 10.1.0.1:5060;branch=z9hG4bK%u-1;rport\r\n"
	"From: <sip:alice@example.test>;tag=a%u\r\n"
	"To: <sip:bob@example.test>\r\nCall-ID: %u@bench\r\n"
	"CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
	"SIP/2.0 180 Ringing\r\n"
	"Via: SIP/2.0/UDP 10.1.0.1:5060;branch=z9hG4bK%u-1;rport\r\n"
	"From: <sip:alice@example.test>;tag=a%u\r\n"
	"To: <sip:bob@example.test>;tag=b\r\nCall-ID: %u@bench\r\n"
	"CSeq: 1 INVITE\r\nContact: <sip:bob@10.1.0.2:5060>\r\n"
	"Content-Length: 0\r\n\r\n",
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 10.1.0.1:5060;branch=z9hG4bK%u-1;rport\r\n"
	"From: <sip:alice@example.test>;tag=a%u\r\n"
	"To: <sip:bob@example.test>;tag=b\r\nCall-ID: %u@bench\r\n"
	"CSeq: 1 INVITE\r\nContact: <sip:bob@10.1.0.2:5060>\r\n"
	"Content-Length: 0\r\n\r\n",
	"ACK sip:bob@10.1.0.2:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.1.0.1:5060;branch=z9hG4bK%u-2;rport\r\n"
	"Max-Forwards: 70\r\nFrom: <sip:alice@example.test>;tag=a%u\r\n"
	"To: <sip:bob@example.test>;tag=b\r\nCall-ID: %u@bench\r\n"
	"CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n",
	"BYE sip:bob@10.1.0.2:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.1.0.1:5060;branch=z9hG4bK%u-3;rport\r\n"
	"Max-Forwards: 70\r\nFrom: <sip:alice@example.test>;tag=a%u\r\n"
	"To: <sip:bob@example.test>;tag=b\r\nCall-ID: %u@bench\r\n"
	"CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n",
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 10.1.0.1:5060;branch=z9hG4bK%u-3;rport\r\n"
	"From: <sip:alice@example.test>;tag=a%u\r\n"
	"To: <sip:bob@example.test>;tag=b\r\nCall-ID: %u@bench\r\n"
	"CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n",
};


int main(int argc, char *argv[])
{
	struct pcapw *pw = NULL;
	struct sa a, b;
	unsigned long n, i;
	size_t l;
	bool ng;
	char buf[1024];
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: gencap OUT.pcap|OUT.pcapng "
			"MESSAGES\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	l = strlen(argv[1]);
	ng = l > 7 && !strcmp(argv[1] + l - 7, ".pcapng");

	libre_init();
	sa_set_str(&a, "10.1.0.1", 5060);
	sa_set_str(&b, "10.1.0.2", 5060);
	err = pcapw_open(&pw, argv[1], ng ? PCAPW_PCAPNG : PCAPW_PCAP);
	for (i = 0; !err && i < n; i++) {
		unsigned call = (unsigned)(i / 7), k = (unsigned)(i % 7);
		int len = re_snprintf(buf, sizeof(buf), tmpl[k], call, call,
				      call);
		bool fwd = k == 0 || k == 4 || k == 5;
		struct timeval tv = {(time_t)(i / 1000),
				     (suseconds_t)(i % 1000) * 1000};

		err = pcapw_write_ts(pw, &tv, fwd ? &a : &b, fwd ? &b : &a,
				     (uint8_t *)buf, (size_t)len, NULL);
		if (!err && ng) {
			re_snprintf(buf, sizeof(buf), "F%u %s: pass", k + 1,
				    k == 0 ? "INVITE A -> B" : "step");
			err = pcapw_comment(pw, (uint32_t)i + 1, buf);
		}
	}
	if (!err)
		err = pcapw_finish(pw);
	mem_deref(pw);
	libre_close();

	if (err) {
		fprintf(stderr, "gencap: %s\n", strerror(err));
		return 1;
	}
	return 0;
}
