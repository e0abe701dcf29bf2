/* engine/model/wfile.h — a file written whole, or the reason it is not */
#ifndef SIPFLOW_WFILE_H
#define SIPFLOW_WFILE_H

#include <stdio.h>

/** A file being written; err: the first write that failed (errno) */
struct wfile {
	FILE *f;
	int err;
};

int  wfile_open(struct wfile *wf, const char *path, const char *mode);
int  wfile_write(struct wfile *wf, const void *p, size_t n);
int  wfile_print_h(const char *p, size_t size, void *arg);
int  wfile_flush(struct wfile *wf);
int  wfile_close(struct wfile *wf);

#endif
