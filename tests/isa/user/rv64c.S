/* RV64C: every compressed instruction, written with explicit c. mnemonics
 * (so the assembler cannot pick a 32-bit form), with results checked:
 *   Q0: c.addi4spn c.fld c.lw c.ld c.fsd c.sw c.sd
 *   Q1: c.nop c.addi c.addiw (the RV32 c.jal slot) c.li c.addi16sp c.lui
 *       c.srli c.srai c.andi c.sub c.xor c.or c.and c.subw c.addw c.j
 *       c.beqz c.bnez
 *   Q2: c.slli c.fldsp c.lwsp c.ldsp c.jr c.mv c.ebreak c.jalr c.add
 *       c.fsdsp c.swsp c.sdsp
 * Immediates at their extremes and with alternating bit patterns (the
 * compressed immediates are scrambled in the encoding), sign extension
 * (c.li, c.lui, c.addiw, c.lw, c.andi), c.jalr linking pc + 2,
 * c.ebreak (mcause 3, mepc = its address, mtval 0 as on QEMU) and the HINT
 * encodings (rd = x0, shamt = 0) executing as no-ops.
 * Illegal/reserved compressed encodings are in illegal.S; 16/32-bit mixing
 * and page-straddling code in rv64c_mixed.S. */
#include "test.h"
#include "utest.h"

	TRAP_HANDLER

	.option rvc
	.option norelax
	.text
	.globl main
