/* engine/sip/hdr.h — find a received header by name, compact forms included */
#ifndef SIPFLOW_HDR_H
#define SIPFLOW_HDR_H

typedef bool (hdr_value_h)(const struct pl *val, void *arg);

struct pl hdr_long_form(const struct pl *name);
bool hdr_name_eq(const char *a, const struct pl *b);
bool hdr_name_eq_pl(const struct pl *a, const struct pl *b);
const struct pl *hdr_first(const struct sip_msg *msg, const char *name);
unsigned hdr_count(const struct sip_msg *msg, const char *name);
bool hdr_apply(const struct sip_msg *msg, const char *name,
	       hdr_value_h *h, void *arg);
int  hdr_param(const struct pl *val, const char *name, struct pl *out);
bool hdr_rx(const struct pl *val, const char *ere, bool icase);
int  hdr_tag(const struct pl *val, struct pl *tag);

#endif
