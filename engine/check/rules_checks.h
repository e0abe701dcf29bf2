/* engine/check/rules_checks.h — the rule checks rules.c puts in its table */
#ifndef SIPFLOW_RULES_CHECKS_H
#define SIPFLOW_RULES_CHECKS_H

enum { MAX_M = 8, MAX_FMT = 32 };

/* what the checks need of one SDP */
struct sdpl {
	bool any;
	bool v_first;
	struct pl origin;
	bool c_session;
	unsigned nm;
	struct {
		struct pl line;
		bool c;
		bool rtp;        /* an RTP profile: the formats are payload
				    types */
		unsigned nfmt;
		int fmt[MAX_FMT];
		char name[MAX_FMT][32];
	} m[MAX_M];
};

/**
 * What the checks of one rules_check read once and share: the SDP of the
 * message and of the request it answers.
 */
struct rulememo {
	unsigned n;
	const struct msgrec *of[2];
	struct sdpl sdp[2];
};

struct pl rules_body(const struct msgrec *r);

bool chk_version(const struct rulectx *c, char **bad);
bool chk_via_present(const struct rulectx *c, char **bad);
bool chk_via_branch(const struct rulectx *c, char **bad);
bool chk_via_protocol(const struct rulectx *c, char **bad);
bool chk_from_present(const struct rulectx *c, char **bad);
bool chk_to_present(const struct rulectx *c, char **bad);
bool chk_callid_present(const struct rulectx *c, char **bad);
bool chk_cseq_present(const struct rulectx *c, char **bad);
bool chk_cseq_range(const struct rulectx *c, char **bad);
bool chk_single_valued(const struct rulectx *c, char **bad);
bool chk_clen(const struct rulectx *c, char **bad);
bool chk_ctype(const struct rulectx *c, char **bad);
bool chk_callid_syntax(const struct rulectx *c, char **bad);
bool chk_maxfwd_present(const struct rulectx *c, char **bad);
bool chk_maxfwd_range(const struct rulectx *c, char **bad);
bool chk_from_tag(const struct rulectx *c, char **bad);
bool chk_cseq_method(const struct rulectx *c, char **bad);
bool chk_contact_invite(const struct rulectx *c, char **bad);
bool chk_contact_single(const struct rulectx *c, char **bad);
bool chk_refer_to(const struct rulectx *c, char **bad);
bool chk_subscribe_event(const struct rulectx *c, char **bad);
bool chk_notify_event(const struct rulectx *c, char **bad);
bool chk_notify_substate(const struct rulectx *c, char **bad);
bool chk_notify_sipfrag(const struct rulectx *c, char **bad);
bool chk_indialog_totag(const struct rulectx *c, char **bad);
bool chk_totag_response(const struct rulectx *c, char **bad);
bool chk_contact_2xx_invite(const struct rulectx *c, char **bad);
bool chk_contact_3xx(const struct rulectx *c, char **bad);
bool chk_allow_405(const struct rulectx *c, char **bad);
bool chk_www_auth_401(const struct rulectx *c, char **bad);
bool chk_proxy_auth_407(const struct rulectx *c, char **bad);
bool chk_min_expires_423(const struct rulectx *c, char **bad);
bool chk_unsupported_420(const struct rulectx *c, char **bad);
bool chk_rr_lr(const struct rulectx *c, char **bad);
bool chk_resp_via(const struct rulectx *c, char **bad);
bool chk_resp_ids(const struct rulectx *c, char **bad);
bool chk_rr_echo(const struct rulectx *c, char **bad);
bool chk_proxy_maxfwd(const struct rulectx *c, char **bad);
bool chk_proxy_via(const struct rulectx *c, char **bad);
bool chk_cancel(const struct rulectx *c, char **bad);
bool chk_cseq_increase(const struct rulectx *c, char **bad);
bool chk_sdp_version(const struct rulectx *c, char **bad);
bool chk_sdp_origin(const struct rulectx *c, char **bad);
bool chk_sdp_connection(const struct rulectx *c, char **bad);
bool chk_sdp_rtpmap(const struct rulectx *c, char **bad);
bool chk_sdp_answer_mlines(const struct rulectx *c, char **bad);
bool chk_sdp_answer_pt(const struct rulectx *c, char **bad);
bool chk_sdp_origin_next(const struct rulectx *c, char **bad);
bool chk_crypto_syntax(const struct rulectx *c, char **bad);
bool chk_crypto_answer(const struct rulectx *c, char **bad);

#endif
