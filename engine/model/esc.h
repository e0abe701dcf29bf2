/* engine/model/esc.h — bytes a peer sent, made safe for who reads them */
#ifndef SIPFLOW_ESC_H
#define SIPFLOW_ESC_H

/** esc_utf8_seq's code point for bytes that are not well-formed UTF-8 */
#define ESC_BAD 0xffffffffu

size_t esc_utf8_seq(const uint8_t *p, size_t n, uint32_t *cpp);
int  esc_ctl(struct re_printf *pf, uint8_t c);
int  esc_term(struct re_printf *pf, const uint8_t *p, size_t n);
int  esc_term_str(struct re_printf *pf, const char *s);
int  esc_term_pl(struct re_printf *pf, const struct pl *pl);
int  esc_utf8_dup(char **strp, const uint8_t *p, size_t n, bool *exactp);

#endif
