/* capture/scengen_sdp.c — what a captured SDP says that a scenario can
 * say again: the first media line's formats, their codec names (rtpmap or
 * static), its direction (else the session's) and the c= address; sdp:
 * for a scripted sender */
#include <string.h>
#include <re.h>
#include "scengen.h"
#include "scengen_priv.h"


/* what the scenario format knows of an SDP (sdp: codecs) */
static const char *const codec_names[] = {
	"PCMU", "PCMA", "G722", "telephone-event",
};


/* where s first occurs in pl, or NULL */
const char *scengen_pfind(const struct pl *pl, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; n <= pl->l && i + n <= pl->l; i++) {
		if (!memcmp(pl->p + i, s, n))
			return pl->p + i;
	}

	return NULL;
}


static void sdp_codec(struct sdpinfo *si, const struct pl *pt,
		      const struct pl *body)
{
	static const struct {const char *pt, *name;} statics[] = {
		{"0", "PCMU"}, {"8", "PCMA"}, {"9", "G722"},
	};
	char rx[48], name[24] = "";
	struct pl rest = *body, n;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(statics); i++) {
		if (!pl_strcmp(pt, statics[i].pt))
			str_ncpy(name, statics[i].name, sizeof(name));
	}
	re_snprintf(rx, sizeof(rx), "a=rtpmap:%r ", pt);
	while (!name[0] && rest.l) {
		const char *p = scengen_pfind(&rest, rx);

		if (!p)
			break;
		pl_advance(&rest, (size_t)(p - rest.p) + strlen(rx));
		if (!re_regex(rest.p, rest.l, "[^/\r\n]+", &n))
			pl_strcpy(&n, name, sizeof(name));
	}
	if (si->ncodecs >= ARRAY_SIZE(si->codecs))
		return;
	str_ncpy(si->codecs[si->ncodecs++], name[0] ? name : "?",
		 sizeof(si->codecs[0]));
	for (i = 0; i < ARRAY_SIZE(codec_names); i++) {
		if (!str_casecmp(name, codec_names[i]))
			return;
	}
	si->all_known = false;
}


static bool sdp_dir(struct sdpinfo *si, const struct pl *sec)
{
	static const char *const dirs[] = {
		"sendrecv", "sendonly", "recvonly", "inactive"};
	char a[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		re_snprintf(a, sizeof(a), "a=%s", dirs[i]);
		if (scengen_pfind(sec, a)) {
			str_ncpy(si->dir, dirs[i], sizeof(si->dir));
			return true;
		}
	}

	return false;
}


void scengen_sdp_read(struct sdpinfo *si, const struct sip_msg *q)
{
	struct pl body, media, fmts, pt, addr, rest;
	const char *mline;

	memset(si, 0, sizeof(*si));
	si->all_known = true;
	pl_set_mbuf(&body, q->mb);
	if (!re_regex(body.p, body.l, "c=IN IP[46]1 [^ \r\n]+", NULL, &addr))
		pl_strcpy(&addr, si->caddr, sizeof(si->caddr));
	mline = scengen_pfind(&body, "m=");
	if (!mline)
		return;
	rest.p = mline;
	rest.l = body.l - (size_t)(mline - body.p);
	/* the media's own c= (RFC 4566 §5.7) over the session's */
	if (!re_regex(rest.p, rest.l, "c=IN IP[46]1 [^ \r\n]+", NULL, &addr))
		pl_strcpy(&addr, si->caddr, sizeof(si->caddr));
	if (re_regex(rest.p, rest.l, "m=[a-z]+ [0-9/]+ [^ ]+ [^\r\n]+",
		     &media, NULL, NULL, &fmts))
		return;
	pl_strcpy(&media, si->media, sizeof(si->media));
	pl_strcpy(&fmts, si->fmts, sizeof(si->fmts));
	while (!re_regex(fmts.p, fmts.l, "[0-9]+", &pt)) {
		sdp_codec(si, &pt, &body);
		pl_advance(&fmts, (size_t)(pt.p + pt.l - fmts.p));
	}
	/* the direction the first media says, else the session's */
	media.p = body.p;
	media.l = (size_t)(mline - body.p);
	if (!sdp_dir(si, &rest))
		(void)sdp_dir(si, &media);
}


/* sdp: what a scripted sender puts in its SDP (or false: none) */
int scengen_print_sdp(struct out *o, const char *ind, const struct sgm *m)
{
	const struct sip_msg *q = m->msg;
	struct re_printf *pf = o->pf;
	struct sdpinfo si;
	char ip[64];
	unsigned i;
	int err;

	if (!scengen_has_sdp(q)) {
		bool inv = !pl_strcmp(&q->cseq.met, "INVITE");

		if ((q->req && inv && pl_strcmp(&q->met, "ACK")) ||
		    (!q->req && inv && q->scode >= 180 && q->scode < 300))
			return re_hprintf(pf, "%ssdp: false\n", ind);
		return 0;
	}

	scengen_sdp_read(&si, q);
	if (!si.ncodecs || !si.all_known)
		return 0;     /* said as an expectation only */
	err = re_hprintf(pf, "%ssdp: {codecs: [", ind);
	for (i = 0; i < si.ncodecs; i++)
		err |= re_hprintf(pf, "%s%s", i ? ", " : "", si.codecs[i]);
	err |= re_hprintf(pf, "]");
	if (si.dir[0])
		err |= re_hprintf(pf, ", direction: %s", si.dir);
	re_snprintf(ip, sizeof(ip), "%j", &q->src);
	if (si.caddr[0] && strcmp(si.caddr, ip))
		err |= re_hprintf(pf, ", address: %s", si.caddr);

	return err | re_hprintf(pf, "}\n");
}
