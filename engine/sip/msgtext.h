/* engine/sip/msgtext.h — the status, Call-ID and top Via branch of a
 * message read as text */

uint16_t msgtext_status(const struct mbuf *mb);
struct pl msgtext_callid(const struct mbuf *mb);
struct pl msgtext_branch(const struct mbuf *mb);
