/* capture/live.h — capture packets live from an interface on the loop */
#ifndef SIPFLOW_LIVE_H
#define SIPFLOW_LIVE_H

struct live;
struct pcap_pkthdr;

typedef void (live_pkt_h)(const struct pcap_pkthdr *h, const uint8_t *data,
			  void *arg);

int live_open(struct live **lp, const char *iface, const char *filter,
	      live_pkt_h *h, void *arg, char **why);
int live_dump(struct live *lv, const char *path);
int live_dump_close(struct live *lv);
int live_datalink(const struct live *lv);
uint32_t live_count(const struct live *lv);

#endif
