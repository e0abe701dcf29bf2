/* engine/load/load_sdp.c — a message step's sdp: (codecs, direction,
 * address, SRTP crypto) */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "testbed.h"
#include "ynode.h"
#include "placeholder.h"
#include "rules.h"
#include "hdr.h"
#include "load.h"
#include "rxbound.h"


static const char *const codec_names[] = {
	"PCMU", "PCMA", "G722", "telephone-event",
};

static const char *const directions[] = {
	"sendrecv", "sendonly", "recvonly", "inactive",
};


static bool one_of(const char *s, const char *const *v, size_t n,
		   bool nocase)
{
	size_t i;

	for (i = 0; s && i < n; i++) {
		if (nocase ? !str_casecmp(s, v[i]) : !strcmp(s, v[i]))
			return true;
	}

	return false;
}


/* sdp: address: 192.0.2.1 */
static void sdp_address(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	(void)row;
	(void)k;

	if (!yscalar(v) || sa_set_str(&st->sdp.addr, yscalar(v), 0))
		yerr(w->yd, v, "step %s: sdp: address is an IPv4 or IPv6 "
		     "address, without a port", st->id);
}


/* sdp: direction: sendonly */
static void sdp_direction(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	(void)row;
	(void)k;

	if (!one_of(yscalar(v), directions, ARRAY_SIZE(directions), false))
		yerr(w->yd, v, "step %s: direction is sendrecv, sendonly, "
		     "recvonly or inactive", st->id);
	else
		ld_dup_scalar(w->arg, v, &st->sdp.direction, "direction");
}


/* sdp: crypto: AES_CM_128_HMAC_SHA1_80 (docs/srtp.md) */
static void sdp_crypto(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	(void)row;
	(void)k;

	ld_crypto(w->yd, v, &st->sdp.crypto, "step %s: sdp: crypto", st->id);
}


/* sdp: codecs: [PCMA, telephone-event] */
static void sdp_codecs(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	yaml_node_item_t *it;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_SEQUENCE_NODE, "codecs"))
		return;
	YSEQ_FOREACH(it, v) {
		yaml_node_t *c = ynode(w->yd, *it);

		if (!one_of(yscalar(c), codec_names, ARRAY_SIZE(codec_names),
			    true)) {
			yerr(w->yd, c, "step %s: unknown codec '%s' (codecs: "
			     "PCMU, PCMA, G722, telephone-event)", st->id,
			     yscalar(c) ? yscalar(c) : "");
			continue;
		}
		ld_add_str(&st->sdp.codecs, yscalar(c), ypos(c));
	}
}


/* sdp: false, or {codecs, direction, address, crypto} */
void ld_sdp_key(const struct ywalk *sw, const struct ykey *srow,
		const yaml_node_t *k, const yaml_node_t *n)
{
	static const struct ykey rows[] = {
		{"codecs",    sdp_codecs,    0},
		{"direction", sdp_direction, 0},
		{"address",   sdp_address,   0},
		{"crypto",    sdp_crypto,    0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = sw->yd, .obj = sw->obj, .arg = sw->arg,
			  .where = "sdp"};
	struct step *st = sw->obj;
	bool b;
	(void)srow;
	(void)k;

	st->sdp.set = true;
	if (yscalar(n)) {
		if (!ybool(sw->yd, n, &b)) {
			if (b)
				yerr(sw->yd, n, "step %s: sdp: is false or a "
				     "mapping {codecs, direction, address, "
				     "crypto}",
				     st->id);
			st->sdp.off = !b;
		}
		return;
	}

	if (!ywant(sw->yd, n, YAML_MAPPING_NODE, "sdp"))
		(void)ymap_walk(&w, n, &keys);
}
