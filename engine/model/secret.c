/* engine/model/secret.c — a command line (an exec driver's, a URL) as a
 * log may show it: the value of every credential in it is "***".
 *
 * What counts as one, where a testbed's command may write it:
 *   KEY=VALUE or KEY:VALUE   KEY naming a password, secret or token
 *                            (password=x, --pass=x, api_token:x)
 *   --password VALUE         an option naming one, then its value
 *   -u USER:PASS             curl's --user: what follows the colon
 *   scheme://USER:PASS@host  a URL's password
 * A value ends at a blank, a quote, '&' or ';' (a quoted value at its
 * closing quote). docs/hil.md: credentials never appear in a log.
 */
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <re.h>
#include "secret.h"


/* words that make a key name a credential (compared without case) */
static const char *const words[] = {
	"pass", "pwd", "secret", "token", "credential", "apikey", "api-key",
	"api_key",
};


static bool is_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}


/* the n characters at p name a credential */
static bool secret_key(const char *p, size_t n)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		size_t wl = strlen(words[i]);

		for (j = 0; j + wl <= n; j++) {
			if (!strncasecmp(p + j, words[i], wl))
				return true;
		}
	}

	return false;
}


/* the length of the value at v */
static size_t value_len(const char *v)
{
	if (*v == '\'' || *v == '"') {
		const char *e = strchr(v + 1, *v);

		return e ? (size_t)(e - v) + 1 : strlen(v);
	}

	return strcspn(v, " \t\r\n'\"&;");
}


static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}


/* where a masked span at i ends (i itself: nothing to mask there) */
static size_t secret_at(const char *s, size_t i, bool *next_value,
			bool *next_user)
{
	const char *p = s + i;
	size_t k;

	/* a token: the value an option before it named, or an option */
	if (!i || blank(s[i - 1])) {
		size_t tl = strcspn(p, " \t\r\n");
		bool val = *next_value, user = *next_user;
		const char *colon = memchr(p, ':', tl);

		*next_value = p[0] == '-' && !memchr(p, '=', tl) &&
			      secret_key(p, tl);
		*next_user = (tl == 2 && !strncmp(p, "-u", 2)) ||
			     (tl == 6 && !strncmp(p, "--user", 6));
		if (val && tl)
			return i + (*p == '\'' || *p == '"' ? value_len(p)
				    : tl);
		if (user && colon && colon + 1 < p + tl)
			return i + tl;
	}

	/* KEY=VALUE, KEY:VALUE (not "://": a URL) */
	if ((*p == '=' || *p == ':') && strncmp(p, "://", 3)) {
		for (k = i; k > 0 && is_key_char(s[k - 1]); k--)
			;
		if (k < i && secret_key(s + k, i - k))
			return i + 1 + value_len(p + 1);
	}

	return i;
}


/* scheme://USER:PASS@: where PASS starts and ends, or false */
static bool userinfo(const char *s, size_t i, size_t *b, size_t *e)
{
	const char *p = s + i + 3, *at, *colon;
	size_t l;

	if (strncmp(s + i, "://", 3))
		return false;
	l = strcspn(p, "/ \t\r\n'\"");
	at = memchr(p, '@', l);
	colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
	if (!colon || colon + 1 == at)
		return false;
	*b = (size_t)(colon - s) + 1;
	*e = (size_t)(at - s);

	return true;
}


/** Print s with every credential's value as "***" */
int secret_mask_print(struct re_printf *pf, const char *s)
{
	bool next_value = false, next_user = false;
	size_t i = 0, from = 0, n;
	int err = 0;

	if (!s)
		return 0;

	n = strlen(s);
	while (i < n && !err) {
		size_t b = i, e;

		/* -u alice:secret: the colon is inside the token */
		bool user = next_user && (!i || blank(s[i - 1]));

		e = secret_at(s, i, &next_value, &next_user);
		if (user && e > i) {
			b = (size_t)((const char *)memchr(s + i, ':', e - i) -
				     s) + 1;
		}
		else if (e > i && s[i] != '=' && s[i] != ':') {
			b = i;          /* a whole token: --password VALUE */
		}
		else if (e > i) {
			b = i + 1;      /* after KEY= */
		}
		else if (userinfo(s, i, &b, &e)) {
			;
		}
		else {
			++i;
			continue;
		}

		err = re_hprintf(pf, "%b***", s + from, b - from);
		from = e;
		i = e > i ? e : i + 1;
	}

	if (!err && from < n)
		err = re_hprintf(pf, "%s", s + from);

	return err;
}
