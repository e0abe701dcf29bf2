/* agents/media/mrxstat.c — the RFC 3550 measure of what the network did
 * to the packets on the way in: loss by sequence numbers, duplicates,
 * interarrival jitter (A.1, A.8); and how long each frame then waited in
 * the jitter buffer (arrival to playout: the buffer's part of the delay
 * the E-model rates) */
#include <string.h>
#include <time.h>
#include <re.h>
#include "mstream_priv.h"


enum {
	SEQ_DROPOUT  = 3000,  /* RFC 3550 A.1 MAX_DROPOUT */
	SEQ_MISORDER = 100,   /* RFC 3550 A.1 MAX_MISORDER */
	SEQ_WINDOW   = 64,    /* duplicates are found this far back */
};

/** RFC 3550 A.1 and A.8 state of the source being received */
struct mrxstat {
	bool init;
	uint32_t ssrc;
	uint32_t base;         /* extended seq of the first packet */
	uint32_t max;          /* highest extended seq */
	uint32_t received;     /* distinct packets */
	uint64_t window;       /* bit i: seq max - i was received */
	uint32_t lost_before;  /* lost in earlier sources and sequences */
	double jitter;         /* timestamp units */
	uint32_t transit;
	bool transit_set;
	struct {
		uint16_t seq;
		bool set;
		uint64_t us;   /* arrival, CLOCK_MONOTONIC */
	} arr[SEQ_WINDOW];
	uint32_t exp_prior;    /* A.3: expected and received at the */
	uint32_t rcv_prior;    /* ... last report block */
	uint32_t played;       /* frames played that had an arrival */
	double wait_ms;        /* their waits, summed */
};


/** Receive statistics of a stream, empty */
int mrxstat_alloc(struct mrxstat **rsp)
{
	if (!rsp)
		return EINVAL;

	*rsp = mem_zalloc(sizeof(struct mrxstat), NULL);

	return *rsp ? 0 : ENOMEM;
}


/** Packets lost so far: expected minus received (RFC 3550 A.3) */
uint32_t mrxstat_lost(const struct mrxstat *rs)
{
	uint32_t expected;

	if (!rs || !rs->init)
		return rs ? rs->lost_before : 0;

	expected = rs->max - rs->base + 1;

	return rs->lost_before +
		(expected > rs->received ? expected - rs->received : 0);
}


/** RFC 3550 A.8 interarrival jitter in ms */
double mrxstat_jitter_ms(const struct mrxstat *rs)
{
	return rs ? rs->jitter * 1000.0 / MSTREAM_SRATE : 0;
}


static void seq_restart(struct mrxstat *rs, uint32_t ssrc, uint16_t seq)
{
	rs->lost_before = mrxstat_lost(rs);
	if (ssrc != rs->ssrc)
		rs->transit_set = false;
	rs->init = true;
	rs->ssrc = ssrc;
	/* one cycle up, so a packet from before the first does not wrap */
	rs->base = rs->max = 0x10000u + seq;
	rs->received = 1;
	rs->window = 1;
	rs->exp_prior = rs->rcv_prior = 0;
}


/* RFC 3550 A.1, simplified: a jump beyond MAX_DROPOUT, or back beyond
 * MAX_MISORDER, or a new SSRC restarts the count at once */
static bool seq_update(struct mrxstat *rs, uint32_t ssrc, uint16_t seq)
{
	int32_t delta;
	uint32_t ext;

	if (!rs->init || ssrc != rs->ssrc) {
		seq_restart(rs, ssrc, seq);
		return false;
	}

	delta = (int16_t)(seq - (uint16_t)rs->max);
	if (delta > SEQ_DROPOUT || delta < -SEQ_MISORDER) {
		seq_restart(rs, ssrc, seq);
		return false;
	}

	ext = rs->max + (uint32_t)delta;

	if (delta > 0) {
		rs->window = delta >= SEQ_WINDOW ? 0 : rs->window << delta;
		rs->window |= 1;
		rs->max = ext;
		++rs->received;
		return false;
	}

	if (-delta < SEQ_WINDOW) {
		const uint64_t bit = 1ULL << -delta;

		if (rs->window & bit)
			return true;
		rs->window |= bit;
	}

	if (ext < rs->base)
		rs->base = ext;
	++rs->received;

	return false;
}


