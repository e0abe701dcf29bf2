/* engine/cli/torture_repro.c — the reproducer sipflow torture writes when
 * a device died: a scenario of raw: steps (docs/scenario-format.md) that
 * sends the message that killed it (or the last K, when they could not be
 * replayed one by one) and then the check it failed, so that `sipflow run`
 * kills the device again. Addresses and the message's own values become
 * placeholders ({P.addr}, {call-id} …), so it plays on any testbed.
 *
 * A raw: step is YAML text: a NUL byte, a bare LF (raw: makes every
 * line end CRLF), bytes that are not UTF-8, a '{' that is no placeholder
 * and a '<' that would open "<hex>" are written as RFC 4475 §2.2 does,
 * <hex>00</hex> (engine/sip/rawhex.c sends them as octets, after the
 * placeholders): the reproducer sends the bytes that were sent. They go
 * into NAME-Mn.raw beside it too.
 */
#define _GNU_SOURCE 1  /* memmem */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <re.h>
#include "scenario.h"
#include "torture.h"


/* the length of the UTF-8 sequence at p (RFC 3629 §4), 0 if invalid */
static size_t utf8_len(const uint8_t *p, size_t left)
{
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;

	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	}
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;

	return n;
}


/* one substitution: these bytes are written as this placeholder, or as
 * the role's address ({NAME.addr}, however long its name) */
struct subst {
	char from[80];
	const char *to;
	const char *role;
};


/* does "<hex>" or "</hex>" begin at p (of n bytes)? */
static bool hex_tag(const uint8_t *p, size_t n)
{
	return (n >= 5 && !memcmp(p, "<hex>", 5)) ||
	       (n >= 6 && !memcmp(p, "</hex>", 6));
}


/*
 * p as a YAML double-quoted scalar, one message line a YAML line (an
 * escaped line break joins them without a space); substs first; what
 * raw: cannot carry as text as <hex>XX</hex>
 */
static void yaml_raw(FILE *f, const uint8_t *p, size_t len,
		     const struct subst *sv, size_t ns)
{
	bool bol = true;
	size_t i, k;

	fputs("\"", f);
	for (i = 0; i < len; i++) {
		uint8_t c = p[i];
		size_t u;

		for (k = 0; k < ns; k++) {
			size_t l = strlen(sv[k].from);

			if (l && len - i >= l && !memcmp(p + i, sv[k].from, l))
				break;
		}
		if (k < ns) {
			if (sv[k].role)
				fprintf(f, "{%s.addr}", sv[k].role);
			else
				fputs(sv[k].to, f);
			i += strlen(sv[k].from) - 1;
			bol = false;
			continue;
		}

		if (c == '\r' && i + 1 < len && p[i + 1] == '\n') {
			fputs("\\r\\n\\\n      ", f);
			++i;
			bol = true;
			continue;
		}

		if ((c == ' ' || c == '\t') && bol) {
			fputs(c == ' ' ? "\\x20" : "\\t", f);
		}
		else if (c == '"' || c == '\\') {
			fprintf(f, "\\%c", c);
		}
		else if (c == '\t') {
			fputs("\\t", f);
		}
		else if (c == '{' || (c == '<' && hex_tag(p + i, len - i))) {
			/* no placeholder, no <hex> tag */
			fprintf(f, "<hex>%02X</hex>", c);
		}
		else if (c >= 0x20 && c < 0x7f) {
			fputc(c, f);
		}
		else if (c == 0 || c == '\n') {
			/* NUL ends raw:'s text; a bare LF becomes CRLF */
			fprintf(f, "<hex>%02X</hex>", c);
		}
		else if (c < 0x80) {
			fprintf(f, "\\x%02x", c);
		}
		else if ((u = utf8_len(p + i, len - i))) {
			fwrite(p + i, 1, u, f);
			i += u - 1;
		}
		else {
			fprintf(f, "<hex>%02X</hex>", c);
		}
		bol = false;
	}
	fputs("\"\n", f);
}


/* what the reproducer writes instead of the device's, the sender's and
 * the mutation's own values */
static size_t substs(struct subst *sv, const struct tort_sent *s,
		     const struct role *dut, uint64_t seed)
{
	char cid[64], br[64], tag[64];

	tort_ids(cid, br, tag, sizeof(cid), seed, s->n);
	re_snprintf(sv[0].from, sizeof(sv[0].from), "%J", &dut->addr);
	sv[0].role = dut->name;
	re_snprintf(sv[1].from, sizeof(sv[1].from), "%J",
		    &s->t->from->addr);
	sv[1].role = s->t->from->name;
	str_ncpy(sv[2].from, br, sizeof(sv[2].from));
	sv[2].to = "{branch}";
	str_ncpy(sv[3].from, cid, sizeof(sv[3].from));
	sv[3].to = "{call-id}";
	str_ncpy(sv[4].from, tag, sizeof(sv[4].from));
	sv[4].to = "{tag}";
	return 5;
}


