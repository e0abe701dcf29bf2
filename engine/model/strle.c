/* engine/model/strle.c — a string in a list (tags, codecs, route sets) */
#include <re.h>
#include "scenario.h"


static void destructor(void *data)
{
	struct strle *s = data;

	list_unlink(&s->le);
	mem_deref(s->str);
}


/** Add a copy of pl to l, at the front or the back */
int strle_add(struct list *l, const struct pl *pl, const struct srcpos *pos,
	      bool front)
{
	struct strle *s;

	if (!l || !pl)
		return EINVAL;

	s = mem_zalloc(sizeof(*s), destructor);
	if (!s)
		return ENOMEM;

	if (pl_strdup(&s->str, pl)) {
		mem_deref(s);
		return ENOMEM;
	}
	if (pos)
		s->pos = *pos;

	if (front)
		list_prepend(l, &s->le, s);
	else
		list_append(l, &s->le, s);

	return 0;
}
