/* engine/traffic/users.h — the users a load run's calls take, one row a
 * call: a CSV file whose header row names the variables, or SIPp's
 * injection file (-inf) as it is */
#ifndef SIPFLOW_USERS_H
#define SIPFLOW_USERS_H

struct diag;

/*
 * CSV (RFC 4180): the first row names the variables (${user}, …: letters,
 * digits and '_', not starting with a digit, each once); every other row
 * has one value per name. Values may be quoted ("a,b", "say ""hi"""),
 * rows end in LF or CRLF, empty lines are skipped, and a line whose
 * first character is '#' is a comment (quote a value that starts with
 * '#'). Rows are taken in order, wrapping at the end.
 *
 * SIPp's injection file: a first line SEQUENTIAL, RANDOM or USER (USER
 * is taken in order too), then values separated by ';', named field0,
 * field1, … as SIPp names them, every row with as many as the first.
 * SIPp's PRINTF= option is refused, saying so.
 *
 * A mistake is an error in dg at file:line:column.
 */
enum users_order {
	USERS_SEQUENTIAL = 0,
	USERS_RANDOM,
};

enum {
	USERS_MAX_VARS = 64,
	USERS_MAX_VALUE = 4096,
	USERS_MAX_ROWS = 10000000,
};

struct users;

int users_load(struct users **up, const char *file, struct diag *dg);
int users_parse(struct users **up, const char *file, const char *text,
		size_t len, struct diag *dg);
unsigned users_rows(const struct users *u);
unsigned users_vars(const struct users *u);
const char *users_var(const struct users *u, unsigned var);
int users_var_index(const struct users *u, const char *name);
const char *users_value(const struct users *u, unsigned row, unsigned var);
enum users_order users_order(const struct users *u);
void users_set_order(struct users *u, enum users_order order,
		     uint64_t seed);
int users_share(struct users *u, unsigned k, unsigned n, struct diag *dg);
unsigned users_pick(struct users *u, uint64_t call);

#endif
