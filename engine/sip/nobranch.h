/* engine/sip/nobranch.h — decode a message whose top Via has no branch
 * (RFC 2543) */

int nobranch_decode(struct sip_msg **msgp, const struct mbuf *mb,
		    size_t *bodyp);
