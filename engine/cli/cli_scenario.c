/* engine/cli/cli_scenario.c — sipflow scenario FILE.pcap [--call N]
 * [--roles A=ADDR,P=ADDR…] [--out FILE]: a scenario written from a
 * capture (capture/scengen.c), to stdout or to a file written whole. */
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <stdlib.h>
#include <errno.h>
#include <re.h>
#include "scengen.h"
#include "cli.h"
#include "cmdtab.h"


enum { MAX_GIVEN = 64 };

static int mbuf_h(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}


/* NAME=HOST[:PORT], HOST an IPv4 or [IPv6] address */
static int parse_role(struct scengen_given *g, char *s)
{
	char *eq = strchr(s, '=');
	struct pl host;

	if (!eq || eq == s || !eq[1])
		return EINVAL;
	*eq = '\0';
	g->name = s;
	if (!re_regex(s, strlen(s), "[^A-Za-z0-9_]") || !isalpha((unsigned
	    char)s[0]) || strlen(s) >= SCENGEN_NAME)
		return EINVAL;
	pl_set_str(&host, eq + 1);
	if (!sa_decode(&g->addr, host.p, host.l)) {
		g->port = true;
		return 0;
	}
	if (host.l > 2 && host.p[0] == '[' && host.p[host.l - 1] == ']') {
		host.p++;
		host.l -= 2;
	}
	g->port = false;
	return sa_set(&g->addr, &host, 0);
}


static int parse_roles(struct scengen_given *gv, size_t *np, char *list)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*np >= MAX_GIVEN || parse_role(&gv[*np], tok))
			return EINVAL;
		++*np;
	}

	return 0;
}


static int usage(void)
{
	(void)cli_usage(cli_cmd_find("scenario"));
	return EXIT_BAD;
}


static int write_file(const char *path, const struct mbuf *mb)
{
	char *tmp = NULL;
	FILE *f;
	int err;

	err = re_sdprintf(&tmp, "%s.tmp", path);
	if (err)
		return err;
	f = fopen(tmp, "w");
	if (!f) {
		err = errno;
		mem_deref(tmp);
		return err;
	}
	if (fwrite(mb->buf, 1, mb->end, f) != mb->end)
		err = errno ? errno : EIO;
	if (fclose(f) && !err)
		err = errno ? errno : EIO;
	if (!err && rename(tmp, path))
		err = errno;
	if (err)
		(void)remove(tmp);
	mem_deref(tmp);
	return err;
}


int cmd_scenario(int argc, char *argv[])
{
	struct scengen_given gv[MAX_GIVEN];
	struct scengen_opts o = {.roles = gv};
	const char *file = NULL, *out = NULL;
	struct mbuf *mb;
	struct re_printf pf;
	char *why = NULL, *end, *list = NULL;
	struct cli_args a;
	int k, err;

	memset(gv, 0, sizeof(gv));
	cli_args_init(&a, cli_cmd_find("scenario"), argc, argv);
	while ((k = cli_args_next(&a)) != CLI_END) {
		switch (k) {

		case 'c': {
			unsigned long c;

			errno = 0;
			c = strtoul(a.arg, &end, 10);
			if (errno || *end || !c || c > 1000000) {
				re_fprintf(stderr, "sipflow scenario: --call "
					   "'%s' is not a call number (1, 2 "
					   "...)\n", a.arg);
				mem_deref(list);
				return EXIT_BAD;
			}
			o.call = (uint32_t)c;
			break;
		}
		case 'r':
			/* parsed in a copy: the message quotes it whole */
			if (list || str_dup(&list, a.arg) ||
			    parse_roles(gv, &o.nroles, list)) {
				re_fprintf(stderr, "sipflow scenario: --roles "
					   "'%s': NAME=HOST[:PORT] a comma "
					   "apart (A=127.0.0.1:5060,P=[::1]), "
					   "given once\n", a.arg);
				mem_deref(list);
				return EXIT_BAD;
			}
			break;
		case 'o':
			out = a.arg;
			break;
		case CLI_POS:
			if (!file) {
				file = a.arg;
				break;
			}
			mem_deref(list);
			return usage();   /* a second capture */
		default:
			mem_deref(list);
			return usage();
		}
	}
	if (!file) {
		mem_deref(list);
		return usage();
	}

	mb = mbuf_alloc(8192);
	if (!mb) {
		mem_deref(list);
		return EXIT_BAD;
	}
	pf.vph = mbuf_h;
	pf.arg = mb;
	err = scengen_write(&pf, file, &o, &why);
	if (err) {
		if (why)
			re_fprintf(stderr, "sipflow scenario: %s\n", why);
		else
			re_fprintf(stderr, "sipflow scenario: %s: %m\n", file,
				   err);
		mem_deref(why);
		mem_deref(mb);
		mem_deref(list);
		return EXIT_BAD;
	}

	if (out) {
		err = write_file(out, mb);
		if (err)
			re_fprintf(stderr, "sipflow scenario: %s: cannot "
				   "write: %m\n", out, err);
	}
	else if (fwrite(mb->buf, 1, mb->end, stdout) != mb->end ||
		 stdout_flush()) {
		err = EIO;
		re_fprintf(stderr, "sipflow scenario: stdout: cannot write\n");
	}
	mem_deref(mb);
	mem_deref(list);

	return err ? EXIT_BAD : EXIT_PASS;
}
