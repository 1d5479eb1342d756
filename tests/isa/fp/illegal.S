/* Illegal-instruction traps: the reserved static rounding modes 5 and 6,
 * DYN while frm holds 5, 6 or 7, and any FP instruction or FP CSR access
 * while mstatus.FS = Off. mcause = 2, mepc = the instruction, mtval = its
 * bits (16 bits for a compressed one); the instruction has no effect.
 * Instructions without an rm field must not trap on a bad frm. */
#include "fp_test.h"

/* The trap handler records mcause/mtval/mepc in s2/s3/s4, counts traps in
 * s5 and resumes after the faulting instruction. */
	.text
	.globl test_trap_handler
test_trap_handler:
	csrr s2, mcause
	csrr s3, mtval
	csrr s4, mepc
	addi s5, s5, 1
	lhu s6, 0(s4)
	andi s6, s6, 3			/* 11: 32-bit instruction, else 16-bit */
	li s7, 3
	addi s8, s4, 2
	bne s6, s7, 1f
	addi s8, s4, 4
1:	csrw mepc, s8
	mret

/* the instruction at 91: must trap once as illegal with mepc = 91b and
 * mtval = its encoding read back from memory */
#define T_ILL(n, ...) \
	TEST_NUM(n); li s5, 0; li s2, 0; li s3, 0; li s4, 0; la s9, 91f; \
91:	__VA_ARGS__; \
	li t6, 1; bne s5, t6, fail; \
	li t6, CAUSE_ILLEGAL; bne s2, t6, fail; \
	bne s4, s9, fail; \
	lhu t5, 0(s9); andi t6, t5, 3; li t4, 3; bne t6, t4, 92f; lwu t5, 0(s9); \
92:	bne s3, t5, fail
/* must not trap */
#define T_OK(n, ...) \
	TEST_NUM(n); li s5, 0; __VA_ARGS__; bnez s5, fail

	.globl main
