/* engine/load/rxbound.h — a scenario's regular expression, bounded before
 * regcomp */

int rx_bound(const char *re, char **why);
