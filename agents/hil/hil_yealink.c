/* agents/hil/hil_yealink.c — a Yealink handset through its Action URI:
 * each verb is one or more HTTP GETs of /servlet?key=… (the keys a
 * person would press), with the phone's web login as HTTP Basic
 * credentials; every one must answer 200. The phone's Action URL
 * callbacks (incoming call, answered, on hook …), configured on the phone
 * to http://EVENTS/event?name=…, become notes in the run's log.
 *
 * The key sequences (Yealink administrator's guide, "Action URI"), each
 * replaceable per verb by the testbed (driver: {keys: {VERB: [GET, …]}}:
 * firmware differs):
 *   dial      key=number={user}&outgoing_uri={line} — outgoing_uri is
 *             the phone's own account to call from (ext@server), the
 *             number the callee
 *   answer    key=OK            reject   key=CANCEL
 *   hangup    key=CALLEND       hold     key=HOLD      resume key=UNHOLD
 *   transfer  key=F_TRANSFER, then key=number={user}, then
 *             key=F_TRANSFER (blind: complete at once)
 *   dtmf      key=1;2;STAR;POUND (one key per digit)
 *   reset     key=Reboot (the phone answers 200, then restarts: it is
 *             back when it registers again, testbed register:)
 */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scenario.h"
#include "hil_priv.h"


enum { MAX_GETS = HIL_KEYS_MAX };

struct yphone {
	struct hil *h;
	struct http_cli *cli;
	struct dnsc *dnsc;
	struct http_req *req;
	struct http_sock *evsock;    /* Action URL callbacks */
	char *auth;                  /* "Authorization: Basic …" or "" */
	char *gets[MAX_GETS];        /* what is left to send, in order */
	unsigned nget, next;
	char verb[16];
};

static const char *const seqs[DO_NVERBS][MAX_GETS] = {
	[DO_DIAL]     = {"number={user}&outgoing_uri={line}"},
	[DO_ANSWER]   = {"OK"},
	[DO_REJECT]   = {"CANCEL"},
	[DO_HANGUP]   = {"CALLEND"},
	[DO_HOLD]     = {"HOLD"},
	[DO_RESUME]   = {"UNHOLD"},
	[DO_TRANSFER] = {"F_TRANSFER", "number={user}", "F_TRANSFER"},
	[DO_DTMF]     = {"{keys}"},
	[DO_RESET]    = {"Reboot"},
};


static const char *check(const struct hil_cfg *cfg, const struct do_spec *d)
{
	if (d->verb != DO_SET && cfg->keys[d->verb])
		return NULL;   /* the testbed's sequence: it knows */
	if (d->verb == DO_REGISTER || d->verb == DO_UNREGISTER)
		return "the Action URI has no key that registers or "
		       "unregisters a line (the phone registers as its "
		       "account settings say: account.1.enable; give the "
		       "testbed register: {with: P, timeout:} to wait for "
		       "it)";
	if (!seqs[d->verb][0])
		return "the Action URI has no key for it";
	if (d->verb == DO_TRANSFER && d->attended)
		return "an attended transfer is not one sequence of keys";
	if (d->verb == DO_REJECT && d->scode != 486)
		return "the phone's reject key sends what the phone is set to "
		       "(486 by default): reject with 486";

	return NULL;
}


static int where(struct re_printf *pf, const struct hil *h)
{
	return re_hprintf(pf, "%s", h->cfg->url);
}


/* "1*#" → "1;STAR;POUND" */
static int dtmf_keys(struct mbuf *mb, const char *digits)
{
	int err = 0;
	size_t i;

	for (i = 0; digits && digits[i] && !err; i++) {
		if (i)
			err = mbuf_write_u8(mb, ';');
		if (digits[i] == '*')
			err |= mbuf_write_str(mb, "STAR");
		else if (digits[i] == '#')
			err |= mbuf_write_str(mb, "POUND");
		else
			err |= mbuf_write_u8(mb, (uint8_t)digits[i]);
	}

	return err;
}


static void send_next(struct yphone *y);


static void resp_h(int err, const struct http_msg *msg, void *arg)
{
	struct yphone *y = arg;
	const char *sent = y->gets[y->next - 1];

	y->req = mem_deref(y->req);

	if (err) {
		hil_done(y->h, err, "HTTP GET ?key=%s to %s failed: %m", sent,
			 y->h->cfg->url, err);
		return;
	}
	if (msg->scode == 401 || msg->scode == 403) {
		hil_done(y->h, EACCES, "the phone refused the credentials "
			 "(HTTP %u %r) for ?key=%s", msg->scode, &msg->reason,
			 sent);
		return;
	}
	if (msg->scode < 200 || msg->scode > 299) {
		hil_done(y->h, EPROTO, "the phone answered HTTP %u %r to "
			 "?key=%s", msg->scode, &msg->reason, sent);
		return;
	}

	send_next(y);
}


