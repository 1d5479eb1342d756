/* Faults inside instruction pairs that the interpreter runs with one fused
 * handler (exec.c, RV_FUSED): when the first or the second instruction of
 * a pair faults, mepc must be that instruction's, the instruction before it
 * must have run exactly once and the one after it not before the trap (the
 * handler resumes after the faulting instruction, so the rest then runs).
 * Accesses fault by going to a physical hole (access fault, mtval = the
 * address). Then the same pairs without faults, in a loop. */
#include "test.h"
#include "utest.h"

#define HOLE 0x40000000

	TRAP_HANDLER

	.option norvc
	.text
	.globl main
main:
	la s1, data
	li s2, HOLE

	/* 1: addi rd, rd, imm ; sd (fused): the store faults */
	TEST_NUM(1); li a0, 5; TRAP_RESET
	addi a0, a0, 1
1:	sd a0, 8(s2)
	TRAP_EXPECT(7, HOLE + 8); TRAP_EPC(1b); CHECK(a0, 6)

	/* 2: ld ; ld, the second faults: the first loaded */
	TEST_NUM(2); li a1, 0; li a2, 77; TRAP_RESET
	ld a1, 0(s1)
1:	ld a2, 16(s2)
	TRAP_EXPECT(5, HOLE + 16); TRAP_EPC(1b); CHECK(a1, 0x1122334455667788); CHECK(a2, 77)

	/* 3: ld ; ld, the first faults: the second runs after the trap */
	TEST_NUM(3); li a1, 77; li a2, 0; TRAP_RESET
1:	ld a1, 24(s2)
	ld a2, 8(s1)
	TRAP_EXPECT(5, HOLE + 24); TRAP_EPC(1b); CHECK(a1, 77); CHECK(a2, 0x0102030405060708)

	/* 4: add rd, rd, rs2 ; lw, the load faults */
	TEST_NUM(4); li a0, 40; li a3, 2; li a1, 77; TRAP_RESET
	add a0, a0, a3
1:	lw a1, 4(s2)
	TRAP_EXPECT(5, HOLE + 4); TRAP_EPC(1b); CHECK(a0, 42); CHECK(a1, 77)

	/* 5: sd ; sd, the second faults: the first stored */
	TEST_NUM(5); li a0, 99; sd zero, 16(s1); TRAP_RESET
	sd a0, 16(s1)
1:	sd a0, 32(s2)
	TRAP_EXPECT(7, HOLE + 32); TRAP_EPC(1b); ld t2, 16(s1); CHECK(t2, 99)

	/* 6: lbu ; addi rd, rd, imm, the load faults: the addi runs after */
	TEST_NUM(6); li a1, 77; li a0, 1; TRAP_RESET
1:	lbu a1, 3(s2)
	addi a0, a0, 1
	TRAP_EXPECT(5, HOLE + 3); TRAP_EPC(1b); CHECK(a1, 77); CHECK(a0, 2)

	/* 7: sb ; bne (back to the block start), as a byte copy loop:
	 * lbu, addi, sb, addi, bne */
	TEST_NUM(7); TRAP_DISARM
	la a1, data; la a0, copy; addi a2, a1, 16
2:	lbu a5, 0(a1)
	addi a1, a1, 1
	sb a5, 0(a0)
	addi a0, a0, 1
	bne a1, a2, 2b
	la t0, copy; ld t1, 0(t0); CHECK(t1, 0x1122334455667788)
	ld t1, 8(t0); CHECK(t1, 0x0102030405060708)

	/* 8: more pairs: sext.w ; sext.w, slli rd, rd ; add rd, rd,
	 * srliw ; slliw, xor ; andi rd, rd */
	TEST_NUM(8)
	li a0, 0x180000001; li a1, 0xfffffffe7fffffff
	sext.w a0, a0
	sext.w a1, a1
	CHECK(a0, 0xffffffff80000001); CHECK(a1, 0x7fffffff)
	TEST_NUM(9); li a0, 3; li a1, 5
	slli a0, a0, 4
	add a0, a0, a1
	CHECK(a0, 53)
	TEST_NUM(10); li a0, 0x80000010
	srliw a1, a0, 4
	slliw a2, a0, 4
	CHECK(a1, 0x08000001); CHECK(a2, 0x100)
	TEST_NUM(11); li a0, 0xff; li a1, 0x0f
	xor a2, a0, a1
	andi a2, a2, 0x30
	CHECK(a2, 0x30)

	/* 12: lw ; slliw, the load faults: the slliw runs after */
	TEST_NUM(12); li a1, 77; li a0, 3; TRAP_RESET
