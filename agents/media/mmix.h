/* agents/media/mmix.h — a phone's local conference mixer: every leg sends
 * its own source plus what the other legs received, never its own (a
 * 3-way call mixed in the phone, as a Yealink does; RFC 5359 §2.10 puts
 * the mixing in a focus, here the phone is one). */
#ifndef SIPFLOW_MMIX_H
#define SIPFLOW_MMIX_H

#include <stddef.h>
#include <stdint.h>

enum { MMIX_LEGS = 8 };

struct mmix;       /* the conference */
struct mmix_leg;   /* one call's place in it */

int  mmix_alloc(struct mmix **mixp);
/* the leg holds a reference to the mixer; freeing it leaves */
int  mmix_join(struct mmix_leg **legp, struct mmix *mix);
unsigned mmix_count(const struct mmix *mix);
/* what the leg received (decoded, as played out), n samples */
void mmix_put(struct mmix_leg *leg, const int16_t *pcm, size_t n);
/* add the other legs' received audio to the leg's own pcm, saturating */
void mmix_add(struct mmix_leg *leg, int16_t *pcm, size_t n);

#endif
