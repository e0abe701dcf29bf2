/* reports/xml.h — text escaped for XML and HTML */
#ifndef SIPFLOW_XML_H
#define SIPFLOW_XML_H

int xml_escape(struct re_printf *pf, const char *s);
int xml_escape_text(struct re_printf *pf, const char *s);

#endif
