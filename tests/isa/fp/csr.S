/* fcsr, frm and fflags: accrual of exception flags, the three views of
 * fcsr, reserved bits, and the read/write/set/clear CSR instructions and
 * their pseudo-instructions (frcsr/fscsr/frrm/fsrm/frflags/fsflags, and
 * the immediate forms). */
#include "fp_test.h"
	.text
	.globl main
main:
	/* crt.S cleared fcsr */
	TEST_NUM(1)
	csrr a0, fcsr
	CHECK_X(a0, 0)

	/* flags accrue and are only ever set by instructions */
	TEST_NUM(2)
	LI_S(f1, S_ONE)
	LI_S(f2, S_2M24)
	fadd.s f3, f1, f2			/* inexact */
	frflags a0
	CHECK_X(a0, NX)
	TEST_NUM(3)
	fadd.s f3, f1, f1			/* exact: NX stays */
	frflags a0
	CHECK_X(a0, NX)
	TEST_NUM(4)
	LI_S(f2, S_PZERO)
	fdiv.s f3, f1, f2			/* DZ */
	frflags a0
	CHECK_X(a0, NX | DZ)
	TEST_NUM(5)
	LI_S(f2, S_SNAN)
	feq.s a1, f1, f2			/* NV from a compare */
	fmv.x.w a1, f2				/* no flags from moves */
	fsgnj.s f3, f2, f2			/* nor from sign injection */
	frflags a0
	CHECK_X(a0, NX | DZ | NV)
	TEST_NUM(6)
	LI_D(f1, D_MAX)
	fmul.d f3, f1, f1			/* OF | NX */
	LI_D(f1, D_MIN_SUB)
	fmul.d f3, f1, f1			/* UF | NX */
	frflags a0
	CHECK_X(a0, 0x1f)
	TEST_NUM(7)
	csrr a0, fcsr				/* frm = 0 */
	CHECK_X(a0, 0x1f)

	/* fsflags swaps; the value read is the old one */
	TEST_NUM(8)
	li a1, NV
	fsflags a0, a1
	CHECK_X(a0, 0x1f)
	frflags a0
	CHECK_X(a0, NV)
	/* a flag raised while another is set is OR-ed in */
	TEST_NUM(9)
	LI_S(f1, S_ONE)
	LI_S(f2, S_2M24)
	fadd.s f3, f1, f2
	frflags a0
	CHECK_X(a0, NV | NX)

	/* fflags is 5 bits: upper bits of the written value are dropped */
	TEST_NUM(10)
	li a1, -1
	csrw fflags, a1
	frflags a0
	CHECK_X(a0, 0x1f)
	csrr a0, fcsr				/* frm unaffected */
	CHECK_X(a0, 0x1f)
	/* csrrs / csrrc on fflags, register and immediate forms */
	TEST_NUM(11)
	csrwi fflags, 0
	csrsi fflags, OF
	li a1, DZ | NX
	csrrs a0, fflags, a1
	CHECK_X(a0, OF)
	frflags a0
	CHECK_X(a0, OF | DZ | NX)
	TEST_NUM(12)
	csrrci a0, fflags, NX | OF
	CHECK_X(a0, OF | DZ | NX)
	frflags a0
	CHECK_X(a0, DZ)
	TEST_NUM(13)
	fsflagsi a0, UF
	CHECK_X(a0, DZ)
	frflags a0
	CHECK_X(a0, UF)

	/* frm is 3 bits; fcsr holds it in bits 7:5 */
	TEST_NUM(20)
	csrwi fflags, 0
	csrwi frm, RUP
	frrm a0
	CHECK_X(a0, RUP)
	csrr a0, fcsr
	CHECK_X(a0, RUP << 5)
	TEST_NUM(21)
	li a1, 0xfc				/* only bits 2:0 kept */
	fsrm a0, a1
	CHECK_X(a0, RUP)
	frrm a0
	CHECK_X(a0, 4)
	TEST_NUM(22)
	fsrmi a0, RDN
	CHECK_X(a0, 4)
	frrm a0
	CHECK_X(a0, RDN)
	/* reserved encodings can be written and read back (using them as a
	 * dynamic rounding mode is what traps) */
	TEST_NUM(23)
	csrwi frm, 5
	frrm a0
	CHECK_X(a0, 5)
	csrwi frm, 7
	frrm a0
	CHECK_X(a0, 7)
	csrr a0, fcsr
	CHECK_X(a0, 7 << 5)
	/* csrrs / csrrc on frm */
	TEST_NUM(24)
	csrwi frm, RTZ
	csrrsi a0, frm, RUP			/* 1 | 3 = 3 */
	CHECK_X(a0, RTZ)
	frrm a0
	CHECK_X(a0, RUP)
	csrrci a0, frm, RTZ			/* 3 & ~1 = 2 */
	frrm a0
	CHECK_X(a0, RDN)

	/* fcsr: 8 bits; writes to bits 31:8 are ignored, they read as 0 */
	TEST_NUM(30)
	li a1, -1
	fscsr a0, a1
	CHECK_X(a0, RDN << 5)
	frcsr a0
	CHECK_X(a0, 0xff)
	frrm a0
	CHECK_X(a0, 7)
	frflags a0
	CHECK_X(a0, 0x1f)
	TEST_NUM(31)
	li a1, (RMM << 5) | UF | 0x100
	csrw fcsr, a1
	frcsr a0
	CHECK_X(a0, (RMM << 5) | UF)
	frrm a0
	CHECK_X(a0, RMM)
	frflags a0
	CHECK_X(a0, UF)
	/* set/clear bits of both fields at once through fcsr */
	TEST_NUM(32)
	li a1, (RTZ << 5) | NX
	csrrs a0, fcsr, a1
	CHECK_X(a0, (RMM << 5) | UF)
	frcsr a0
	CHECK_X(a0, (5 << 5) | UF | NX)
	csrrci a0, fcsr, UF			/* immediate: fflags bits only */
	frcsr a0
	CHECK_X(a0, (5 << 5) | NX)
	li a1, 0xe0
	csrc fcsr, a1
	frcsr a0
	CHECK_X(a0, NX)
	/* writing fflags leaves frm alone and the other way round */
	TEST_NUM(33)
	fsrmi RUP
	fsflagsi 0
	frcsr a0
	CHECK_X(a0, RUP << 5)
	fsflagsi OF
	fsrmi RNE
	frcsr a0
	CHECK_X(a0, OF)
	/* csrrs with x0 reads without writing */
	TEST_NUM(34)
	csrrs a0, fflags, x0
	CHECK_X(a0, OF)
	csrrc a0, fcsr, x0
	CHECK_X(a0, OF)
	fscsr zero
	j pass