main:
	TEST_NUM(99)				/* set-up */
	LI_S(f1, S_ONE)
	LI_S(f2, S_TWO)
	LI_S(f4, S_THREE)
	LI_D(f3, 0x5555555555555555)
	li a0, 0x66
	/* reserved static rm (funct3 = 5, 6) */
	T_ILL(1, .insn r 0x53, 5, 0x00, f3, f1, f2)		/* fadd.s rm=5 */
	T_ILL(2, .insn r 0x53, 6, 0x00, f3, f1, f2)		/* fadd.s rm=6 */
	T_ILL(3, .insn r 0x53, 6, 0x09, f3, f1, f2)		/* fmul.d rm=6 */
	T_ILL(4, .insn r 0x53, 5, 0x0d, f3, f1, f2)		/* fdiv.d rm=5 */
	T_ILL(5, .insn r 0x53, 5, 0x2d, f3, f1, f0)		/* fsqrt.d rm=5 */
	T_ILL(6, .insn r 0x53, 6, 0x60, a0, f1, x0)		/* fcvt.w.s rm=6 */
	T_ILL(7, .insn r 0x53, 5, 0x61, a0, f1, x2)		/* fcvt.l.d rm=5 */
	T_ILL(8, .insn r 0x53, 5, 0x20, f3, f1, x1)		/* fcvt.s.d rm=5 */
	T_ILL(9, .insn r 0x53, 6, 0x68, f3, a1, x0)		/* fcvt.s.w rm=6 */
	T_ILL(10, .insn r4 0x43, 5, 0, f3, f1, f2, f4)		/* fmadd.s rm=5 */
	T_ILL(11, .insn r4 0x4f, 6, 1, f3, f1, f2, f4)		/* fnmadd.d rm=6 */
	T_ILL(12, .insn r4 0x47, 5, 1, f3, f1, f2, f4)		/* fmsub.d rm=5 */
	T_ILL(13, .insn r4 0x4b, 6, 0, f3, f1, f2, f4)		/* fnmsub.s rm=6 */
	/* widening conversions are exact but still decode rm (unprivileged
	 * spec: "implementations must treat the rm field as usual") */
	T_ILL(16, .insn r 0x53, 5, 0x21, f3, f1, x0)		/* fcvt.d.s rm=5 */
	T_ILL(17, .insn r 0x53, 6, 0x69, f3, a1, x0)		/* fcvt.d.w rm=6 */
	T_ILL(18, .insn r 0x53, 5, 0x69, f3, a1, x1)		/* fcvt.d.wu rm=5 */
	/* nothing was written */
	TEST_NUM(14)
	CHECK_FD(f3, 0x5555555555555555)
	CHECK_X(a0, 0x66)
	CHECK_FLAGS(0)
	/* the valid static modes do not trap */
	T_OK(15, fadd.s f5, f1, f2, rne; fadd.s f5, f1, f2, rtz; fadd.s f5, f1, f2, rdn; \
		 fadd.s f5, f1, f2, rup; fadd.s f5, f1, f2, rmm)

	/* DYN with an invalid frm */
	csrwi frm, 5
	T_ILL(20, fadd.s f3, f1, f2, dyn)
	T_ILL(21, fmadd.d f3, f1, f2, f4, dyn)
	T_ILL(22, fcvt.w.d a0, f1, dyn)
	csrwi frm, 6
	T_ILL(23, fsqrt.s f3, f1, dyn)
	T_ILL(24, fcvt.s.l f3, a0, dyn)
	csrwi frm, 7
	T_ILL(25, fdiv.d f3, f1, f2, dyn)
	T_ILL(26, fnmsub.s f3, f1, f2, f4, dyn)
	T_ILL(27, fcvt.s.d f3, f1, dyn)
	T_ILL(35, .insn r 0x53, 7, 0x21, f3, f1, x0)		/* fcvt.d.s dyn */
	T_ILL(36, .insn r 0x53, 7, 0x69, f3, a1, x0)		/* fcvt.d.w dyn */
	TEST_NUM(28)
	CHECK_FD(f3, 0x5555555555555555)
	CHECK_X(a0, 0x66)
	/* instructions without an rm field ignore frm */
	T_OK(29, fsgnj.s f5, f1, f2; fsgnjx.d f5, f1, f2; fmin.s f5, f1, f2; fmax.d f5, f1, f2)
	T_OK(30, feq.s a1, f1, f2; flt.d a1, f1, f2; fclass.s a1, f1; fmv.x.w a1, f1)
	T_OK(31, fmv.w.x f5, a1; fmv.d.x f5, a1; fmv.x.d a1, f5)
	T_OK(32, addi sp, sp, -16; fsd f1, 0(sp); fld f5, 0(sp); fsw f1, 8(sp); flw f5, 8(sp); addi sp, sp, 16)
	/* a static rm works whatever frm holds */
	T_OK(33, fadd.s f5, f1, f2, rtz; fcvt.w.s a1, f1, rne)
	/* back to a valid frm: DYN works again */
	csrwi frm, RMM
	T_OK(34, fadd.s f5, f1, f2, dyn; fmadd.d f5, f1, f2, f4, dyn)
	csrwi frm, 0
	CHECK_FLAGS(NV)				/* from flt.d on boxed singles (NaNs) */

	/* mstatus.FS = Off: every FP instruction and FP CSR access traps */
	li t0, MSTATUS_FS
	csrc mstatus, t0
	T_ILL(40, fadd.d f3, f1, f2)
	T_ILL(41, fdiv.s f3, f1, f0)				/* would raise DZ */
	T_ILL(42, fmadd.s f3, f1, f2, f4)
	T_ILL(43, fsqrt.d f3, f1)
	T_ILL(44, fsgnj.d f3, f1, f2)
	T_ILL(45, fmin.s f3, f1, f2)
	T_ILL(46, feq.d a0, f1, f2)
	T_ILL(47, fclass.s a0, f1)
	T_ILL(48, fcvt.w.s a0, f1)
	T_ILL(49, fcvt.d.l f3, a0)
	T_ILL(50, fcvt.s.d f3, f1)
	T_ILL(51, fmv.x.w a0, f1)
	T_ILL(52, fmv.x.d a0, f1)
	T_ILL(53, fmv.w.x f3, a0)
	T_ILL(54, fmv.d.x f3, a0)
	T_ILL(55, flw f3, 0(sp))
	T_ILL(56, fld f3, 0(sp))
	T_ILL(57, fsw f1, -8(sp))
	T_ILL(58, fsd f1, -8(sp))
	addi sp, sp, -32
	mv s0, sp
	T_ILL(59, c.fld f8, 0(s0))
	T_ILL(60, c.fsd f8, 8(s0))
	T_ILL(61, c.fldsp f3, 16(sp))
	T_ILL(62, c.fsdsp f1, 24(sp))
	addi sp, sp, 32
	T_ILL(63, frflags a0)
	T_ILL(64, fsflags a0, zero)
	T_ILL(65, frrm a0)
	T_ILL(66, fsrmi RUP)
	T_ILL(67, frcsr a0)
	T_ILL(68, csrw fcsr, zero)
	T_ILL(69, csrrs zero, fflags, zero)
	/* still Off: the traps left FS alone */
	TEST_NUM(70)
	csrr t0, mstatus
	li t1, MSTATUS_FS
	and t0, t0, t1
	bnez t0, fail
	CHECK_X(a0, 0x66)
	/* FS back on: the registers, frm and fflags were not touched */
	li t0, MSTATUS_FS_INIT
	csrs mstatus, t0
	TEST_NUM(71)
	CHECK_FD(f3, 0x5555555555555555)
	frcsr a0
	CHECK_X(a0, 0)
	T_OK(72, fadd.d f3, f1, f2; frflags a0)
	j pass
