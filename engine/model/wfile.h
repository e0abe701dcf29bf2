/* engine/model/wfile.h — a file written whole, or the reason it is not */
#ifndef SIPFLOW_WFILE_H
#define SIPFLOW_WFILE_H

#include <stdint.h>
#include <stdio.h>

enum { WFILE_BUF = 8192 };

/**
 * A file being written; err: the first write that failed (errno). Small
 * writes (a re_printf handler gets a call per character of an escaped
 * string) gather in buf and reach stdio in one fwrite per WFILE_BUF
 * bytes.
 */
struct wfile {
	FILE *f;
	int err;
	size_t n;                  /* bytes waiting in buf */
	uint8_t buf[WFILE_BUF];
};

int  wfile_open(struct wfile *wf, const char *path, const char *mode);
int  wfile_write(struct wfile *wf, const void *p, size_t n);
int  wfile_print_h(const char *p, size_t size, void *arg);
int  wfile_flush(struct wfile *wf);
int  wfile_close(struct wfile *wf);

#endif