/** Now on CLOCK_MONOTONIC in µs: arrivals, and our RTCP's clock */
uint64_t mrxstat_now_us(void)
{
	struct timespec now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);

	return (uint64_t)now.tv_sec * 1000000u +
		(uint64_t)now.tv_nsec / 1000u;
}


/* RFC 3550 A.8: J += (|D| - J) / 16, in timestamp units */
static void jitter_update(struct mrxstat *rs, uint32_t ts, uint64_t us)
{
	const uint32_t arrival = (uint32_t)(us * MSTREAM_SRATE / 1000000u);
	uint32_t transit;

	transit = arrival - ts;

	if (rs->transit_set) {
		const int64_t d = (int32_t)(transit - rs->transit);

		rs->jitter += ((double)(d < 0 ? -d : d) - rs->jitter) / 16.0;
	}

	rs->transit = transit;
	rs->transit_set = true;
}


/**
 * Count one received RTP packet
 *
 * @param rs    Receive statistics
 * @param hdr   Its header
 * @param timed True if its timestamp follows the sampling clock (audio;
 *              RFC 4733 events repeat one timestamp)
 *
 * @return True if it is a duplicate of one seen in the last 64
 */
bool mrxstat_packet(struct mrxstat *rs, const struct rtp_header *hdr,
		    bool timed)
{
	uint64_t us;

	if (!rs || !hdr)
		return false;

	if (seq_update(rs, hdr->ssrc, hdr->seq))
		return true;

	if (timed) {
		/* the clock is read only for a packet it times */
		us = mrxstat_now_us();
		jitter_update(rs, hdr->ts, us);
		rs->arr[hdr->seq % SEQ_WINDOW].seq = hdr->seq;
		rs->arr[hdr->seq % SEQ_WINDOW].set = true;
		rs->arr[hdr->seq % SEQ_WINDOW].us = us;
	}

	return false;
}


/** A frame leaves the jitter buffer to be played: count how long it
 *  waited there since it arrived */
void mrxstat_played(struct mrxstat *rs, uint16_t seq)
{
	const unsigned i = seq % SEQ_WINDOW;

	if (!rs || !rs->arr[i].set || rs->arr[i].seq != seq)
		return;

	rs->arr[i].set = false;
	++rs->played;
	rs->wait_ms += (double)(mrxstat_now_us() - rs->arr[i].us) / 1000.0;
}


/** Frames played and the ms they waited in the jitter buffer, summed */
void mrxstat_wait(const struct mrxstat *rs, uint32_t *played,
		  double *wait_ms)
{
	*played = rs ? rs->played : 0;
	*wait_ms = rs ? rs->wait_ms : 0;
}


/**
 * The report block about the source being received (RFC 3550 §6.4.1):
 * fraction lost since the previous block (A.3), cumulative lost, the
 * extended highest sequence number, the interarrival jitter; LSR and
 * DLSR are left 0 (the caller knows the far end's SRs)
 *
 * @return false if nothing was received yet
 */
bool mrxstat_block(struct mrxstat *rs, struct rtcp_rr *rr)
{
	uint32_t expected, exp_int, rcv_int, lost;

	if (!rs || !rr || !rs->init)
		return false;

	memset(rr, 0, sizeof(*rr));
	expected = rs->max - rs->base + 1;
	exp_int = expected - rs->exp_prior;
	rcv_int = rs->received - rs->rcv_prior;
	rs->exp_prior = expected;
	rs->rcv_prior = rs->received;

	/* A.3: the fraction is 0 when more came than was expected */
	if (exp_int && exp_int > rcv_int)
		rr->fraction = ((exp_int - rcv_int) << 8) / exp_int;

	/* §6.4.1: a 24-bit signed count, clamped */
	lost = mrxstat_lost(rs);
	rr->lost = lost > 0x7fffff ? 0x7fffff : (int32_t)lost;
	rr->ssrc = rs->ssrc;
	/* counted one cycle up (seq_restart): cycles start at 0 */
	rr->last_seq = rs->max - 0x10000u;
	rr->jitter = (uint32_t)rs->jitter;

	return true;
}