main:
	/* ---- c.li: 6-bit signed immediate ---- */
	TEST_NUM(1)
	c.li a0, 0
	CHECK(a0, 0)
	c.li a0, 31
	CHECK(a0, 31)
	c.li a0, -32
	CHECK(a0, -32)
	c.li a0, -1
	CHECK(a0, -1)
	c.li s1, 21                 /* 010101 */
	CHECK(s1, 21)
	c.li t3, -22                /* 101010 */
	CHECK(t3, -22)
	c.li ra, 1                  /* any rd, not just x8..x15 */
	CHECK(ra, 1)

	/* ---- c.lui: nzimm[17:12], sign-extended ---- */
	TEST_NUM(2)
	c.lui a0, 1
	CHECK(a0, 0x1000)
	c.lui a0, 31
	CHECK(a0, 0x1f000)
	c.lui a0, 0xfffe0           /* -32 << 12 */
	CHECK(a0, 0xfffffffffffe0000)
	c.lui a0, 0xfffff           /* -1 << 12 */
	CHECK(a0, 0xfffffffffffff000)
	c.lui t4, 0x15
	CHECK(t4, 0x15000)
	c.lui s11, 0xfffea          /* 101010 */
	CHECK(s11, 0xfffffffffffea000)

	/* ---- c.addi: 6-bit signed, rd = rd + imm ---- */
	TEST_NUM(3)
	li a0, 100
	c.addi a0, 1
	CHECK(a0, 101)
	c.addi a0, -32
	CHECK(a0, 69)
	c.addi a0, 31
	CHECK(a0, 100)
	c.addi a0, -1
	CHECK(a0, 99)
	li t5, -1
	c.addi t5, 1                /* 64-bit wrap */
	CHECK(t5, 0)
	li a1, 0x7fffffff
	c.addi a1, 1                /* no 32-bit sign extension */
	CHECK(a1, 0x80000000)

	/* ---- c.addiw: 32-bit add, sign-extended; c.addiw rd, 0 = sext.w ---- */
	TEST_NUM(4)
	li a0, 0x7fffffff
	c.addiw a0, 1
	CHECK(a0, 0xffffffff80000000)
	li a0, 0x12345678ffffffff
	c.addiw a0, 0
	CHECK(a0, -1)
	li a0, 0xffffffff80000000
	c.addiw a0, -1
	CHECK(a0, 0x7fffffff)
	li s2, 0x100000005
	c.addiw s2, -32
	CHECK(s2, -27)
	li a0, 0x00000000fffffff0
	c.addiw a0, 31
	CHECK(a0, 15)
	/* the same encoding is c.jal on RV32: make sure it did not jump */
	TEST_NUM(5)
	li a0, 3
	li ra, 0
	.half 0x2505                /* c.addiw a0, 1 */
	CHECK(a0, 4)
	CHECK(ra, 0)

	/* ---- c.addi16sp: sp += nzimm (multiple of 16, -512..496) ---- */
	TEST_NUM(6)
	mv s3, sp
	c.addi16sp sp, -512
	sub a0, s3, sp
	CHECK(a0, 512)
	c.addi16sp sp, 496
	sub a0, s3, sp
	CHECK(a0, 16)
	c.addi16sp sp, 16
	sub a0, s3, sp
	CHECK(a0, 0)
	c.addi16sp sp, -336         /* 101011 << 4 */
	sub a0, s3, sp
	CHECK(a0, 336)
	c.addi16sp sp, 336
	CHECK_REG(sp, s3)
	c.addi16sp sp, 0x150        /* 010101 << 4 */
	sub a0, sp, s3
	CHECK(a0, 0x150)
	mv sp, s3

	/* ---- c.addi4spn: rd' = sp + nzuimm (multiple of 4, 4..1020) ---- */
	TEST_NUM(7)
	c.addi4spn a0, sp, 4
	sub a0, a0, sp
	CHECK(a0, 4)
	c.addi4spn a1, sp, 1020
	sub a1, a1, sp
	CHECK(a1, 1020)
	c.addi4spn s0, sp, 0x2a8    /* 1010101000 */
	sub s0, s0, sp
	CHECK(s0, 0x2a8)
	c.addi4spn a5, sp, 0x154    /* 0101010100 */
	sub a5, a5, sp
	CHECK(a5, 0x154)

	/* ---- c.srli / c.srai / c.slli: 6-bit shamt ---- */
	TEST_NUM(8)
	li a0, 0x8000000000000001
	c.srli a0, 1
	CHECK(a0, 0x4000000000000000)
	li a0, 0x8000000000000001
	c.srli a0, 63
	CHECK(a0, 1)
	li a0, 0x8000000080000000
	c.srli a0, 32
	CHECK(a0, 0x80000000)
	li a0, 0x8000000080000000
	c.srli a0, 31
	CHECK(a0, 0x100000001)
	TEST_NUM(9)
	li a1, 0x8000000000000001
	c.srai a1, 1
	CHECK(a1, 0xc000000000000000)
	li a1, 0x8000000000000001
	c.srai a1, 63
	CHECK(a1, -1)
	li a1, 0x8000000080000000
	c.srai a1, 32
	CHECK(a1, 0xffffffff80000000)
	li a1, 0x4000000080000000
	c.srai a1, 31
	CHECK(a1, 0x0000000080000001)
	TEST_NUM(10)
	li a2, 0x8000000000000001
	c.slli a2, 1
	CHECK(a2, 2)
	li a2, 1
	c.slli a2, 63
	CHECK(a2, 0x8000000000000000)
	li a2, 0x80000001
	c.slli a2, 32
	CHECK(a2, 0x8000000100000000)
	li t0, 3
	c.slli t0, 31               /* any rd */
	CHECK(t0, 0x180000000)

	/* ---- c.andi: 6-bit signed immediate ---- */
	TEST_NUM(11)
	li a3, 0x123456789abcdef7
	c.andi a3, -1
	CHECK(a3, 0x123456789abcdef7)
	li a3, 0x123456789abcdef7
	c.andi a3, -32              /* ...ffe0 */
	CHECK(a3, 0x123456789abcdee0)
	li a3, 0x123456789abcdef7
	c.andi a3, 31
	CHECK(a3, 0x17)
	li a3, 0x123456789abcdef7
	c.andi a3, 0
	CHECK(a3, 0)
	li a3, -1
	c.andi a3, -22              /* 101010 */
	CHECK(a3, -22)

	/* ---- c.sub / c.xor / c.or / c.and / c.subw / c.addw ---- */
	TEST_NUM(12)
	li s0, 0x0123456789abcdef
	li s1, 0x1111111111111111
	c.sub s0, s1
	CHECK(s0, 0xf0123456789abcde)
	li a4, 0xff00ff00ff00ff00
	li a5, 0x0ff00ff00ff00ff0
	c.xor a4, a5
	CHECK(a4, 0xf0f0f0f0f0f0f0f0)
	li a4, 0xff00ff00ff00ff00
	c.or a4, a5
	CHECK(a4, 0xfff0fff0fff0fff0)
	li a4, 0xff00ff00ff00ff00
	c.and a4, a5
	CHECK(a4, 0x0f000f000f000f00)
	CHECK(a5, 0x0ff00ff00ff00ff0)
	TEST_NUM(13)
	li a0, 0x0000000080000000
	li a1, 1
	c.subw a0, a1
	CHECK(a0, 0x7fffffff)
	li a0, 0x1234567800000000
	li a1, 1
	c.subw a0, a1
	CHECK(a0, -1)
	li a0, 0x7fffffff
	li a1, 0xffffffff00000001
	c.addw a0, a1
	CHECK(a0, 0xffffffff80000000)
	li a0, 0xffffffff
	li a1, 1
	c.addw a0, a1
	CHECK(a0, 0)
	li a2, 5
	c.addw a2, a2
	CHECK(a2, 10)

	/* ---- c.mv / c.add: any registers ---- */
	TEST_NUM(14)
	li t1, 0x123456789abcdef0
	c.mv t2, t1
	CHECK_REG(t2, t1)
	c.mv s10, t1
	CHECK_REG(s10, t1)
	li t2, 0x0fedcba987654321
	c.add t2, t1
	CHECK(t2, 0x2222222222222211)
	li a0, -1
	li a1, 1
	c.add a0, a1
	CHECK(a0, 0)
	li ra, 7
	c.add ra, ra
	CHECK(ra, 14)

	/* ---- c.lw / c.ld / c.sw / c.sd ---- */
	la s0, cwbuf
	la s1, cdbuf
	TEST_NUM(15)
	c.lw a0, 0(s0)
	CHECK(a0, 0xffffffff80000001)   /* sign-extended */
	c.lw a1, 4(s0)
	CHECK(a1, 0x7ffffffe)
	c.ld a2, 0(s1)
	CHECK(a2, 0x7ffffffe80000001)
	c.lw a3, 124(s0)                /* max offset */
	CHECK(a3, 0x1234567c)
	c.ld a4, 248(s1)                /* max offset */
	CHECK(a4, 0x0f0e0d0c0b0a09f8)
	c.lw a5, 84(s0)                 /* 1010100 */
	CHECK(a5, 0x12345654)
	c.lw a0, 40(s0)                 /* 0101000 */
	CHECK(a0, 0x12345628)
	c.ld a0, 168(s1)                /* 10101000 */
	CHECK(a0, 0x0f0e0d0c0b0a09a8)
	c.ld a1, 80(s1)                 /* 01010000 */
	CHECK(a1, 0x0f0e0d0c0b0a0950)
	TEST_NUM(16)
	li a0, 0xfedcba9876543210
	li a1, 0xaaaaaaaaaaaaaaaa
	c.sd a1, 8(s1)
	c.sw a0, 8(s1)                  /* low word only */
	ld a2, 8(s1)
	CHECK(a2, 0xaaaaaaaa76543210)
	c.sw a0, 124(s0)
	lwu a2, 124(s0)
	CHECK(a2, 0x76543210)
	lwu a2, 120(s0)                 /* neighbour untouched */
	CHECK(a2, 0x12345678)
	c.sd a0, 248(s1)
	ld a2, 248(s1)
	CHECK_REG(a2, a0)
	c.sd a0, 168(s1)
	ld a2, 168(s1)
	CHECK_REG(a2, a0)
	c.sw a1, 84(s0)
	lw a2, 84(s0)
	CHECK(a2, 0xffffffffaaaaaaaa)
	/* rd' == rs1' */
	la a5, cbuf_ptr
	c.ld a5, 0(a5)
	CHECK_REG(a5, s1)
	mv a4, s0
	c.lw a4, 4(a4)
	CHECK(a4, 0x7ffffffe)

	/* ---- c.lwsp / c.ldsp / c.swsp / c.sdsp ---- */
	TEST_NUM(17)
	mv s3, sp
	addi sp, sp, -512
	li a0, 0x1122334455667788
	c.sdsp a0, 0(sp)
	ld a1, 0(sp)
	CHECK_REG(a1, a0)
	c.sdsp a0, 504(sp)              /* max */
	ld a1, 504(sp)
	CHECK_REG(a1, a0)
	li a2, 0x8765432f
	c.swsp a2, 252(sp)              /* max */
	lw a1, 252(sp)
	CHECK(a1, 0xffffffff8765432f)
	c.swsp a2, 0xa8(sp)             /* 10101000 */
	c.swsp a0, 0x54(sp)             /* 01010100 */
	c.sdsp a0, 0x150(sp)            /* 101010000 */
	c.sdsp a2, 0xa8(sp)             /* 010101000: overwrites the sw above */
	TEST_NUM(18)
	c.ldsp t0, 0(sp)
	CHECK(t0, 0x1122334455667788)
	c.ldsp t1, 504(sp)
	CHECK(t1, 0x1122334455667788)
	c.lwsp t2, 252(sp)
	CHECK(t2, 0xffffffff8765432f)
	c.lwsp s4, 0x54(sp)
	CHECK(s4, 0x55667788)
	c.ldsp s5, 0x150(sp)
	CHECK(s5, 0x1122334455667788)
	c.ldsp s6, 0xa8(sp)
	CHECK(s6, 0x8765432f)
	c.lwsp ra, 4(sp)
	CHECK(ra, 0x11223344)
	li a0, 0x80000000
	sw a0, 8(sp)
	c.lwsp a1, 8(sp)
	CHECK(a1, 0xffffffff80000000)
	mv sp, s3

	/* ---- c.fld / c.fsd / c.fldsp / c.fsdsp (RV64DC) ---- */
	TEST_NUM(19)
	la s0, cdbuf
	c.fld fa0, 16(s0)
	fmv.x.d a0, fa0
	CHECK(a0, 0x0f0e0d0c0b0a0910)
	c.fld fs1, 248(s0)
	c.fsd fs1, 24(s0)
	ld a0, 24(s0)
	ld a1, 248(s0)
	CHECK_REG(a0, a1)
	addi sp, sp, -512
	c.fsdsp fa0, 504(sp)
	ld a0, 504(sp)
	CHECK(a0, 0x0f0e0d0c0b0a0910)
	c.fldsp ft0, 504(sp)
	fmv.x.d a1, ft0
	CHECK(a1, 0x0f0e0d0c0b0a0910)
	c.fsdsp ft0, 0x48(sp)
	c.fldsp ft1, 0x48(sp)
	fmv.x.d a1, ft1
	CHECK(a1, 0x0f0e0d0c0b0a0910)
	addi sp, sp, 512

	/* ---- c.j: forward/backward, offsets that set every imm bit ----
	 * gas silently widens c.j/c.beqz near the end of their range into
	 * 32-bit jumps, so those are encoded by hand with .half and the layout is
	 * checked at run time (the skipped bytes are zeros: illegal). */
	TEST_NUM(20)
	c.j 1f
	j fail
