/* engine/expect.h — expect: assertions on a received message */
#ifndef SIPFLOW_EXPECT_H
#define SIPFLOW_EXPECT_H

struct msgrec;

int expect_check(const struct list *expects, const struct msgrec *r,
		 char **why);

#endif
