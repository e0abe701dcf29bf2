/* tests/unit/test_secret.c — credentials in a command line shown as ***
 * (secret_mask_print, engine/model/secret.c): an exec driver's log line
 * prints its whole command */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "secret.h"


static const struct {
	const char *in, *out;
} cases[] = {
	/* key=value, key:value; the key anywhere in a word, any case */
	{"phonectl --host 10.0.0.5 password=hunter2 dial 'sip:b@x'",
	 "phonectl --host 10.0.0.5 password=*** dial 'sip:b@x'"},
	{"tool --pass=s3cr3t --user admin", "tool --pass=*** --user admin"},
	{"x API_TOKEN:abc123 y", "x API_TOKEN:*** y"},
	{"get 'http://p/set?user=a&pwd=zz&k=1'",
	 "get 'http://p/set?user=a&pwd=***&k=1'"},
	{"ctl secret=\"two words\" go", "ctl secret=*** go"},
	/* an option, then its value */
	{"adb shell input --password hunter2 now",
	 "adb shell input --password *** now"},
	{"ctl --password 'a b' go", "ctl --password *** go"},
	/* curl's -u USER:PASS, and a URL's password */
	{"curl -u admin:hunter2 http://10.0.0.5/key",
	 "curl -u admin:*** http://10.0.0.5/key"},
	{"curl --user admin:pw -s", "curl --user admin:*** -s"},
	{"curl http://admin:hunter2@10.0.0.5/servlet?key=OK",
	 "curl http://admin:***@10.0.0.5/servlet?key=OK"},
	/* nothing to hide: as it is */
	{"sip-ctl dial 'sip:bob@example.test:5060' --user bob",
	 "sip-ctl dial 'sip:bob@example.test:5060' --user bob"},
	{"curl http://10.0.0.5:80/key -u admin",
	 "curl http://10.0.0.5:80/key -u admin"},
	{"", ""},
};


static void test_masked(void)
{
	char buf[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		re_snprintf(buf, sizeof(buf), "%H", secret_mask_print,
			    cases[i].in);
		if (strcmp(buf, cases[i].out))
			re_fprintf(stderr, "\n  in:   %s\n  got:  %s\n"
				   "  want: %s\n", cases[i].in, buf,
				   cases[i].out);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].out);
	}
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"masked", test_masked},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("secret", tests);
}
