/* sifive_test.h - SiFive test finisher (QEMU "sifive,test0"): a write of
 * 0x5555 powers the machine off successfully, (code << 16) | 0x3333 powers
 * it off with failure `code`, 0x7777 resets it. Reads return 0. */
#ifndef MACHINA_DEV_SIFIVE_TEST_H
#define MACHINA_DEV_SIFIVE_TEST_H

#include "core/as.h"

struct sifive_test {
	struct vm *vm;
};

extern const struct mmio_ops sifive_test_ops;

#define SIFIVE_TEST_PASS 0x5555
#define SIFIVE_TEST_FAIL 0x3333
#define SIFIVE_TEST_RESET 0x7777

#endif
