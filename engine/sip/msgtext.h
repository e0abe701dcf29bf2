/* engine/sip/msgtext.h — the status and Call-ID of a message read as
 * text */

uint16_t msgtext_status(const struct mbuf *mb);
struct pl msgtext_callid(const struct mbuf *mb);
