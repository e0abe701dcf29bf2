/* engine/check/rules.c — the conformance rules: one table, one row per rule
 *
 * Every message a simulated role receives is checked against every rule
 * (in self-play that includes the engine's own output). A rule's
 * severity follows the RFC's keyword: MUST / MUST NOT (and the grammar)
 * make an error, which fails the step that took the message; SHOULD /
 * SHOULD NOT / RECOMMENDED make a warning, which is reported and fails
 * the step only under run --strict. docs/rules.md quotes, for each rule,
 * the sentence it enforces. A scenario can disable a rule or change its
 * severity (rules: in the scenario, with a reason).
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "rules.h"
#include "rules_checks.h"


#define E RULE_ERROR
#define W RULE_WARNING

static const struct rule table[] = {
	/* the message by itself: RFC 3261 §7, §8.1.1, §20 */
	{"SIP-VERSION", "RFC 3261 §7.1", E, chk_version,
	 "the SIP version is SIP/2.0, sent in upper case"},
	{"VIA-PRESENT", "RFC 3261 §8.1.1, §20", E, chk_via_present,
	 "a message has a Via"},
	{"VIA-BRANCH-COOKIE", "RFC 3261 §8.1.1.7", E, chk_via_branch,
	 "a request's top Via branch starts with the magic cookie z9hG4bK"},
	{"VIA-PROTOCOL", "RFC 3261 §8.1.1.7, §25.1", E, chk_via_protocol,
	 "every Via names SIP/2.0 and a transport token"},
	{"FROM-PRESENT", "RFC 3261 §8.1.1, §20", E, chk_from_present,
	 "a message has a From"},
	{"TO-PRESENT", "RFC 3261 §8.1.1, §20", E, chk_to_present,
	 "a message has a To"},
	{"CALLID-PRESENT", "RFC 3261 §8.1.1, §20", E, chk_callid_present,
	 "a message has a Call-ID"},
	{"CSEQ-PRESENT", "RFC 3261 §8.1.1, §20.16", E, chk_cseq_present,
	 "a message has a CSeq of a number and a method"},
	{"CSEQ-RANGE", "RFC 3261 §8.1.1.5", E, chk_cseq_range,
	 "the CSeq number is below 2**31"},
	{"SINGLE-VALUED", "RFC 3261 §7.3.1", E, chk_single_valued,
	 "From, To, Call-ID, CSeq, Max-Forwards, Content-Length and "
	 "Content-Type appear once"},
	{"CONTENT-LENGTH", "RFC 3261 §18.3, §20.14", E, chk_clen,
	 "the message carries the body bytes its Content-Length announces "
	 "(bytes beyond them are discarded, not an error)"},
	{"CONTENT-TYPE", "RFC 3261 §20.15", E, chk_ctype,
	 "a body comes with a Content-Type"},
	{"CALLID-SYNTAX", "RFC 3261 §25.1", E, chk_callid_syntax,
	 "a Call-ID is word[@word] of the grammar's word characters"},
	/* requests */
	{"MAXFWD-PRESENT", "RFC 3261 §8.1.1.6", E, chk_maxfwd_present,
	 "a request has a Max-Forwards"},
	{"MAXFWD-RANGE", "RFC 3261 §20.22", E, chk_maxfwd_range,
	 "Max-Forwards is an integer 0-255"},
	{"FROM-TAG", "RFC 3261 §8.1.1.3", E, chk_from_tag,
	 "a request's From has a tag"},
	{"CSEQ-METHOD", "RFC 3261 §8.1.1.5", E, chk_cseq_method,
	 "a request's CSeq method is the request's method"},
	{"CONTACT-INVITE", "RFC 3261 §8.1.1.8", E, chk_contact_invite,
	 "an INVITE has a Contact"},
	{"CONTACT-SINGLE", "RFC 3261 §8.1.1.8", E, chk_contact_single,
	 "a dialog-creating request has exactly one Contact URI"},
	{"INDIALOG-TO-TAG", "RFC 3261 §12.2.1.1", E, chk_indialog_totag,
	 "BYE, PRACK and UPDATE carry the To tag of their dialog"},
	{"REFER-TO-ONE", "RFC 3515 §2.4.1", E, chk_refer_to,
	 "a REFER has exactly one Refer-To"},
	{"SUBSCRIBE-EVENT", "RFC 3265 §3.1.2 (RFC 6665)", E,
	 chk_subscribe_event, "a SUBSCRIBE has exactly one Event"},
	{"NOTIFY-EVENT", "RFC 3265 §7.2 (RFC 6665), RFC 3515 §2.4.4", E,
	 chk_notify_event, "a NOTIFY has an Event"},
	{"NOTIFY-SUBSTATE", "RFC 3265 §3.2.4 (RFC 6665)", E,
	 chk_notify_substate, "a NOTIFY has a Subscription-State"},
	{"NOTIFY-REFER-SIPFRAG", "RFC 3515 §2.4.5", E, chk_notify_sipfrag,
	 "a NOTIFY for Event: refer carries message/sipfrag"},
	{"CANCEL-MIRRORS-INVITE", "RFC 3261 §9.1", E, chk_cancel,
	 "a CANCEL has its INVITE's Request-URI and Via branch"},
	{"CSEQ-INCREASES", "RFC 3261 §12.2.1.1", E, chk_cseq_increase,
	 "each new request in a dialog has a higher CSeq"},
	/* responses: RFC 3261 §8.2.6, §12.1.1, §21 */
	{"TO-TAG-RESPONSE", "RFC 3261 §8.2.6.2", E, chk_totag_response,
	 "a response other than 100 has a To tag"},
	{"RESP-VIA-ECHO", "RFC 3261 §8.2.6.2", E, chk_resp_via,
	 "a response carries the Via values of its request, in order"},
	{"RESP-IDS-ECHO", "RFC 3261 §8.2.6.2", E, chk_resp_ids,
	 "a response copies Call-ID, CSeq, the From URI and tag, and the "
	 "To URI (and tag, if the request had one) of its request"},
	{"RR-ECHO", "RFC 3261 §12.1.1", E, chk_rr_echo,
	 "a dialog-creating 1xx/2xx to INVITE copies all the request's "
	 "Record-Route values, in order"},
	{"CONTACT-2XX-INVITE", "RFC 3261 §12.1.1", E,
	 chk_contact_2xx_invite, "a 2xx to INVITE has a Contact"},
	{"CONTACT-3XX", "RFC 3261 §8.3, §21.3.2, §21.3.3", W,
	 chk_contact_3xx, "a 301/302 names the new location in Contact"},
	{"ALLOW-405", "RFC 3261 §21.4.6", E, chk_allow_405,
	 "a 405 lists the allowed methods in Allow"},
	{"WWW-AUTH-401", "RFC 3261 §20 (Table 3), §22.1", E,
	 chk_www_auth_401, "a 401 has a WWW-Authenticate"},
	{"PROXY-AUTH-407", "RFC 3261 §20 (Table 3), §22.1", E,
	 chk_proxy_auth_407, "a 407 has a Proxy-Authenticate"},
	{"MIN-EXPIRES-423", "RFC 3261 §10.3, RFC 3265 §7.1", E,
	 chk_min_expires_423, "a 423 to REGISTER or SUBSCRIBE has a "
	 "Min-Expires"},
	{"UNSUPPORTED-420", "RFC 3261 §21.4.15", E, chk_unsupported_420,
	 "a 420 lists what it does not support in Unsupported"},
	/* proxies: RFC 3261 §16 */
	{"PROXY-MAXFWD", "RFC 3261 §16.6 step 3", E, chk_proxy_maxfwd,
	 "a proxy decrements Max-Forwards by one"},
	{"PROXY-VIA", "RFC 3261 §16.6 step 8", E, chk_proxy_via,
	 "a proxy pushes one Via with a new branch above the received ones"},
	{"RR-LR", "RFC 3261 §16.6 step 4", E, chk_rr_lr,
	 "a Record-Route value a proxy adds is a sip or sips URI with the "
	 "lr parameter"},
	/* SDP: RFC 4566, offer/answer RFC 3264 */
	{"SDP-VERSION", "RFC 4566 §5, §5.1", E, chk_sdp_version,
	 "an SDP body starts with v=0"},
	{"SDP-ORIGIN", "RFC 4566 §5, §5.2", E, chk_sdp_origin,
	 "an SDP body has an o= line with six fields"},
	{"SDP-CONNECTION", "RFC 4566 §5.7", E, chk_sdp_connection,
	 "SDP has c= at session level or in every m= section"},
	{"SDP-RTPMAP", "RFC 4566 §8.2.3, RFC 3264 §6.1", E, chk_sdp_rtpmap,
	 "a dynamic RTP payload type (96-127) has an a=rtpmap"},
	{"SDP-ANSWER-MLINES", "RFC 3264 §6", E, chk_sdp_answer_mlines,
	 "an answer has as many m= lines as the offer"},
	{"SDP-ANSWER-PT", "RFC 3264 §6.1", E, chk_sdp_answer_pt,
	 "a stream the answer accepts lists at least one format of the "
	 "offer's (more are allowed)"},
	{"SDP-ORIGIN-NEXT", "RFC 3264 §8", E, chk_sdp_origin_next,
	 "a party's next SDP in a call keeps its o= line and raises the "
	 "version by one, or repeats the SDP unchanged"},
	/* SDP security descriptions: RFC 4568 */
	{"CRYPTO-SYNTAX", "RFC 4568 §9.1, §6.1", E, chk_crypto_syntax,
	 "an a=crypto line is <tag> <crypto-suite> inline:<key||salt>, the "
	 "tag 1 to 9 digits, the key base64 of the suite's length"},
	{"CRYPTO-ANSWER", "RFC 4568 §5.1.2", E, chk_crypto_answer,
	 "an answer that accepts a stream offered with a=crypto accepts "
	 "exactly one offered crypto attribute: one a=crypto line with an "
	 "offered tag and that tag's crypto-suite"},
};

