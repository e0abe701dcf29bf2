/* reports/progress.h — a suite's live progress line, on a terminal only */
#ifndef SIPFLOW_PROGRESS_H
#define SIPFLOW_PROGRESS_H

struct progress;

/** How a scenario ended, for the counts */
enum progress_end {
	PROGRESS_PASS,
	PROGRESS_FAIL,
	PROGRESS_SKIP,
	PROGRESS_REFUSED,
};

int  progress_alloc(struct progress **pp, FILE *f, unsigned total);
void progress_start(struct progress *p, const char *name);
void progress_end(struct progress *p, const char *name,
		  enum progress_end how);
void progress_clear(struct progress *p);
void progress_draw(struct progress *p);

#endif