1:	lw a1, 8(s2)
	slliw a2, a0, 4
	TRAP_EXPECT(5, HOLE + 8); TRAP_EPC(1b); CHECK(a1, 77); CHECK(a2, 48)

	/* 13: lwu ; addi rd, rd, imm, the load faults */
	TEST_NUM(13); li a1, 77; li a0, 1; TRAP_RESET
1:	lwu a1, 12(s2)
	addi a0, a0, 1
	TRAP_EXPECT(5, HOLE + 12); TRAP_EPC(1b); CHECK(a1, 77); CHECK(a0, 2)

	/* 14: ld ; mv, the load faults: the mv runs after */
	TEST_NUM(14); li a1, 77; li a2, 5; li a3, 0; TRAP_RESET
1:	ld a1, 40(s2)
	add a3, zero, a2
	TRAP_EXPECT(5, HOLE + 40); TRAP_EPC(1b); CHECK(a1, 77); CHECK(a3, 5)

	/* 15: mv ; ld, the load faults: the mv ran */
	TEST_NUM(15); li a1, 77; li a2, 5; li a3, 0; TRAP_RESET
	add a3, zero, a2
1:	ld a1, 48(s2)
	TRAP_EXPECT(5, HOLE + 48); TRAP_EPC(1b); CHECK(a1, 77); CHECK(a3, 5)

	/* 16: lbu ; lw, the lw faults: the lbu loaded */
	TEST_NUM(16); li a1, 0; li a2, 77; TRAP_RESET
	lbu a1, 0(s1)
1:	lw a2, 56(s2)
	TRAP_EXPECT(5, HOLE + 56); TRAP_EPC(1b); CHECK(a1, 0x88); CHECK(a2, 77)

	/* 17: ld ; lw, the ld faults: the lw runs after */
	TEST_NUM(17); li a1, 77; li a2, 0; TRAP_RESET
1:	ld a1, 64(s2)
	lw a2, 0(s1)
	TRAP_EXPECT(5, HOLE + 64); TRAP_EPC(1b); CHECK(a1, 77); CHECK(a2, 0x55667788)

	/* 18: lw ; add rd, rd, rs2 and ld ; addi, the loads fault */
	TEST_NUM(18); li a1, 77; li a0, 40; li a3, 2; TRAP_RESET
1:	lw a1, 72(s2)
	add a0, a0, a3
	TRAP_EXPECT(5, HOLE + 72); TRAP_EPC(1b); CHECK(a1, 77); CHECK(a0, 42)
	TEST_NUM(19); li a1, 77; li a0, 40; TRAP_RESET
1:	ld a1, 80(s2)
	addi a2, a0, 3
	TRAP_EXPECT(5, HOLE + 80); TRAP_EPC(1b); CHECK(a1, 77); CHECK(a2, 43)

	/* 20: sw ; bne (back to the block start), the store faults in the
	 * second round: the bne after the trap ends the loop */
	TEST_NUM(20); la a1, copy; li a2, HOLE; sub t2, a2, a1; li a0, 5; sd zero, 0(a1)
	TRAP_RESET
2:	addi a3, a1, 0
	add a1, a1, t2
	addi a0, a0, 1
3:	sw a0, 0(a3)
	bne a3, a2, 2b
	TRAP_EXPECT(7, HOLE); TRAP_EPC(3b); CHECK(a0, 7)
	la t0, copy; lw t1, 0(t0); CHECK(t1, 6)

	/* 21: the ALU pairs of SHA-256 rounds */
	TEST_NUM(21); li a0, 0x12345678; li a1, 0x9abcdef0; li a2, 0x0f0f0f0f
	xor a0, a0, a1
	xori a3, a0, -1
	and a4, a3, a2
	and a4, a4, a1
	sext.w a5, a4
	addw a5, a5, a0
	addw a6, a5, a2
	sext.w a6, a6
	slliw a5, a5, 3
	CHECK(a0, 0x88888888); CHECK(a3, 0xffffffff77777777); CHECK(a4, 0x2040600)
	CHECK(a5, 0x54647440); CHECK(a6, 0xffffffff999b9d97)
	j pass

	.data
	.align 3
data:
	.dword 0x1122334455667788, 0x0102030405060708, 0, 0
copy:
	.dword 0, 0