#undef E
#undef W


/** The rule table */
const struct rule *rules_table(size_t *n)
{
	if (n)
		*n = ARRAY_SIZE(table);

	return table;
}


/** A rule by id, or NULL */
const struct rule *rule_find(const char *id)
{
	size_t i;

	for (i = 0; id && i < ARRAY_SIZE(table); i++) {
		if (!str_casecmp(table[i].id, id))
			return &table[i];
	}

	return NULL;
}


static bool listed(const struct list *l, const char *id)
{
	struct le *le;

	for (le = l ? l->head : NULL; le; le = le->next) {
		const struct strle *s = le->data;
		if (!str_casecmp(s->str, id))
			return true;
	}

	return false;
}


/** A rule's severity in a scenario (rules: disable / severity) */
enum rule_sev rule_severity(const struct rule *ru, const struct scenario *sc)
{
	if (sc && listed(&sc->rules_off, ru->id))
		return RULE_OFF;
	if (sc && listed(&sc->rules_warn, ru->id))
		return RULE_WARNING;
	if (sc && listed(&sc->rules_err, ru->id))
		return RULE_ERROR;

	return ru->sev;
}


static void finding_destructor(void *data)
{
	struct finding *f = data;

	list_unlink(&f->le);
	mem_deref(f->step);
	mem_deref(f->bad);
}


