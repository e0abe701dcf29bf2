/* engine/sip/rawhex.h — <hex>…</hex> octets in a raw: message (RFC 4475
 * §2.2) */

size_t rawhex_len(const char *s);
int rawhex_write(struct mbuf *mb, const char *s, char **why);
