/* bench/msgcost.c — what judging one SIP message costs: the messages of
 * captures (UDP over raw IP or Ethernet, pcap or pcapng: what
 * `sipflow run --out` writes) go through the functions a run calls on
 * each message it sees: msgrec_alloc (copy, libre's decoder, the grammar
 * check of engine/sip/msgsyntax.c), the role ledger's transaction lookup
 * and the conformance rules (engine/check/rules.c). Prints the CPU time
 * per message; bench/msgcost.sh counts the instructions of judge_all
 * with callgrind.
 *
 * usage: msgcost [-r REPEAT] FILE.pcap...   (default 200 repeats)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pcap/pcap.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "ledger.h"
#include "track.h"
#include "rules.h"


/* the SIP messages of one capture, in order */
struct capfile {
	struct le le;
	struct list msgs;            /* struct mbuf via struct cmsg */
};

struct cmsg {
	struct le le;
	struct mbuf *mb;
};


static void cmsg_destructor(void *data)
{
	struct cmsg *m = data;

	list_unlink(&m->le);
	mem_deref(m->mb);
}


static void capfile_destructor(void *data)
{
	struct capfile *cf = data;

	list_unlink(&cf->le);
	list_flush(&cf->msgs);
}


/* the UDP payload of an IPv4 packet, or NULL */
static const uint8_t *udp_payload(const uint8_t *ip, size_t len, size_t *n)
{
	size_t ihl;

	if (len < 20 || (ip[0] >> 4) != 4 || ip[9] != 17)
		return NULL;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (len < ihl + 8)
		return NULL;
	*n = len - ihl - 8;

	return ip + ihl + 8;
}


/* a start line: "SIP/2.0 " first or " SIP/2.0" last (RTP may hold a
 * space in its first bytes) */
static bool looks_sip(const uint8_t *p, size_t n)
{
	const uint8_t *eol = memchr(p, '\r', n);
	size_t l = eol ? (size_t)(eol - p) : 0;

	return l >= 8 && (!memcmp(p, "SIP/2.0 ", 8) ||
			  !memcmp(eol - 8, " SIP/2.0", 8));
}


static int capfile_load(struct list *files, const char *path,
			unsigned *nmsg)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *pkt;
	struct capfile *cf;
	size_t skip = 0;
	pcap_t *p;
	int dlt;

	p = pcap_open_offline(path, errbuf);
	if (!p) {
		fprintf(stderr, "msgcost: %s: %s\n", path, errbuf);
		return EINVAL;
	}
	dlt = pcap_datalink(p);
	if (dlt == DLT_EN10MB)
		skip = 14;
	else if (dlt != DLT_RAW && dlt != 101) {
		fprintf(stderr, "msgcost: %s: link type %d is neither raw IP "
			"nor Ethernet\n", path, dlt);
		pcap_close(p);
		return EINVAL;
	}

	cf = mem_zalloc(sizeof(*cf), capfile_destructor);
	if (!cf) {
		pcap_close(p);
		return ENOMEM;
	}
	list_append(files, &cf->le, cf);

	while (pcap_next_ex(p, &h, &pkt) == 1) {
		const uint8_t *pl;
		struct cmsg *m;
		size_t n = 0;

		if (h->caplen <= skip)
			continue;
		pl = udp_payload(pkt + skip, h->caplen - skip, &n);
		if (!pl || !looks_sip(pl, n))
			continue;  /* RTP and other UDP */
		m = mem_zalloc(sizeof(*m), cmsg_destructor);
		if (!m)
			break;
		m->mb = mbuf_alloc(n);
		if (!m->mb || mbuf_write_mem(m->mb, pl, n)) {
			mem_deref(m);
			break;
		}
		list_append(&cf->msgs, &m->le, m);
		++*nmsg;
	}

	pcap_close(p);
	return 0;
}


/*
 * Judge every message of every capture as a run does on receipt: record
 * it, find the request a response answers in the ledger, run the rules.
 * One ledger per capture (a scenario's role); requests are filed as sent
 * so responses find their transaction. Returns the findings' count.
 * Not inlined: bench/msgcost.sh counts this function's instructions.
 */
static __attribute__((noinline)) unsigned judge_all(const struct list *files)
{
	static const struct role ua = {.kind = ROLE_UA};
	unsigned nfind = 0;
	struct le *fe;

	for (fe = files->head; fe; fe = fe->next) {
		const struct capfile *cf = fe->data;
		struct list recs = LIST_INIT, findings = LIST_INIT;
		struct ledger led;
		struct le *le;

		ledger_init(&led, &ua);
		for (le = cf->msgs.head; le; le = le->next) {
			const struct cmsg *m = le->data;
			struct msgrec *r = NULL;
			struct rulectx c;

			m->mb->pos = 0;
			if (msgrec_alloc(&r, m->mb))
				continue;
			list_append(&recs, &r->le, r);
			if (!r->msg)
				continue;

			memset(&c, 0, sizeof(c));
			c.r = r;
			c.m = r->msg;
			c.rcv = &led;
			if (!r->msg->req)
				c.req = track_client_txn(&led, r);
			rules_check(&findings, &c, NULL, NULL, false);

			if (r->msg->req)
				track_sent(&led, r);
			else
				track_received(&led, r);
		}
		nfind += list_count(&findings);
		list_flush(&findings);
		ledger_reset(&led);
		list_flush(&recs);
	}

	return nfind;
}


/* libre's decoder draws a random tag per message: let OpenSSL seed its
 * generator here, once, outside what is counted */
static void warm_up(const struct list *files)
{
	const struct capfile *cf = list_ledata(list_head(files));
	const struct cmsg *m = list_ledata(list_head(&cf->msgs));
	struct msgrec *r = NULL;

	m->mb->pos = 0;
	if (!msgrec_alloc(&r, m->mb))
		mem_deref(r);
}


static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


int main(int argc, char *argv[])
{
	struct list files = LIST_INIT;
	unsigned nmsg = 0, nfind = 0, repeat = 200, i;
	double t0, t;
	int opt, err = 0;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt == 'r' && atoi(optarg) > 0) {
			repeat = (unsigned)atoi(optarg);
		}
		else {
			fprintf(stderr, "usage: msgcost [-r REPEAT] "
				"FILE.pcap...\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: msgcost [-r REPEAT] FILE.pcap...\n");
		return 2;
	}

	if (libre_init())
		return 1;
	for (i = (unsigned)optind; i < (unsigned)argc && !err; i++)
		err = capfile_load(&files, argv[i], &nmsg);
	if (err || !nmsg) {
		fprintf(stderr, "msgcost: no SIP message in the captures\n");
		list_flush(&files);
		libre_close();
		return 1;
	}

	warm_up(&files);
	t0 = cpu_s();
	for (i = 0; i < repeat; i++)
		nfind = judge_all(&files);
	t = cpu_s() - t0;

	printf("messages %u, repeats %u, findings per pass %u\n", nmsg,
	       repeat, nfind);
	printf("cpu per judged message: %.2f us\n",
	       t * 1e6 / ((double)nmsg * repeat));

	list_flush(&files);
	libre_close();
	return 0;
}
