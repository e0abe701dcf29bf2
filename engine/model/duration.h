/* engine/model/duration.h — "500ms", "2s", "1.5s", "1m" to milliseconds */
#ifndef SIPFLOW_DURATION_H
#define SIPFLOW_DURATION_H

int duration_parse(uint32_t *ms, const char *s);

#endif
