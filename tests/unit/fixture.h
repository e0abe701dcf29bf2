/* tests/unit/fixture.h — what several unit tests build: SIP messages from
 * their text, and files with a given text */
#ifndef SIPFLOW_FIXTURE_H
#define SIPFLOW_FIXTURE_H

struct sip_msg;
struct msgrec;

/** an INVITE in compact forms with list headers (RFC 4475 §3.1.1.1
 *  style): v: and a Via of two, f:, t:, i:, m:, k: of two, two
 *  Record-Routes in one line, l: 0 */
extern const char fx_compact[];

/** a flow: A (alice) calls B (bob), F1 INVITE A -> B, F2 180 Ringing
 *  B -> A */
extern const char fx_call_flow[];

/** text decoded as a SIP message (a CUnit failure if it does not) */
struct sip_msg *fx_msg(const char *text);

/** a record of text, as a run keeps a message it sent or received */
struct msgrec *fx_rec(const char *text);

/** text in a new file under /tmp (its name ending in suffix) written to
 *  path; 0 or an errno */
int fx_file(char *path, size_t size, const char *suffix, const char *text);

#endif
