/* engine/check/match.h — does a received message fulfil an expected step? */
#ifndef SIPFLOW_MATCH_H
#define SIPFLOW_MATCH_H

struct msgrec;
struct step;

enum match_res {
	MATCH_NO = 0,  /* another kind of message, or another direction */
	MATCH_YES,     /* this step's message, and it is right */
	MATCH_BAD,     /* this step's message, but it is wrong (why) */
};

bool match_kind(const struct step *st, const struct msgrec *r);
bool match_answers_other(const struct step *st, const struct msgrec *r,
			 const struct list *ledgers,
			 struct msgrec *const *steprec, struct msgrec **reqp);
enum match_res match_step(const struct step *st,
			  const struct scenario *sc, struct msgrec *r,
			  const struct list *ledgers,
			  struct msgrec *const *steprec,
			  struct msgrec **antp, char **why);

#endif
