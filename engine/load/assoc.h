/* engine/load/assoc.h — which request step each response step answers */
#ifndef SIPFLOW_ASSOC_H
#define SIPFLOW_ASSOC_H

struct scenario;
struct diag;

bool assoc_status_fits(uint16_t scode, const char *method);
int  scenario_associate(struct scenario *sc, struct diag *dg,
			unsigned *nerr);

#endif