1:
cj_max_insn:
	.half 0xaffd               /* c.j .+2046 (maximum) */
	.skip 2046 - 2
cj_fwd_max:
	la t0, cj_fwd_max
	la t1, cj_max_insn
	sub t0, t0, t1
	CHECK(t0, 2046)
	TEST_NUM(21)
	c.j 2f
1:	c.j 3f
	j fail
	.skip 0x554 - 6
2:	c.j 1b                     /* -0x556 */
	j fail
3:	TEST_NUM(22)
	.option push
	.option norvc               /* fixed-size 32-bit hops around the gap */
	j 2f
cj_min_target:
	j 3f
	.skip 2048 - 4
2:
cj_min_insn:
	.half 0xb001               /* c.j .-2048 (minimum) -> cj_min_target */
	j fail
	.option pop
3:	la t0, cj_min_insn
	la t1, cj_min_target
	sub t0, t0, t1
	CHECK(t0, 2048)
	TEST_NUM(23)
	c.j 1f
	j fail
	.skip 0x2aa - 6
1:
	/* ---- c.beqz / c.bnez: taken and not taken, full range ---- */
	TEST_NUM(24)
	li a0, 0
	li a1, 0x100000000          /* zero in the low word: still non-zero */
	c.bnez a0, bfail
	c.beqz a1, bfail
	c.beqz a0, 1f
	j fail
