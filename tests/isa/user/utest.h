/* Helpers shared by the user-level ISA tests in tests/isa/user/.
 * Include after test.h. Registers used: a0 = result, a1/a2 = operands,
 * t6 = expected value (CHECK), t0..t2 scratch.
 */
#ifndef MACHINA_USER_UTEST_H
#define MACHINA_USER_UTEST_H

/* register-register op: rd = a0, rs1 = a1, rs2 = a2; also rd == rs1 and
 * rd == rs2 forms so a decoder that reads rd before the sources is caught */
#define TEST_RR(n, inst, result, v1, v2) \
	TEST_NUM(n); li a1, v1; li a2, v2; inst a0, a1, a2; CHECK(a0, result); \
	li a1, v1; li a2, v2; inst a1, a1, a2; CHECK(a1, result); \
	li a1, v1; li a2, v2; inst a2, a1, a2; CHECK(a2, result); \
	li a1, v1; inst a1, a1, a1; li a3, v1; li a4, v1; inst a3, a3, a4; CHECK_REG(a1, a3)

/* register-immediate op: rd = a0, rs1 = a1; also rd == rs1 */
#define TEST_IMM(n, inst, result, v1, imm) \
	TEST_NUM(n); li a1, v1; inst a0, a1, imm; CHECK(a0, result); \
	inst a1, a1, imm; CHECK(a1, result)

/* unary pseudo-like: rd = a0 from rs1 = a1 */
#define TEST_R(n, inst, result, v1) \
	TEST_NUM(n); li a1, v1; inst a0, a1; CHECK(a0, result)

/* Trap recording. TRAP_HANDLER emits `test_trap_handler`: it stores mcause,
 * mtval and mepc in trap_info, counts the trap, and resumes after the
 * trapping instruction (2 or 4 bytes, read from memory at mepc).
 * A trap is only accepted while armed: TRAP_RESET arms for one trap; any
 * other trap fails the test like crt.S does (gp | 0x400), so stray traps
 * (e.g. running into zeros) are never silently skipped.
 * Only t6 (already clobbered by crt.S's vector) is changed; t5 is saved in
 * memory. trap_info layout: 0 cause, 8 tval, 16 epc, 24 count, 32 t5 save,
 * 40 armed. */
#define TI_CAUSE 0
#define TI_TVAL  8
#define TI_EPC   16
#define TI_COUNT 24
#define TI_SAVE  32
#define TI_ARMED 40

	.macro TRAP_HANDLER
	.text
	.align 2
	.globl test_trap_handler
test_trap_handler:
	la t6, trap_info
	sd t5, TI_SAVE(t6)
	ld t5, TI_ARMED(t6)
	beqz t5, 2f
	sd zero, TI_ARMED(t6)
	csrr t5, mcause
	sd t5, TI_CAUSE(t6)
	csrr t5, mtval
	sd t5, TI_TVAL(t6)
	csrr t5, mepc
	sd t5, TI_EPC(t6)
	ld t5, TI_COUNT(t6)
	addi t5, t5, 1
	sd t5, TI_COUNT(t6)
	csrr t6, mepc
	lhu t5, 0(t6)
	andi t5, t5, 3
	addi t6, t6, 2
	addi t5, t5, -3
	bnez t5, 1f
	addi t6, t6, 2
1:	csrw mepc, t6
	la t6, trap_info
	ld t5, TI_SAVE(t6)
	mret
2:	ori gp, gp, 0x400          /* unexpected trap */
	j fail

	.data
	.align 3
	.globl trap_info
trap_info:
	.dword 0, 0, 0, 0, 0, 0
	.text
	.endm

/* forget any earlier trap and accept one (clobbers t0, t6) */
#define TRAP_RESET \
	la t0, trap_info; sd zero, TI_CAUSE(t0); sd zero, TI_TVAL(t0); \
	sd zero, TI_EPC(t0); sd zero, TI_COUNT(t0); li t6, 1; sd t6, TI_ARMED(t0)

/* accept no further trap (clobbers t0) */
#define TRAP_DISARM la t0, trap_info; sd zero, TI_ARMED(t0)

/* exactly one trap since TRAP_RESET, with this cause and mtval (an
 * immediate or symbol); clobbers t0, t1, t6 */
#define TRAP_EXPECT(cause, tval) \
	la t0, trap_info; ld t1, TI_COUNT(t0); CHECK(t1, 1); \
	ld t1, TI_CAUSE(t0); CHECK(t1, cause); \
	ld t1, TI_TVAL(t0); CHECK(t1, tval)

/* ... and mtval equal to a register (not t0/t1/t6) */
#define TRAP_EXPECT_R(cause, tvalreg) \
	la t0, trap_info; ld t1, TI_COUNT(t0); CHECK(t1, 1); \
	ld t1, TI_CAUSE(t0); CHECK(t1, cause); \
	ld t1, TI_TVAL(t0); CHECK_REG(t1, tvalreg)

/* the trapping instruction was at this label */
#define TRAP_EPC(label) \
	la t0, trap_info; ld t1, TI_EPC(t0); la t6, label; bne t1, t6, fail

/* no trap since TRAP_RESET; disarms */
#define TRAP_NONE \
	la t0, trap_info; ld t1, TI_COUNT(t0); bnez t1, fail; sd zero, TI_ARMED(t0)

#endif
