/* Illegal and reserved encodings. Each must raise illegal instruction
 * (mcause 2) exactly once, with mepc = the instruction and mtval = the
 * instruction bits (a 16-bit parcel zero-extended), and without writing
 * rd (a0 is preset to a sentinel; a1 = 1 for the register-source CSR
 * forms). The handler resumes after the instruction (2 or 4 bytes).
 * Covered: all-ones, the all-zero parcel, reserved/custom/unimplemented
 * major opcodes, reserved funct3/funct7 combinations in OP/OP-32/OP-IMM/
 * OP-IMM-32 (incl. slliw/srliw/sraiw with shamt[5] = 1), LOAD/STORE/
 * BRANCH/JALR/MISC-MEM/AMO reserved funct3/funct5, unknown SYSTEM
 * instructions, unknown CSRs, writes to read-only CSRs (csrrw/csrrwi
 * always write; csrrs/csrrc/csrrsi/csrrci with a non-zero source), and
 * the reserved RV64C encodings. Also ecall (mcause 11) and ebreak
 * (mcause 3) from M-mode with mtval 0 (what QEMU writes for ebreak).
 *
 * Encodings QEMU 7.2 accepts because it enables Zba/Zbb/Zbc/Zbs (and H)
 * by default are avoided (e.g. OP funct7 = 0100000 with funct3 100/110/111
 * is xnor/orn/andn there). */
#include "test.h"
#include "utest.h"

#define SENTINEL 0x5a5a5a5a5a5a

#define ILL32(n, bits) \
	TEST_NUM(n); li a0, SENTINEL; li a1, 1; TRAP_RESET; \
1:	.word bits; \
	TRAP_EXPECT(2, bits); TRAP_EPC(1b); CHECK(a0, SENTINEL)

#define ILL16(n, bits) \
	TEST_NUM(n); li a0, SENTINEL; li a1, 1; TRAP_RESET; \
1:	.half bits; \
	TRAP_EXPECT(2, bits); TRAP_EPC(1b); CHECK(a0, SENTINEL)

	TRAP_HANDLER

	.text
	.globl main
