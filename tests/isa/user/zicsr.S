/* Zicsr: csrrw/csrrs/csrrc/csrrwi/csrrsi/csrrci on mscratch (a full 64-bit
 * read/write CSR): the old value is returned in rd, the new value is
 * rs1 / old | rs1 / old & ~rs1 (or the zero-extended 5-bit uimm);
 * csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with uimm = 0 do not write;
 * csrrw/csrrwi with x0 / 0 do write zero; rd = x0 forms still write;
 * rd == rs1 uses the old rs1 value. Read-only CSRs can be read with
 * csrrs/csrrc rs1 = x0 and csrrsi/csrrci uimm = 0 without trapping.
 * Writes to read-only/unknown CSRs are in illegal.S. */
#include "test.h"
#include "utest.h"

	.text
	.globl main
main:
	/* ---- csrrw ---- */
	TEST_NUM(1)
	li a1, 0x0123456789abcdef
	csrw mscratch, a1               /* csrrw x0 */
	csrr a0, mscratch               /* csrrs rd, x0 */
	CHECK_REG(a0, a1)
	li a2, 0xfedcba9876543210
	csrrw a0, mscratch, a2
	CHECK_REG(a0, a1)
	csrr a0, mscratch
	CHECK_REG(a0, a2)
	csrrw a0, mscratch, x0          /* writes zero */
	CHECK_REG(a0, a2)
	csrr a0, mscratch
	CHECK(a0, 0)
	li a1, -1
	csrrw x0, mscratch, a1
	csrr a0, mscratch
	CHECK(a0, -1)

	/* rd == rs1: swap */
	TEST_NUM(2)
	li a0, 0x1111
	csrw mscratch, a0
	li a0, 0x2222
	csrrw a0, mscratch, a0
	CHECK(a0, 0x1111)
	csrr a0, mscratch
	CHECK(a0, 0x2222)

	/* ---- csrrs ---- */
	TEST_NUM(3)
	li a1, 0xf0f0f0f000000000
	csrw mscratch, a1
	li a2, 0x00000000ffff000f
	csrrs a0, mscratch, a2
	CHECK(a0, 0xf0f0f0f000000000)
	csrr a0, mscratch
	CHECK(a0, 0xf0f0f0f0ffff000f)
	li a2, 0x8000000000000000
	csrs mscratch, a2               /* csrrs x0, rd = x0 still writes */
	csrr a0, mscratch
	CHECK(a0, 0xf0f0f0f0ffff000f)
	li a2, 0x0f00000000000000
	csrs mscratch, a2
	csrr a0, mscratch
	CHECK(a0, 0xfff0f0f0ffff000f)
	/* rs1 = x0: read only */
	csrrs a0, mscratch, x0
	CHECK(a0, 0xfff0f0f0ffff000f)
	csrr a0, mscratch
	CHECK(a0, 0xfff0f0f0ffff000f)
	/* rd == rs1 */
	li a0, 0x10
	csrw mscratch, a0
	li a0, 0x01
	csrrs a0, mscratch, a0
	CHECK(a0, 0x10)
	csrr a0, mscratch
	CHECK(a0, 0x11)

	/* ---- csrrc ---- */
	TEST_NUM(4)
	li a1, -1
	csrw mscratch, a1
	li a2, 0x8000000000000001
	csrrc a0, mscratch, a2
	CHECK(a0, -1)
	csrr a0, mscratch
	CHECK(a0, 0x7ffffffffffffffe)
	li a2, 0x00000000ffffffff
	csrc mscratch, a2
	csrr a0, mscratch
	CHECK(a0, 0x7fffffff00000000)
	csrrc a0, mscratch, x0          /* read only */
	CHECK(a0, 0x7fffffff00000000)
	csrr a0, mscratch
	CHECK(a0, 0x7fffffff00000000)
	li a0, 0x7000000000000000
	csrrc a0, mscratch, a0          /* rd == rs1 */
	CHECK(a0, 0x7fffffff00000000)
	csrr a0, mscratch
	CHECK(a0, 0x0fffffff00000000)

	/* ---- csrrwi: 5-bit zero-extended immediate ---- */
	TEST_NUM(5)
	li a1, 0x5555555555555555
	csrw mscratch, a1
	csrrwi a0, mscratch, 31         /* 11111: zero-extended, not -1 */
	CHECK_REG(a0, a1)
	csrr a0, mscratch
	CHECK(a0, 31)
	csrrwi a0, mscratch, 0          /* uimm 0 still writes */
	CHECK(a0, 31)
	csrr a0, mscratch
	CHECK(a0, 0)
	csrwi mscratch, 16
	csrr a0, mscratch
	CHECK(a0, 16)
	csrrwi a0, mscratch, 21
	CHECK(a0, 16)
	csrr a0, mscratch
	CHECK(a0, 21)

	/* ---- csrrsi ---- */
	TEST_NUM(6)
	li a1, 0x8000000000000100
	csrw mscratch, a1
	csrrsi a0, mscratch, 0x11
	CHECK(a0, 0x8000000000000100)
	csrr a0, mscratch
	CHECK(a0, 0x8000000000000111)
	csrsi mscratch, 0x1e
	csrr a0, mscratch
	CHECK(a0, 0x800000000000011f)
	csrrsi a0, mscratch, 0          /* no write */
	CHECK(a0, 0x800000000000011f)
	csrr a0, mscratch
	CHECK(a0, 0x800000000000011f)

	/* ---- csrrci ---- */
	TEST_NUM(7)
	li a1, -1
	csrw mscratch, a1
	csrrci a0, mscratch, 0x1f
	CHECK(a0, -1)
	csrr a0, mscratch
	CHECK(a0, 0xffffffffffffffe0)
	li a1, 0x15
	csrw mscratch, a1
	csrci mscratch, 0x05
	csrr a0, mscratch
	CHECK(a0, 0x10)
	csrrci a0, mscratch, 0          /* no write */
	CHECK(a0, 0x10)
	csrr a0, mscratch
	CHECK(a0, 0x10)

	/* ---- rd = x0 reads are discarded, the write happens ---- */
	TEST_NUM(8)
	csrwi mscratch, 3
	csrrw x0, mscratch, x0
	csrr a0, mscratch
	CHECK(a0, 0)
	bnez x0, fail

	/* ---- back-to-back dependent CSR ops ---- */
	TEST_NUM(9)
	li a0, 1
	csrw mscratch, a0
	csrrs a1, mscratch, a0          /* a1 = 1, csr = 1 */
	csrrw a2, mscratch, a1          /* a2 = 1, csr = 1 */
	slli a1, a1, 5
	csrrs a3, mscratch, a1          /* a3 = 1, csr = 0x21 */
	csrrci a4, mscratch, 1          /* a4 = 0x21, csr = 0x20 */
	csrrsi a5, mscratch, 2          /* a5 = 0x20, csr = 0x22 */
	csrr a6, mscratch
	CHECK(a2, 1)
	CHECK(a3, 1)
	CHECK(a4, 0x21)
	CHECK(a5, 0x20)
	CHECK(a6, 0x22)

	/* ---- read-only CSRs: reads do not trap ---- */
	TEST_NUM(10)
	csrr a0, mhartid
	CHECK(a0, 0)
	csrrs a0, mvendorid, x0
	csrrc a0, marchid, x0
	csrrsi a0, mimpid, 0
	csrrci a0, mhartid, 0
	CHECK(a0, 0)
	/* misa: MXL = 2 (RV64) and I, M, A, F, D, C present */
	csrr a0, misa
	srli a1, a0, 62
	CHECK(a1, 2)
	li a2, (1 << 8) | (1 << 12) | (1 << 0) | (1 << 5) | (1 << 3) | (1 << 2)
	and a1, a0, a2
	CHECK_REG(a1, a2)

	j pass