static void send_next(struct yphone *y)
{
	char *uri = NULL;
	int err;

	if (y->next >= y->nget) {
		hil_done(y->h, 0, NULL);
		return;
	}

	err = re_sdprintf(&uri, "%s/servlet?key=%s", y->h->cfg->url,
			  y->gets[y->next++]);
	if (!err)
		err = http_request(&y->req, y->cli, "GET", uri, resp_h, NULL,
				   y, "%s\r\n", y->auth);
	mem_deref(uri);
	if (err)
		hil_done(y->h, err, "cannot send to the phone at %s: %m",
			 y->h->cfg->url, err);
	else if (y->next == y->nget)
		hil_sent(y->h);   /* the key that acts; the others prepare */
}


static void clear_gets(struct yphone *y)
{
	unsigned i;

	for (i = 0; i < MAX_GETS; i++)
		y->gets[i] = mem_deref(y->gets[i]);
	y->nget = y->next = 0;
}


/* a value for a query string: only what a URI may carry as it is */
static int fill(char **out, const char *tmpl, struct hil *h,
		const struct do_spec *d, const char *uri)
{
	struct mbuf *mb;
	int err;

	if (strcmp(tmpl, "{keys}"))
		return hil_subst(out, tmpl, h, d, uri, false);

	mb = mbuf_alloc(32);
	if (!mb)
		return ENOMEM;
	err = dtmf_keys(mb, d->text);
	mb->pos = 0;
	if (!err)
		err = mbuf_strdup(mb, out, mb->end);
	mem_deref(mb);

	return err;
}


/* the testbed's key sequence for the verb: one request a line */
static int testbed_keys(struct yphone *y, const struct do_spec *d,
			const char *uri)
{
	const char *p = y->h->cfg->keys[d->verb];
	int err = 0;

	while (*p && y->nget < MAX_GETS && !err) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *one = NULL;

		err = re_sdprintf(&one, "%b", p, n);
		if (!err)
			err = fill(&y->gets[y->nget++], one, y->h, d, uri);
		mem_deref(one);
		p += n + (nl ? 1 : 0);
	}

	return err;
}


static int act(struct hil *h, const struct do_spec *d, const char *uri)
{
	struct yphone *y = h->st;
	unsigned i;
	int err = 0;

	clear_gets(y);
	y->req = mem_deref(y->req);

	if (h->cfg->keys[d->verb])
		err = testbed_keys(y, d, uri);
	else
		for (i = 0; i < MAX_GETS && seqs[d->verb][i] && !err; i++)
			err = fill(&y->gets[y->nget++], seqs[d->verb][i], h,
				   d, uri);
	if (err)
		return err;

	send_next(y);
	return 0;
}


/* a query as a person reads it: %3A → ':' (libre's unescapers refuse
 * the '=' and '&' a query is made of) */
static int print_query(struct re_printf *pf, const struct pl *q)
{
	size_t i;
	int err = 0;

	for (i = 0; i < q->l && !err; i++) {
		char c = q->p[i];

		if (c == '%' && i + 2 < q->l && isxdigit((uint8_t)q->p[i + 1])
		    && isxdigit((uint8_t)q->p[i + 2])) {
			c = (char)(ch_hex(q->p[i + 1]) << 4 |
				   ch_hex(q->p[i + 2]));
			i += 2;
		}
		else if (c == '+') {
			c = ' ';
		}
		err = re_hprintf(pf, "%c", (c < 0x20 || c == 0x7f) ? '?' : c);
	}

	return err;
}


/* the phone's Action URL events (its action_url.* settings), each set to
 * http://EVENTS/event?name=<the setting's name>&remote=$remote */
static const char *const evnames[] = {
	"setup_completed", "log_on", "log_off", "register_failed",
	"off_hook", "on_hook", "incoming_call", "outgoing_call",
	"call_established", "call_terminated", "open_dnd", "close_dnd",
	"open_always_fwd", "close_always_fwd", "open_busy_fwd",
	"close_busy_fwd", "open_no_answer_fwd", "close_no_answer_fwd",
	"transfer_call", "blind_transfer_call", "attended_transfer_call",
	"hold", "unhold", "mute", "unmute", "missed_call", "ip_change",
	"forward_incoming_call", "reject_incoming_call",
	"answer_new_incoming_call", "transfer_finished", "transfer_failed",
	"idle_to_busy", "busy_to_idle",
};


