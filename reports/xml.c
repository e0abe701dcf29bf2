/* reports/xml.c — text escaped for XML and HTML attributes and content */
#include <re.h>
#include "xml.h"


/**
 * Print a string escaped for XML 1.0: the five special characters as
 * entities; control characters XML cannot carry (all but tab, LF, CR)
 * as U+FFFD.
 */
int xml_escape(struct re_printf *pf, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int err = 0;

	for (; p && *p && !err; p++) {
		switch (*p) {

		case '&':  err = re_hprintf(pf, "&amp;"); break;
		case '<':  err = re_hprintf(pf, "&lt;"); break;
		case '>':  err = re_hprintf(pf, "&gt;"); break;
		case '"':  err = re_hprintf(pf, "&quot;"); break;
		case '\'': err = re_hprintf(pf, "&apos;"); break;
		default:
			if (*p < 0x20 && *p != '\t' && *p != '\n' &&
			    *p != '\r')
				err = re_hprintf(pf, "\xef\xbf\xbd");
			else
				err = pf->vph((const char *)p, 1, pf->arg);
			break;
		}
	}

	return err;
}