1:	c.bnez a1, 1f
	j fail
1:	li s1, -1
	c.bnez s1, 1f
	j fail
1:	TEST_NUM(25)
cb_max_insn:
	.half 0xcd7d               /* c.beqz a0, .+254 (maximum) */
	.skip 254 - 2
cb_fwd_max:
	la t0, cb_fwd_max
	la t1, cb_max_insn
	sub t0, t0, t1
	CHECK(t0, 254)
	TEST_NUM(26)
	c.j 2f
1:	c.j 3f
	.skip 256 - 2
2:	.half 0xf181               /* c.bnez a1, .-256 (minimum) -> 1b */
	j fail
3:	TEST_NUM(27)
	c.bnez a1, 1f               /* +0xaa */
	j fail
	.skip 0xaa - 6
1:	c.beqz a0, 1f               /* +0x54 */
	j fail
	.skip 0x54 - 6
1:	TEST_NUM(28)
	c.j 2f
1:	c.j 3f
	.skip 0xaa - 2
2:	c.beqz a0, 1b               /* -0xaa */
	j fail
3:
	/* ---- c.jr / c.jalr ---- */
	TEST_NUM(29)
	la t0, 1f
	c.jr t0
	j fail
1:	la a0, cjalr_func
	li ra, 0
2:	c.jalr a0                   /* ra = address of c.jalr + 2 */
3:	CHECK(a1, 0x29)
	la t0, 3b
	CHECK_REG(ra, t0)
	la t0, 2b
	addi t0, t0, 2
	CHECK_REG(ra, t0)
	/* c.jalr with rs1 == ra: target is the old ra */
	TEST_NUM(30)
	la ra, cjalr_func
	li a1, 0
