/* htif.h - Berkeley host-target interface, as spike and QEMU implement it
 * for bare-metal programs: two 64-bit words, `tohost` and `fromhost`, at the
 * addresses of the ELF symbols of those names.
 *
 * tohost = (device << 56) | (command << 48) | payload:
 *   device 0 command 0, payload odd: exit with code payload >> 1 (0 = pass)
 *   device 0 command 0, payload even: pointer to a syscall block
 *       (uint64_t[8]: number, args...); only SYS_write (64) to fd 1/2 is
 *       served; fromhost is set to 1 when done
 *   device 1 command 1: console output of the payload's low byte
 * The device clears tohost when it has consumed a request, and answers
 * console writes in fromhost as QEMU does. */
#ifndef MACHINA_DEV_HTIF_H
#define MACHINA_DEV_HTIF_H

#include "core/as.h"
#include "core/chardev.h"

struct htif {
	struct vm *vm;
	struct chardev out;	/* console output */
	uint64_t tohost;
	uint64_t fromhost;
};

extern const struct mmio_ops htif_tohost_ops;
extern const struct mmio_ops htif_fromhost_ops;

void htif_init(struct htif *h, struct vm *vm, struct chardev out);

#endif
