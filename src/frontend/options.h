/* options.h - command-line parsing helpers for the frontend. */
#ifndef MACHINA_FRONTEND_OPTIONS_H
#define MACHINA_FRONTEND_OPTIONS_H

#include <stdint.h>

/* exit statuses of `machina run` (documented in README.md) */
enum machina_exit {
	EXIT_GUEST_OK = 0,	/* guest powered off / bare-metal test passed */
	EXIT_GUEST_FAIL = 1,	/* guest reported failure (HTIF or test-device code) */
	EXIT_USAGE = 2,		/* bad command line, missing or invalid file */
	EXIT_REBOOT = 3,	/* guest requested a reboot */
	EXIT_TIMEOUT = 4,	/* --timeout expired */
	EXIT_INTERNAL = 5,	/* internal error */
};

/* "256M", "1G", "65536K", "1048576B"; a bare number means MiB (as QEMU).
 * Returns 0 or -1 when the text does not parse or overflows. */
int parse_size(const char *s, uint64_t *out);
/* seconds, possibly fractional, > 0 */
int parse_seconds(const char *s, double *out);

#endif
