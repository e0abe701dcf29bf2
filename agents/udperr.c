/* agents/udperr.c — the ICMP errors a UDP socket hears: "port
 * unreachable" from a peer where nothing listens
 *
 * Linux tells an unconnected UDP socket of ICMP errors only with
 * IP_RECVERR (IPV6_RECVERR) set. Then the error is queued with the
 * address the datagram went to, a recvfrom() fails once (libre 1.1.0's
 * udp_read hands that errno to the socket's error handler), and the
 * socket polls readable until the queue is read with MSG_ERRQUEUE. So
 * the error handler drains the queue here, each entry becoming one
 * sentence for the run: a device whose address answers "port
 * unreachable" fails the step waiting for it at once instead of after
 * its whole timeout.
 */
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/errqueue.h>
#include <re.h>
#include "udperr.h"


enum { DRAIN_MAX = 32 };


/** Ask the kernel for the ICMP errors of us's socket of family af */
int udperr_enable(struct udp_sock *us, int af)
{
	int on = 1;

	if (af == AF_INET6)
		return udp_setsockopt(us, IPPROTO_IPV6, IPV6_RECVERR, &on,
				      sizeof(on));

	return udp_setsockopt(us, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
}


/* what an ICMP error says, or NULL if it is not one we name */
static const char *icmp_text(const struct sock_extended_err *ee)
{
	bool v4 = ee->ee_origin == SO_EE_ORIGIN_ICMP;
	bool v6 = ee->ee_origin == SO_EE_ORIGIN_ICMP6;

	if ((v4 && ee->ee_type == 3 && ee->ee_code == 3) ||
	    (v6 && ee->ee_type == 1 && ee->ee_code == 4))
		return "port unreachable (nothing listens there)";
	if ((v4 && ee->ee_type == 3) || (v6 && ee->ee_type == 1))
		return "destination unreachable";

	return NULL;
}


/**
 * Read the error queue of us's socket of family af (at most DRAIN_MAX
 * entries), calling h for each ICMP unreachable with the address the
 * datagram was sent to
 */
void udperr_drain(struct udp_sock *us, int af, udperr_h *h, void *arg)
{
	int fd = udp_sock_fd(us, af);
	unsigned i;

	if (fd < 0)
		return;

	for (i = 0; i < DRAIN_MAX; i++) {
		struct sockaddr_storage ss;
		union {
			char buf[512];
			struct cmsghdr align;
		} ctl;
		char data[1];
		struct iovec iov = {data, sizeof(data)};
		struct msghdr mh;
		struct cmsghdr *cm;

		memset(&mh, 0, sizeof(mh));
		memset(&ss, 0, sizeof(ss));
		mh.msg_name = &ss;
		mh.msg_namelen = sizeof(ss);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);

		if (recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return;

		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			struct sock_extended_err ee;
			const char *text;
			struct sa peer;
			char why[128];

			if (!((cm->cmsg_level == IPPROTO_IP &&
			       cm->cmsg_type == IP_RECVERR) ||
			      (cm->cmsg_level == IPPROTO_IPV6 &&
			       cm->cmsg_type == IPV6_RECVERR)))
				continue;

			memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
			text = icmp_text(&ee);
			if (!text || sa_set_sa(&peer, (struct sockaddr *)&ss))
				continue;

			re_snprintf(why, sizeof(why), "answered ICMP %s",
				    text);
			if (h)
				h(&peer, why, arg);
		}
	}
}
