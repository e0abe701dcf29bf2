/* engine/model/duration.c — "500ms", "2s", "1.5s", "1m" to milliseconds */
#include <string.h>
#include <stdlib.h>
#include <re.h>
#include "duration.h"


/** Parse a duration; a bare number is seconds. EINVAL if it is not one. */
int duration_parse(uint32_t *ms, const char *s)
{
	double v, mult = 1000.0;
	char *end = NULL;

	if (!ms || !s || !*s)
		return EINVAL;

	if (*s < '0' || *s > '9')
		return EINVAL;

	v = strtod(s, &end);
	if (!end || end == s)
		return EINVAL;

	if (!strcmp(end, "ms"))
		mult = 1.0;
	else if (!strcmp(end, "s") || !*end)
		mult = 1000.0;
	else if (!strcmp(end, "m") || !strcmp(end, "min"))
		mult = 60000.0;
	else
		return EINVAL;

	v *= mult;
	if (v < 0 || v > 86400000.0)
		return EINVAL;

	*ms = (uint32_t)(v + 0.5);
	return 0;
}
