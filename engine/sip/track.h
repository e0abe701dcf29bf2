/* engine/sip/track.h — transaction and dialog bookkeeping per agent */
#ifndef SIPFLOW_TRACK_H
#define SIPFLOW_TRACK_H

struct agent;
struct msgrec;
struct role;
struct sip_msg;

void track_sent(struct agent *ag, struct msgrec *r);
void track_received(struct agent *ag, struct msgrec *r);
struct msgrec *track_client_txn(const struct agent *ag,
				const struct msgrec *resp);
struct msgrec *track_server_txn(const struct agent *ag,
				const struct msgrec *resp);
struct msgrec *track_last_sent(const struct agent *ag,
			       const struct role *peer, const char *method);
struct msgrec *track_acked_invite(const struct agent *ag,
				  const struct msgrec *ack);
bool track_ack_hop(const struct agent *ag, const struct msgrec *ack);
bool track_forwardable(const struct agent *ag, const struct msgrec *r);
bool track_is_retrans(const struct agent *ag, const struct msgrec *r);
bool track_same_msg(const struct msgrec *o, const struct msgrec *r);
struct msgrec *track_original(const struct agent *ag, const struct msgrec *r);
bool track_same_txn(const struct sip_msg *req, const struct sip_msg *resp);
struct msgrec *track_cancelled(const struct agent *ag,
			       const struct msgrec *cancel);

#endif