/* the method of the template the mutation was made from */
static void method_of(char *buf, size_t sz, const struct tort_sent *s)
{
	const uint8_t *p = s->t->mb->buf;
	const uint8_t *sp = memchr(p, ' ', s->t->mb->end);
	size_t l = sp ? (size_t)(sp - p) : 0;

	re_snprintf(buf, sz, "%b", p, l < sz - 1 ? l : sz - 1);
}


static int write_bin(const char *path, const struct tort_sent *s)
{
	size_t l = strlen(path);
	char *bin = NULL;
	FILE *f;
	int err = 0;

	/* reproducer.yaml: reproducer-M37.raw */
	if (l > 5 && !strcmp(path + l - 5, ".yaml"))
		l -= 5;
	if (re_sdprintf(&bin, "%b-M%llu.raw", path, l, s->n))
		return ENOMEM;
	f = fopen(bin, "wb");
	err = f ? 0 : errno;
	mem_deref(bin);
	if (!f)
		return err;
	if (fwrite(s->m.mb->buf, 1, s->m.mb->end, f) != s->m.mb->end)
		err = EIO;
	if (fclose(f) && !err)
		err = errno;
	return err;
}


static void write_step(FILE *f, const struct tort_sent *s,
		       const struct role *dut, const struct tort_opts *o)
{
	struct subst sv[5] = {{"", NULL, NULL}};
	size_t ns = substs(sv, s, dut, o->seed);
	char met[32];

	method_of(met, sizeof(met), s);
	fprintf(f, "  # mutation %llu (%s): %s\n",
		(unsigned long long)s->n, mut_kind_name(s->m.kind),
		s->m.what);
	if (s->m.split[0])
		fprintf(f, "  # (torture sent it over %s in segments; "
			"raw: sends it in one write)\n",
			sip_transp_name(s->t->from->tp));
	fprintf(f, "  - M%llu: %s %s -> %s\n", (unsigned long long)s->n,
		met, s->t->from->name, dut->name);
	fputs("    retransmit: false\n    raw: ", f);
	yaml_raw(f, s->m.mb->buf, s->m.mb->end, sv, ns);
}


/**
 * Write the reproducer to path: the mutation that killed the device
 * (res->killer), else every one since its last passed check; then an
 * OPTIONS that it must answer as it did before; each message's bytes
 * also in a NAME-Mn.raw file beside it
 */
int torture_repro(const char *path, const struct scenario *sc,
		  const struct role *dut, const struct tort_result *res,
		  const struct tort_opts *o)
{
	const struct tort_sent *first;
	const struct role *from;
	struct le *le;
	FILE *f;
	int err = 0;

	first = res->killer ? res->killer : list_ledata(res->last.head);
	if (!first)
		return ENOENT;
	from = first->t->from;

	f = fopen(path, "w");
	if (!f)
		return errno;

	fprintf(f, "# Written by sipflow torture (seed %llu, %u mutations, a "
		"check every %u):\n# %s stopped answering %s.\n"
		"# Replay: sipflow run %s with the same --testbed or --role\n",
		(unsigned long long)o->seed, o->count, o->every, dut->name,
		res->killer ? "after the mutation below, replayed alone"
		: "after these mutations (they could not be replayed one by "
		"one)", path);
	fprintf(f, "scenario: torture-%s-%llu\n", sc->name,
		(unsigned long long)first->n);
	fprintf(f, "title: \"%s stops answering after mutation %llu of %s "
		"(seed %llu)\"\nroles:\n", dut->name,
		(unsigned long long)first->n, sc->name,
		(unsigned long long)o->seed);
	for (le = sc->roles.head; le; le = le->next) {
		const struct role *r = le->data;
		bool used = r == dut || (res->killer &&
					 res->killer->t->from == r);
		struct le *s;

		for (s = res->last.head; s && !used && !res->killer;
		     s = s->next)
			used = ((struct tort_sent *)s->data)->t->from == r;
		if (used)
			fprintf(f, "  %s: {kind: %s}\n", r->name,
				role_kind_name(r->kind));
	}
	fputs("steps:\n", f);

	if (res->killer) {
		write_step(f, res->killer, dut, o);
		err = write_bin(path, res->killer);
	}
	else {
		for (le = res->last.head; le && !err; le = le->next) {
			write_step(f, le->data, dut, o);
			err = write_bin(path, le->data);
		}
	}

	/* the check it failed (tests/interop/lib/probe-keepalive.yaml) */
	fprintf(f, "  - alive: OPTIONS %s -> %s\n"
		"    raw: |+\n"
		"      OPTIONS sip:{%s.addr} SIP/2.0\n"
		"      Via: SIP/2.0/%s {%s.addr};branch={branch}\n"
		"      Max-Forwards: 70\n"
		"      From: <sip:torture@{%s.addr}>;tag={tag}\n"
		"      To: <sip:{%s.addr}>\n"
		"      Call-ID: {call-id}\n"
		"      CSeq: 1 OPTIONS\n"
		"      Content-Length: 0\n\n"
		"  - alive-ok: %u %s -> %s\n",
		from->name, dut->name, dut->name, sip_transp_name(from->tp),
		from->name, from->name, dut->name,
		res->live_status ? res->live_status : 200, dut->name,
		from->name);

	if (fclose(f) && !err)
		err = errno;
	return err;
}