main:
	/* ---- 32-bit encodings ---- */
	ILL32(1, 0xffffffff)            /* all ones */
	ILL32(2, 0x0000006b)            /* major opcode 0x6b (reserved) */
	ILL32(3, 0x0000056b)            /* major opcode 0x6b, rd = a0 */
	ILL32(4, 0x0000000b)            /* custom-0 */
	ILL32(5, 0x0000002b)            /* custom-1 */
	ILL32(6, 0x0200005b)            /* custom-2 */
	ILL32(7, 0x0000007b)            /* custom-3 */
	ILL32(8, 0x00000057)            /* OP-V (no V extension) */
	ILL32(9, 0x00000077)            /* major opcode 0x77 */
	ILL32(10, 0xfe000033)            /* OP funct7 = 1111111 */
	ILL32(11, 0x40001033)            /* OP funct7 = 0100000, funct3 = sll */
	ILL32(12, 0x40002033)            /* OP funct7 = 0100000, funct3 = slt */
	ILL32(13, 0x40003033)            /* OP funct7 = 0100000, funct3 = sltu */
	ILL32(14, 0x0000203b)            /* OP-32 funct3 = 010 */
	ILL32(15, 0x0000403b)            /* OP-32 funct3 = 100, funct7 = 0 */
	ILL32(16, 0x4200003b)            /* OP-32 funct7 = 0100001 (subw with bit 25) */
	ILL32(17, 0x4000103b)            /* OP-32 sllw with funct7 = 0100000 */
	ILL32(18, 0x0200151b)            /* OP-IMM-32 slliw a0, x0, 32 (shamt[5] = 1) */
	ILL32(19, 0x0200551b)            /* OP-IMM-32 srliw a0, x0, 32 (shamt[5] = 1) */
	ILL32(20, 0x4200551b)            /* OP-IMM-32 sraiw a0, x0, 32 (shamt[5] = 1) */
	ILL32(21, 0x0000251b)            /* OP-IMM-32 funct3 = 010 */
	ILL32(22, 0x80001513)            /* OP-IMM slli with imm[11:6] = 100000 */
	ILL32(23, 0x80005013)            /* OP-IMM srli with imm[11:6] = 100000 */
	ILL32(24, 0x00007503)            /* LOAD funct3 = 111 */
	ILL32(25, 0x00004023)            /* STORE funct3 = 100 */
	ILL32(26, 0x00005023)            /* STORE funct3 = 101 */
	ILL32(27, 0x00007023)            /* STORE funct3 = 111 */
	ILL32(28, 0x00002063)            /* BRANCH funct3 = 010 */
	ILL32(29, 0x00003063)            /* BRANCH funct3 = 011 */
	ILL32(30, 0x00001067)            /* JALR funct3 = 001 */
	ILL32(31, 0x0000700f)            /* MISC-MEM funct3 = 111 */
	ILL32(32, 0x0000102f)            /* AMO funct3 = 001 */
	ILL32(33, 0x0000402f)            /* AMO funct3 = 100 */
	ILL32(34, 0x0000602f)            /* AMO funct3 = 110 */
	ILL32(35, 0x0000702f)            /* AMO funct3 = 111 */
	ILL32(36, 0x3000202f)            /* AMO funct5 = 00110 */
	ILL32(37, 0x1010202f)            /* lr.w with rs2 != 0 */
	ILL32(38, 0x7ff00073)            /* SYSTEM: unknown funct12 0x7ff */
	ILL32(39, 0x00200073)            /* SYSTEM: uret (N extension, not implemented) */
	ILL32(40, 0x00000473)            /* SYSTEM: ecall with rd != 0 */
	ILL32(41, 0x7b200073)            /* SYSTEM: dret outside debug mode */
	ILL32(42, 0x0ff02573)            /* csrr a0, 0x0ff (unallocated) */
	ILL32(43, 0x7ff02573)            /* csrr a0, 0x7ff */
	ILL32(44, 0x80002573)            /* csrr a0, 0x800 */
	ILL32(45, 0xfff02573)            /* csrr a0, 0xfff */
	ILL32(46, 0x0ff05073)            /* csrwi 0x0ff, 0 */
	ILL32(47, 0x7b002573)            /* csrr a0, dcsr (debug mode only) */
	ILL32(48, 0xf1159073)            /* csrw mvendorid, a1 */
	ILL32(49, 0xf1401573)            /* csrrw a0, mhartid, x0 (csrrw always writes) */
	ILL32(50, 0xf1105573)            /* csrrwi a0, mvendorid, 0 (csrrwi always writes) */
	ILL32(51, 0xf1116573)            /* csrrsi a0, mvendorid, 2 */
	ILL32(52, 0xf120f573)            /* csrrci a0, marchid, 1 */
	ILL32(53, 0xf135a573)            /* csrrs a0, mimpid, a1 (a1 = 1) */
	ILL32(54, 0xf145b573)            /* csrrc a0, mhartid, a1 (a1 = 1) */
	ILL32(55, 0xc0059073)            /* csrw cycle, a1 */
	ILL32(56, 0xc0001573)            /* csrrw a0, cycle, x0 */
	ILL32(57, 0xc0205573)            /* csrrwi a0, instret, 0 */
	ILL32(58, 0xc020e573)            /* csrrsi a0, instret, 1 */
	ILL32(59, 0xc005a573)            /* csrrs a0, cycle, a1 (a1 = 1) */

	/* ---- 16-bit encodings: mtval is the parcel, zero-extended ---- */
	ILL16(100, 0x0000)                /* 0x0000: the all-zero parcel */
	ILL16(101, 0x0004)                /* c.addi4spn s1, sp, 0 (imm 0) */
	ILL16(102, 0x001c)                /* c.addi4spn a5, sp, 0 (imm 0) */
	ILL16(103, 0x6501)                /* c.lui a0, 0 (imm 0) */
	ILL16(104, 0x6181)                /* c.lui gp, 0 (imm 0) */
	ILL16(105, 0x6101)                /* c.addi16sp sp, 0 (rd = x2, imm 0) */
	ILL16(106, 0x4002)                /* c.lwsp x0, 0(sp) */
	ILL16(107, 0x4012)                /* c.lwsp x0, 4(sp) */
	ILL16(108, 0x6002)                /* c.ldsp x0, 0(sp) */
	ILL16(109, 0x8002)                /* c.jr x0 */
	ILL16(110, 0x2001)                /* c.addiw x0, 0 */
	ILL16(111, 0x8000)                /* Q0 funct3 = 100, all zero */
	ILL16(112, 0x9000)                /* Q0 funct3 = 100, bit 12 set */
	ILL16(113, 0x9c41)                /* Q1 100 1 11 ... 10 (reserved CA) */
	ILL16(114, 0x9c61)                /* Q1 100 1 11 ... 11 (reserved CA) */

	/* ---- a 32-bit illegal instruction at 2 mod 4 ---- */
	.balign 4
	c.nop
	ILL32(200, 0xffffffff)
	.balign 4
	c.nop
	ILL32(201, 0x0200151b)

	/* ---- the legal neighbours of some of the above do not trap ---- */
	TEST_NUM(210)
	TRAP_RESET
	li a1, 7
	.word 0x01f5951b                /* slliw a0, a1, 31 */
	CHECK(a0, 0xffffffff80000000)
	.word 0x4015d51b                /* sraiw a0, a1, 1 */
	CHECK(a0, 3)
	.word 0x03f59513                /* slli a0, a1, 63 */
	CHECK(a0, 0x8000000000000000)
	csrr a0, mvendorid
	csrrs a0, mimpid, x0
	csrrsi a0, mhartid, 0
	csrrci a0, marchid, 0
	csrr a0, cycle
	csrr a0, instret
	TRAP_NONE

	/* ---- ecall / ebreak from M-mode ---- */
	TEST_NUM(220)
	TRAP_RESET
1:	ecall
	TRAP_EXPECT(11, 0)
	TRAP_EPC(1b)
	TEST_NUM(221)
	TRAP_RESET
	.option push
	.option norvc
1:	ebreak
	.option pop
	TRAP_EXPECT(3, 0)
	TRAP_EPC(1b)
	la t0, 1b                       /* it was the 32-bit form */
	lw t1, 0(t0)
	CHECK(t1, 0x00100073)

	j pass
