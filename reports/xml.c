/* reports/xml.c — text escaped for XML and HTML attributes and content */
#include <string.h>
#include <re.h>
#include "esc.h"
#include "xml.h"


/*
 * What XML 1.0 (§2.2) cannot carry, even as a character reference: the
 * C0 controls but tab, LF and CR, the surrogates (never valid UTF-8) and
 * U+FFFE, U+FFFF.
 */
static bool xml_char(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';

	return cp != 0xfffe && cp != 0xffff;
}


/* text: tab and LF as they are (element content), else as references */
static int escape(struct re_printf *pf, const char *s, bool text)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = s ? strlen(s) : 0, i = 0;
	int err = 0;

	while (i < n && !err) {
		uint32_t cp;
		size_t len = esc_utf8_seq(p + i, n - i, &cp);

		switch (cp) {

		case '&':  err = re_hprintf(pf, "&amp;"); break;
		case '<':  err = re_hprintf(pf, "&lt;"); break;
		case '>':  err = re_hprintf(pf, "&gt;"); break;
		case '"':  err = re_hprintf(pf, "&quot;"); break;
		case '\'': err = re_hprintf(pf, "&apos;"); break;
		case '\t': case '\n': case '\r':
			if (text && cp != '\r')
				err = pf->vph((const char *)p + i, 1,
					      pf->arg);
			else
				err = re_hprintf(pf, "&#%u;", cp);
			break;
		default:
			if (cp == ESC_BAD || cp == 0xfffe || cp == 0xffff)
				err = re_hprintf(pf, "\xef\xbf\xbd");
			else if (!xml_char(cp))
				err = esc_ctl(pf, (uint8_t)cp);
			else
				err = pf->vph((const char *)p + i, len,
					      pf->arg);
			break;
		}
		i += len;
	}

	return err;
}


/**
 * Print a string escaped for XML 1.0 content and attribute values: the
 * five special characters as entities; tab, LF and CR as character
 * references (an attribute keeps them so); a control character XML
 * cannot carry as a person reads it in the console (\x1b, \0:
 * engine/model/esc.c); U+FFFE, U+FFFF and each ill-formed part of UTF-8
 * as U+FFFD. The output is well-formed whatever s holds.
 */
int xml_escape(struct re_printf *pf, const char *s)
{
	return escape(pf, s, false);
}


/**
 * Print a string escaped for XML 1.0 element content, as xml_escape
 * does but for tab and LF, written as they are: a block of text (a
 * console's lines in <system-out>) stays readable in the file.
 */
int xml_escape_text(struct re_printf *pf, const char *s)
{
	return escape(pf, s, true);
}
