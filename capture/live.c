/* capture/live.c — capture packets live from an interface, on the event
 * loop: libpcap in non-blocking immediate mode, its descriptor watched by
 * libre's fd_listen, packets dispatched as they come. Optionally every
 * packet is dumped to a pcap file, flushed each time; the first write
 * that fails (a full disk) is kept, the dumping stops, and
 * live_dump_close says why. */
#include <errno.h>
#include <string.h>
#include <pcap/pcap.h>
#include <re.h>
#include "live.h"


struct live {
	pcap_t *pc;
	pcap_dumper_t *dump;
	int dump_err;          /* the first write to it that failed */
	int fd;
	uint32_t count;
	live_pkt_h *h;
	void *arg;
};


static void destructor(void *data)
{
	struct live *lv = data;

	if (lv->fd >= 0)
		fd_close(lv->fd);
	(void)live_dump_close(lv);
	if (lv->pc)
		pcap_close(lv->pc);
}


static void pkt_h(u_char *user, const struct pcap_pkthdr *h,
		  const u_char *data)
{
	struct live *lv = (struct live *)user;

	++lv->count;
	if (lv->dump && !lv->dump_err) {
		errno = 0;
		pcap_dump((u_char *)lv->dump, h, data);
		if (pcap_dump_flush(lv->dump))
			lv->dump_err = errno ? errno : EIO;
	}
	if (lv->h)
		lv->h(h, data, lv->arg);
}


static void readable_h(int flags, void *arg)
{
	struct live *lv = arg;

	(void)flags;
	/* bounded: at most 1000 packets per wake-up */
	(void)pcap_dispatch(lv->pc, 1000, pkt_h, (u_char *)lv);
}


/**
 * Start capturing on iface with a BPF filter (NULL: everything). Needs
 * the right to capture (root, or CAP_NET_RAW); the reason comes back in
 * *why when it fails.
 */
int live_open(struct live **lp, const char *iface, const char *filter,
	      live_pkt_h *h, void *arg, char **why)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	struct live *lv;
	int err = 0;

	if (!lp || !iface)
		return EINVAL;

	lv = mem_zalloc(sizeof(*lv), destructor);
	if (!lv)
		return ENOMEM;
	lv->fd = -1;
	lv->h = h;
	lv->arg = arg;

	lv->pc = pcap_create(iface, errbuf);
	if (!lv->pc) {
		err = ENODEV;
		goto out;
	}
	pcap_set_snaplen(lv->pc, 65535);
	pcap_set_immediate_mode(lv->pc, 1);
	pcap_set_timeout(lv->pc, 10);
	if (pcap_activate(lv->pc) < 0) {
		re_snprintf(errbuf, sizeof(errbuf), "%s", pcap_geterr(lv->pc));
		err = EPERM;
		goto out;
	}

	if (filter && *filter) {
		if (pcap_compile(lv->pc, &prog, filter, 1,
				 PCAP_NETMASK_UNKNOWN) ||
		    pcap_setfilter(lv->pc, &prog)) {
			re_snprintf(errbuf, sizeof(errbuf), "filter '%s': %s",
				    filter, pcap_geterr(lv->pc));
			err = EINVAL;
			goto out;
		}
		pcap_freecode(&prog);
	}

	if (pcap_setnonblock(lv->pc, 1, errbuf) < 0) {
		err = EIO;
		goto out;
	}

	lv->fd = pcap_get_selectable_fd(lv->pc);
	if (lv->fd < 0) {
		re_snprintf(errbuf, sizeof(errbuf),
			    "no selectable descriptor");
		err = ENOTSUP;
		goto out;
	}
	err = fd_listen(lv->fd, FD_READ, readable_h, lv);
	if (err)
		lv->fd = -1;

 out:
	if (err) {
		if (why)
			re_sdprintf(why, "%s: %s", iface, errbuf[0] ? errbuf
				    : "cannot capture");
		mem_deref(lv);
	}
	else {
		*lp = lv;
	}

	return err;
}


/** Also write every packet to a pcap file (the interface's link type) */
int live_dump(struct live *lv, const char *path)
{
	if (!lv || !path)
		return EINVAL;

	errno = 0;
	lv->dump = pcap_dump_open(lv->pc, path);

	return lv->dump ? 0 : (errno ? errno : EIO);
}


/** Close the dump file: 0 when every packet reached it, else the first
 *  write that failed (an errno) */
int live_dump_close(struct live *lv)
{
	if (!lv || !lv->dump)
		return lv ? lv->dump_err : EINVAL;

	errno = 0;
	if (pcap_dump_flush(lv->dump) && !lv->dump_err)
		lv->dump_err = errno ? errno : EIO;
	pcap_dump_close(lv->dump);
	lv->dump = NULL;

	return lv->dump_err;
}


int live_datalink(const struct live *lv)
{
	return lv ? pcap_datalink(lv->pc) : -1;
}


uint32_t live_count(const struct live *lv)
{
	return lv ? lv->count : 0;
}
