/* Machina ISA test conventions (assembly side).
 *
 * A test is an assembly file that includes this header and defines the
 * label `main`. crt.S starts in M-mode at _start, zeroes the registers, sets
 * sp, enables the FPU (mstatus.FS = Initial) and jumps to `main`.
 *
 * - gp (x3) holds the number of the current check; set it with TEST_NUM(n).
 * - `j pass` ends the run with HTIF exit status 0.
 * - `j fail` ends it with status gp (tohost = gp << 1 | 1).
 * - CHECK(reg, value): fail unless reg == value (clobbers t6).
 * - An unexpected trap fails with gp | 0x400 unless the test installs its own
 *   handler: define the global label `test_trap_handler` and crt.S's vector
 *   jumps there with all registers intact (mcause etc. are unchanged).
 *
 * The same ELF runs unchanged under `machina run --firmware` and under
 * `qemu-system-riscv64 -M spike -bios none -kernel`, which is how each test
 * is checked against the reference.
 */
#ifndef MACHINA_ISA_TEST_H
#define MACHINA_ISA_TEST_H

#define TEST_NUM(n) li gp, n
#define CHECK(reg, value) li t6, value; bne reg, t6, fail
#define CHECK_REG(reg, expreg) bne reg, expreg, fail

/* CSR numbers not known to older assemblers can be used by number. */
#define CSR_MENVCFG 0x30a

#endif
