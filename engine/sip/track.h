/* engine/sip/track.h — transaction and dialog bookkeeping per role */
#ifndef SIPFLOW_TRACK_H
#define SIPFLOW_TRACK_H

struct ledger;
struct msgrec;
struct role;
struct sip_msg;

void track_sent(struct ledger *led, struct msgrec *r);
void track_received(struct ledger *led, struct msgrec *r);
struct msgrec *track_client_txn(const struct ledger *led,
				const struct msgrec *resp);
struct msgrec *track_server_txn(const struct ledger *led,
				const struct msgrec *resp);
struct msgrec *track_last_sent(const struct ledger *led,
			       const struct role *peer, const char *method);
struct msgrec *track_acked_invite(const struct ledger *led,
				  const struct msgrec *ack);
bool track_ack_hop(const struct ledger *led, const struct msgrec *ack);
bool track_forwardable(const struct ledger *led, const struct msgrec *r);
bool track_is_retrans(const struct ledger *led, const struct msgrec *r);
bool track_same_msg(const struct msgrec *o, const struct msgrec *r);
struct msgrec *track_original(const struct ledger *led,
			      const struct msgrec *r);
bool track_same_txn(const struct sip_msg *req, const struct sip_msg *resp);
struct msgrec *track_cancelled(const struct ledger *led,
			       const struct msgrec *cancel);

#endif
