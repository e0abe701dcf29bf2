/* engine/load/testbed.h — who plays each role: simulated, or a device under
 * test */
#ifndef SIPFLOW_TESTBED_H
#define SIPFLOW_TESTBED_H

#include "addrpool.h"

struct diag;
struct scenario;
struct hil_cfg;

/** One role's binding, from a testbed file or a --role argument */
struct binding {
	struct le le;
	char *role;
	bool has_kind;
	enum role_kind kind;   /* ua, proxy, dut */
	bool has_addr;
	struct sa addr;
	enum sip_transp tp;
	char *auth_user;       /* auth: digest credentials, or NULL */
	char *auth_pass;
	struct hil_cfg *driver; /* driver: a device's, or NULL */
	uint32_t tone_hz;      /* tone: what a device sends, 0 unknown */
	char *capture_if;      /* capture: {interface: IF}, or NULL */
	struct tls_cfg *tls;   /* tls: {cert, key, ca, verify}, or NULL */
	char *reg_with;        /* register: the registrar's role, or NULL */
	uint32_t reg_timeout_ms; /* register: {timeout:}, 0: default */
	bool has_reset;        /* reset: given */
	bool reset_between;    /* reset: {between: true} */
	bool reset_after_failure; /* reset: {after-failure: true} */
	uint32_t reset_timeout_ms; /* reset: {timeout:}, 0: default */
	char *name;            /* name: how messages call the device */
	bool has_offers;
	uint32_t offers;       /* offers: what the device does
				  (engine/load/capability.c) */
	struct srcpos pos;
};

struct testbed {
	char *file;
	struct list bindings;  /* in order; a later one wins */
	struct addrpool pool;  /* where roles without an address go */
	bool has_pool;         /* address-pool: or base-address: given */
	uint32_t settle_ms;    /* settle: quiet after a scenario, 0: default */
	uint32_t settle_max_ms; /* settle-max: the wait's bound, 0: default */
};

int testbed_alloc(struct testbed **tbp);
int testbed_load(struct testbed **tbp, const char *file, struct diag *dg);
int testbed_add_arg(struct testbed *tb, const char *arg, struct diag *dg);
int testbed_parse_addr(struct sa *sa, enum sip_transp *tp, const char *s);
int testbed_parse_transp(enum sip_transp *tp, const char *s, size_t n);
int scenario_bind(struct scenario *sc, const struct testbed *tb,
		  struct diag *dg);
int scenario_bind_block(struct scenario *sc, const struct testbed *tb,
			const struct addrpool *blk, struct diag *dg);
unsigned scenario_auto_roles(struct scenario *sc, const struct testbed *tb);

struct ydoc;
struct yaml_node_s;
void testbed_parse_auth(struct ydoc *yd, const struct yaml_node_s *v,
			char **user, char **pass, const char *name);
void testbed_set_str(char **dst, const char *s);
void testbed_password_env(struct ydoc *yd, const struct yaml_node_s *v,
			  char **pass, const char *name, const char *where);
void testbed_parse_register(struct ydoc *yd, const struct yaml_node_s *v,
			    struct binding *b, const char *name);
void testbed_parse_reset(struct ydoc *yd, const struct yaml_node_s *v,
			 struct binding *b, const char *name);
void testbed_check_reset(struct ydoc *yd, const struct yaml_node_s *v,
			 const struct binding *b);
void testbed_parse_driver(struct ydoc *yd, const struct yaml_node_s *v,
			  struct hil_cfg **cfgp, const char *name);
int  testbed_check_drivers(const struct scenario *sc, struct diag *dg);
const struct role *testbed_capture_role(const struct scenario *sc);
int  testbed_device_print(struct re_printf *pf, const struct role *r);

#endif