/**
 * Run every rule on a message; append what it breaks to findings.
 * Returns the number of findings that fail the step: errors (severity
 * after tuning), and under strict (run --strict) warnings too.
 */
int rules_check(struct list *findings, const struct rulectx *c,
		const struct scenario *sc, const struct step *st,
		bool strict)
{
	struct rulememo memo;
	struct rulectx mc;
	int nerr = 0;
	size_t i;

	if (!findings || !c || !c->m)
		return 0;

	/* the checks share what they parse of this message */
	memo.n = 0;
	mc = *c;
	mc.memo = &memo;
	c = &mc;

	for (i = 0; i < ARRAY_SIZE(table); i++) {
		const struct rule *ru = &table[i];
		enum rule_sev sev = rule_severity(ru, sc);
		struct finding *f;
		char *bad = NULL;

		if (sev == RULE_OFF || !ru->check(c, &bad)) {
			mem_deref(bad);
			continue;
		}

		f = mem_zalloc(sizeof(*f), finding_destructor);
		if (!f) {
			mem_deref(bad);
			break;
		}
		f->rule = ru;
		f->sev = sev;
		f->strict = strict;
		f->frame = c->r->frame;
		f->bad = bad;
		if (st)
			(void)str_dup(&f->step, st->id);
		list_append(findings, &f->le, f);
		if (finding_fails(f))
			++nerr;
	}

	return nerr;
}


/** True if the finding fails its step: an error, or a warning under
 *  run --strict */
bool finding_fails(const struct finding *f)
{
	return f && (f->sev == RULE_ERROR ||
		     (f->sev == RULE_WARNING && f->strict));
}


/** "rule VIA-BRANCH-COOKIE (RFC 3261 §8.1.1.7): text — got Via: …";
 *  a warning that fails its step says so */
int finding_print(struct re_printf *pf, const struct finding *f)
{
	return re_hprintf(pf, "rule %s (%s): %s%s%s%s", f->rule->id,
			  f->rule->rfc, f->rule->text, f->bad ? " — got " : "",
			  f->bad ? f->bad : "",
			  f->sev == RULE_WARNING && f->strict ?
			  " (a SHOULD of the RFC: a warning, failing the "
			  "step under --strict)" : "");
}
