/* engine/model/secret.h — credentials kept out of logs: a command line or
 * a URL printed with its password values as "***" */
#ifndef SIPFLOW_SECRET_H
#define SIPFLOW_SECRET_H

int secret_mask_print(struct re_printf *pf, const char *s);

#endif
