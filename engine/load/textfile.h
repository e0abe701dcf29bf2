/* engine/load/textfile.h — reading a scenario, block or testbed file:
 * a regular file only, never blocking, never more than a bound */
#ifndef SIPFLOW_TEXTFILE_H
#define SIPFLOW_TEXTFILE_H

int textfile_read(char **textp, size_t *lenp, const char *file,
		  size_t max, const char **whyp);
const char *textfile_kind(const char *file);

#endif
