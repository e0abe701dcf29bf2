/* engine/load/prologue.h — steps a testbed adds before a flow (register:) */
#ifndef SIPFLOW_PROLOGUE_H
#define SIPFLOW_PROLOGUE_H

struct scenario;
struct diag;

int scenario_prologue(struct scenario *sc, struct diag *dg);

#endif
