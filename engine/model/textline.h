/* engine/model/textline.h — a text (a message body, a header block) line
 * by line */
#ifndef SIPFLOW_TEXTLINE_H
#define SIPFLOW_TEXTLINE_H

#include <stdbool.h>

struct pl;

bool text_line(const char **p, const char *end, struct pl *line);

#endif
