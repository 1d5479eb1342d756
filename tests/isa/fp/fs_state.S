/* mstatus.FS tracking: writing FP state (an f register, or fflags/frm/
 * fcsr) moves FS from Initial or Clean to Dirty, and SD (bit 63) reads 1
 * exactly when FS (or XS/VS, both 0 here) is Dirty. */
#include "fp_test.h"

/* set FS to the value v (0..3) */
#define SET_FS(v) li t0, MSTATUS_FS; csrc mstatus, t0; li t0, (v) << 13; csrs mstatus, t0
/* check FS == v and SD == (v == 3) */
#define CHECK_FS_SD(v) \
	csrr t1, mstatus; srli t2, t1, 13; andi t2, t2, 3; li t6, v; bne t2, t6, fail; \
	srli t2, t1, 63; li t6, (v) / 3; bne t2, t6, fail

	.text
	.globl main
main:
	/* SD follows FS */
	TEST_NUM(1)
	SET_FS(1)
	CHECK_FS_SD(1)
	SET_FS(2)
	CHECK_FS_SD(2)
	SET_FS(3)
	CHECK_FS_SD(3)
	TEST_NUM(2)
	SET_FS(1)
	CHECK_FS_SD(1)
	/* Initial -> Dirty on an f register write */
	TEST_NUM(3)
	li a0, 0x3f800000
	fmv.w.x f1, a0
	CHECK_FS_SD(3)
	/* Clean -> Dirty on arithmetic */
	TEST_NUM(4)
	SET_FS(2)
	fadd.s f2, f1, f1
	CHECK_FS_SD(3)
	/* ... on a load */
	TEST_NUM(5)
	SET_FS(2)
	addi sp, sp, -16
	sd zero, 0(sp)
	fld f3, 0(sp)
	addi sp, sp, 16
	CHECK_FS_SD(3)
	/* ... on a conversion from an integer */
	TEST_NUM(6)
	SET_FS(1)
	fcvt.d.l f4, a0
	CHECK_FS_SD(3)
	/* ... on an fma */
	TEST_NUM(7)
	SET_FS(2)
	fmadd.d f5, f4, f4, f4
	CHECK_FS_SD(3)
	/* ... on a compressed load */
	TEST_NUM(8)
	SET_FS(2)
	addi sp, sp, -16
	c.fldsp f6, 0(sp)
	addi sp, sp, 16
	CHECK_FS_SD(3)
	/* ... on writes to the FP CSRs */
	TEST_NUM(9)
	SET_FS(2)
	csrwi fflags, NX
	CHECK_FS_SD(3)
	TEST_NUM(10)
	SET_FS(1)
	fsrmi RTZ
	CHECK_FS_SD(3)
	TEST_NUM(11)
	SET_FS(2)
	fscsr zero
	CHECK_FS_SD(3)
	/* the register contents do not depend on FS */
	TEST_NUM(12)
	SET_FS(2)
	fmv.x.w a1, f1
	CHECK_X(a1, 0x3f800000)
	SET_FS(1)
	fmv.x.d a1, f2
	CHECK_X(a1, BOX(S_TWO))
	j pass