2:	c.jalr ra
	CHECK(a1, 0x29)
	la t0, 2b
	addi t0, t0, 2
	CHECK_REG(ra, t0)
	/* c.jr to an odd address: bit 0 is cleared */
	TEST_NUM(31)
	la t0, 1f
	addi t0, t0, 1
	c.jr t0
	j fail
1:
	/* ---- c.nop and the HINT encodings: no effect ---- */
	TEST_NUM(32)
	li a0, 0x100
	c.nop
	.half 0x0005                /* c.nop with nzimm (c.addi x0, 1) */
	.half 0x4015                /* c.li x0, 5 */
	.half 0x6005                /* c.lui x0, 1 */
	.half 0x802a                /* c.mv x0, a0 */
	.half 0x902a                /* c.add x0, a0 */
	.half 0x0006                /* c.slli x0, 1 */
	.half 0x8101                /* c.srli a0, 0 (RV64: HINT) */
	.half 0x8501                /* c.srai a0, 0 */
	.half 0x0502                /* c.slli a0, 0 */
	CHECK(a0, 0x100)
	bnez x0, fail

	/* ---- c.ebreak: breakpoint, mepc = its address ---- */
	TEST_NUM(33)
	TRAP_RESET
1:	c.ebreak
	TRAP_EXPECT(3, 0)
	TRAP_EPC(1b)
	la t0, 1b                   /* the handler resumed 2 bytes later */
	lhu t1, 0(t0)
	CHECK(t1, 0x9002)

	j pass

bfail:
	j fail

cjalr_func:
	li a1, 0x29
	ret

	.data
	.align 3
cwbuf:                          /* word at offset o = 0x12345600 + o */
	.word 0x80000001, 0x7ffffffe
	.set i, 8
	.rept 30
	.word 0x12345600 + i
	.set i, i + 4
	.endr
	.align 3
cdbuf:                          /* dword at offset o = 0x0f0e0d0c0b0a0900 + o */
	.word 0x80000001, 0x7ffffffe
	.set i, 8
	.rept 31
	.dword 0x0f0e0d0c0b0a0900 + i
	.set i, i + 8
	.endr
cbuf_ptr:
	.dword cdbuf
