/* engine/check/expect.h — expect: assertions on a received message */
#ifndef SIPFLOW_EXPECT_H
#define SIPFLOW_EXPECT_H

struct msgrec;
struct scenario;

int expect_check(const struct list *expects, const struct msgrec *r,
		 const struct scenario *sc, struct msgrec *const *steprec,
		 char **why);
struct crypto_spec;
int expect_crypto_check(const struct crypto_spec *cs, const struct msgrec *r,
			char **why);

#endif