static const char *events_check(const struct hil_cfg *cfg)
{
	return cfg->events ? NULL
		: "the testbed gives it no events: listener (HOST:PORT, "
		  "where the phone's Action URLs go)";
}


/* a query parameter, decoded (%XX, '+'), or "" */
static void query_param(char *buf, size_t sz, const struct pl *q,
			const char *name)
{
	struct pl rest = *q;
	size_t n = strlen(name);

	buf[0] = '\0';
	while (rest.l) {
		const char *amp = pl_strchr(&rest, '&');
		struct pl part = {rest.p, amp ? (size_t)(amp - rest.p)
				  : rest.l};

		if (part.l > n && part.p[n] == '=' &&
		    !strncmp(part.p, name, n)) {
			struct pl v = {part.p + n + 1, part.l - n - 1};

			(void)re_snprintf(buf, sz, "%H", print_query, &v);
			return;
		}
		if (!amp)
			break;
		pl_advance(&rest, part.l + 1);
	}
}


/* Action URL: GET /event?name=incoming_call&remote=… from the phone */
static void event_h(struct http_conn *conn, const struct http_msg *msg,
		    void *arg)
{
	struct yphone *y = arg;
	struct pl prm = msg->prm;
	char name[64], remote[256];
	size_t i;

	if (prm.l && prm.p[0] == '?')
		pl_advance(&prm, 1);
	hil_note(y->h, "Action URL %r?%H", &msg->path, print_query, &prm);
	(void)http_reply(conn, 200, "OK", "Content-Length: 0\r\n\r\n");

	query_param(name, sizeof(name), &prm, "name");
	query_param(remote, sizeof(remote), &prm, "remote");
	for (i = 0; i < ARRAY_SIZE(evnames); i++) {
		if (!strcmp(evnames[i], name))
			hil_event(y->h, name, remote[0] ? remote : NULL);
	}
}


static void destructor(void *data)
{
	struct yphone *y = data;

	clear_gets(y);
	mem_deref(y->req);
	mem_deref(y->cli);
	mem_deref(y->dnsc);
	mem_deref(y->evsock);
	mem_deref(y->auth);
}


static int basic_auth(char **out, const char *user, const char *pass)
{
	char *plain = NULL, b64[512];
	size_t n = sizeof(b64);
	int err;

	if (!user || !pass)
		return str_dup(out, "");

	err = re_sdprintf(&plain, "%s:%s", user, pass);
	if (!err)
		err = base64_encode((uint8_t *)plain, strlen(plain), b64, &n);
	if (plain)
		memset(plain, 0, strlen(plain));
	mem_deref(plain);
	if (!err)
		err = re_sdprintf(out, "Authorization: Basic %b\r\n", b64, n);

	return err;
}


static int open_(struct hil *h)
{
	const struct hil_cfg *cfg = h->cfg;
	struct yphone *y = mem_zalloc(sizeof(*y), destructor);
	int err;

	if (!y)
		return ENOMEM;
	y->h = h;
	h->st = y;

	if (strncmp(cfg->url, "http://", 7))
		return EPROTONOSUPPORT;

	err = dnsc_alloc(&y->dnsc, NULL, NULL, 0);
	if (!err)
		err = http_client_alloc(&y->cli, y->dnsc);
	if (!err)
		err = basic_auth(&y->auth, cfg->user, cfg->pass);
	if (err)
		return err;

	if (cfg->events) {
		struct sa laddr;

		err = sa_decode(&laddr, cfg->events, strlen(cfg->events));
		if (!err)
			err = http_listen(&y->evsock, &laddr, event_h, y);
		if (err)
			return err;
	}

	hil_set_ready(h);
	return 0;
}


static const char *const keys[] = {"type", "url", "user", "password",
				   "password-env", "events", "line", "keys",
				   "timeout"};

const struct hil_driver hil_yealink = {
	.type = "yealink-http",
	.keys = keys,
	.nkeys = ARRAY_SIZE(keys),
	.required = "url",
	.timeout_ms = 5000,
	.events = evnames,
	.nevents = ARRAY_SIZE(evnames),
	.events_check = events_check,
	.check = check,
	.open = open_,
	.act = act,
	.where = where,
};
