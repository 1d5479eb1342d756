/* exec.c - the interpreter: look up (or decode) the block at pc, run it with
 * threaded dispatch, take traps and interrupts at block boundaries.
 *
 * Invariants inside a block:
 *   base == the pc of the block's first instruction; an instruction's pc is
 *   base + ins->pc_off (the same block may be reached through different
 *   virtual addresses, so no virtual address is stored in it);
 *   cpu->pc is only written when the interpreter leaves the chain of blocks
 *   (the next pc travels in a local while blocks chain);
 *   conditional branches do not end blocks: a taken branch is a side exit;
 *   `left` counts down retired instructions: a block's are subtracted when
 *   it is left (ins->retired at an exit, the index of a faulting
 *   instruction), and the difference is added to cpu->instret when leaving
 *   the loop or before a CSR access, so that instret/cycle reads are exact.
 */
#include <string.h>

#include "core/vm.h"
#include "cpu/rv64/cpu.h"
#include "cpu/rv64/dcache.h"
#include "cpu/rv64/fp_exec.h"
#include "cpu/rv64/insn.h"
#include "cpu/rv64/mmu.h"

/* a block of one instruction that is not cached (page shared with MMIO or a
 * 4-byte instruction straddling two pages) */
struct single_block {
	struct rv_block b;
	struct rv_insn insn[2];
	struct rv_block *links[2];
};

/* label addresses of the interpreter: base + offset per op */
struct handlers {
	const void *base;
	const int *off;
};

static void set_handlers(struct rv_insn *ins, unsigned n, const struct handlers *h)
{
	for (unsigned i = 0; i < n; i++)
		ins[i].handler = (const char *)h->base + h->off[ins[i].op];
}

static bool is_branch(unsigned op)
{
	return op >= RV_OP_BEQ && op <= RV_OP_BGEU;
}

/* number the exits, count retired instructions, mark in-page targets;
 * page_off is the page offset of the block's first byte */
static void finish_exits(struct rv_block *b, unsigned page_off)
{
	unsigned slots = 0;

	for (unsigned i = 0; i < b->n; i++) {
		struct rv_insn *t = &b->insn[i];
		int64_t at = (int64_t)page_off + t->pc_off;
		int64_t target;

		t->retired = (uint8_t)(t->op == RV_OP_END ? i : i + 1);
		if (t->op == RV_OP_END)
			target = at;
		else if (t->op == RV_OP_JAL || is_branch(t->op))
			target = at + t->imm;
		else if (t->op == RV_OP_JALR)
			target = -1;	/* indirect: never assumed in-page */
		else
			continue;
		t->exit_slot = (uint8_t)slots;
		t->exit_inpage = target >= 0 && target < (int64_t)RV_PAGE_SIZE;
		b->links[slots++] = NULL;
	}
	b->nr_links = (uint16_t)slots;
}

static struct rv_block *decode_single(struct rv_cpu *cpu, struct single_block *sb,
				      const struct handlers *h)
{
	uint16_t lo, hi = 0;
	struct rv_insn *ins = sb->b.insn;

	if (rv_fetch_parcel(cpu, cpu->pc, &lo))
		return NULL;
	if ((lo & 3) == 3 && rv_fetch_parcel(cpu, cpu->pc + 2, &hi))
		return NULL;
	rv_decode(&ins[0], (uint32_t)hi << 16 | lo);
	ins[0].pc_off = 0;
	memset(&ins[1], 0, sizeof(ins[1]));
	ins[1].op = RV_OP_END;
	ins[1].pc_off = ins[0].len;
	sb->b.n = 2;
	sb->b.host_pc = NULL;
	sb->b.links = sb->links;
	finish_exits(&sb->b, 0);
	set_handlers(ins, 2, h);
	return &sb->b;
}

/* decode from host (the bytes at pc) to the end of the block; NULL when the
 * first instruction straddles the page end */
static struct rv_block *decode_block(struct rv_cpu *cpu, const uint8_t *host,
				    const struct handlers *h)
{
	struct rv_block *b = rv_dcache_alloc(cpu->dc);
	unsigned page_left = RV_PAGE_SIZE - (cpu->pc & (RV_PAGE_SIZE - 1));
	unsigned off = 0, n = 0;

	while (n < RV_BLOCK_MAX && off + 2 <= page_left) {
		uint16_t lo;
		uint32_t raw;

		memcpy(&lo, host + off, 2);
		if ((lo & 3) == 3) {
			if (off + 4 > page_left)
				break;	/* straddles the page: its own uncached block */
			memcpy(&raw, host + off, 4);
		} else {
			raw = lo;
		}
		rv_decode(&b->insn[n], raw);
		b->insn[n].pc_off = (uint16_t)off;
		off += b->insn[n].len;
		if (rv_op_ends_block(&b->insn[n++]))
			goto done;
	}
	if (n == 0)
		return NULL;
	memset(&b->insn[n], 0, sizeof(b->insn[n]));
	b->insn[n].op = RV_OP_END;
	b->insn[n].pc_off = (uint16_t)off;
	n++;
done:
	b->host_pc = host;
	b->n = (uint16_t)n;
	b->links = (struct rv_block **)&b->insn[n];
	finish_exits(b, cpu->pc & (RV_PAGE_SIZE - 1));
	set_handlers(b->insn, n, h);
	if (rv_dcache_insert(cpu->dc, b))
		rv_tlb_drop_writes_to(cpu, (const uint8_t *)((uintptr_t)host & ~(RV_PAGE_SIZE - 1)));
	return b;
}

static struct rv_block *get_block(struct rv_cpu *cpu, struct single_block *sb,
				  const struct handlers *h)
{
	uint8_t *host;
	int r = rv_fetch_page(cpu, cpu->pc, &host);
	struct rv_block *b;

	if (r < 0)
		return NULL;
	if (r == 0 && cpu->dc && rv_dcache_covers(cpu->dc, host)) {
		b = rv_dcache_lookup(cpu->dc, host);
		if (likely(b))
			return b;
		b = decode_block(cpu, host, h);
		if (b)
			return b;
	}
	return decode_single(cpu, sb, h);
}

static inline int64_t sext32(uint64_t v)
{
	return (int64_t)(int32_t)(uint32_t)v;
}

static uint64_t amo_op(unsigned op, uint64_t old, uint64_t src, bool w)
{
	int64_t so = w ? sext32(old) : (int64_t)old, ss = w ? sext32(src) : (int64_t)src;
	uint64_t uo = w ? (uint32_t)old : old, us = w ? (uint32_t)src : src;

	switch (op) {
	case RV_AMO_SWAP: return src;
	case RV_AMO_ADD: return old + src;
	case RV_AMO_XOR: return old ^ src;
	case RV_AMO_AND: return old & src;
	case RV_AMO_OR: return old | src;
	case RV_AMO_MIN: return so < ss ? old : src;
	case RV_AMO_MAX: return so > ss ? old : src;
	case RV_AMO_MINU: return uo < us ? old : src;
	default: return uo > us ? old : src;	/* RV_AMO_MAXU */
	}
}

/* AMO on RAM (host) or MMIO (pa); returns the old value zero-extended */
static int amo(struct rv_cpu *cpu, gva_t va, unsigned size, unsigned op, uint64_t src,
	       uint64_t *old)
{
	uint8_t *host;
	gpa_t pa;
	uint64_t o = 0, n;

	if (va & (size - 1)) {
		cpu->exc_cause = RV_EXC_STORE_MISALIGNED;
		cpu->exc_tval = va;
		return -1;
	}
	if (rv_amo_translate(cpu, va, size, &host, &pa))
		return -1;
	if (host)
		memcpy(&o, host, size);
	else if (as_read(cpu->as, pa, size, &o))
		goto access;
	n = amo_op(op, o, src, size == 4);
	if (host)
		memcpy(host, &n, size);
	else if (as_write(cpu->as, pa, size, n))
		goto access;
	*old = o;
	return 0;
access:
	cpu->exc_cause = RV_EXC_STORE_ACCESS;
	cpu->exc_tval = va;
	return -1;
}

uint64_t rv_cpu_run(struct rv_cpu *cpu, int64_t budget)
{
#define RV_LABEL_OFFSET(name) [RV_OP_##name] = &&L_##name - &&L_ILLEGAL,
	static const int disp[RV_OP_COUNT] = { RV_OPS(RV_LABEL_OFFSET) };
#undef RV_LABEL_OFFSET
	const struct handlers h = { &&L_ILLEGAL, disp };
	uint64_t *const x = cpu->x;
	struct single_block sb;
	int64_t left = budget, counted_left = budget;	/* see the top of the file */
	const struct rv_insn *ins;
	struct rv_block *blk;
	uint64_t base, npc;

	for (;;) {
		if (unlikely(left <= 0))
			break;
		if (unlikely(cpu->irq_deliverable))
			rv_check_interrupts(cpu);
		if (unlikely(cpu->wfi || cpu->exit_request))
			break;
		blk = get_block(cpu, &sb, &h);
		if (unlikely(!blk)) {
			rv_trap(cpu, cpu->exc_cause, cpu->exc_tval);
			continue;
		}
		npc = cpu->pc;
enter_block:
		ins = blk->insn;
		base = npc;

#define DISPATCH() goto *ins->handler
#define NEXT() do { ins++; DISPATCH(); } while (0)
#define PC (base + ins->pc_off)
#define NPC (base + ins->pc_off + ins->len)
#define RD x[ins->rd]
#define RS1 x[ins->rs1]
#define RS2 x[ins->rs2]
#define IMM ((int64_t)ins->imm)
#define RAISE(cause, tval) do { cpu->exc_cause = (cause); cpu->exc_tval = (tval); goto exception; } while (0)
#define ILLEGAL() RAISE(RV_EXC_ILLEGAL_INSN, ins->raw)
#define JUMP(target) do { cpu->pc = (target); goto block_end; } while (0)
/* leave the block to a successor that may be entered through its link */
/* Leave the block for target. The common case, an in-page exit whose
 * successor is linked, is expanded in every exit handler so each has its
 * own indirect jump into the next block (one shared jump would be one
 * badly predicted branch for all block transitions); the rest is in
 * block_chain. */
#define CHAIN(target) do {                                                            \
	npc = (target);                                                               \
	left -= ins->retired;                                                         \
	if (likely(ins->exit_inpage && left > 0 && !cpu->break_chain)) {              \
		struct rv_block *nb_ = blk->links[ins->exit_slot];                   \
		if (likely(nb_ && nb_->host_pc)) {                                    \
			blk = nb_;                                                    \
			ins = blk->insn;                                              \
			base = npc;                                                   \
			DISPATCH();                                                   \
		}                                                                     \
	}                                                                             \
	goto block_chain;                                                             \
} while (0)
/* a taken branch is a side exit; not taken continues in the block */
#define BRANCH(cond) do { if (cond) CHAIN(PC + IMM); NEXT(); } while (0)
#define LOAD(fn) do { uint64_t v_; if (fn(cpu, RS1 + IMM, &v_)) goto exception; RD = v_; NEXT(); } while (0)
#define STORE(size) do { if (rv_store(cpu, RS1 + IMM, size, RS2)) goto exception; NEXT(); } while (0)
/* before a CSR access: make cpu->instret exact (the instructions of this
 * block before ins have retired, ins itself has not) */
#define SYNC_INSTRET() do { int64_t i_ = ins - blk->insn; \
	cpu->instret += (uint64_t)(counted_left - left + i_); counted_left = left - i_; } while (0)
		DISPATCH();

L_ILLEGAL: ILLEGAL();
L_END: CHAIN(PC);
L_LUI: RD = IMM; NEXT();
L_AUIPC: RD = PC + IMM; NEXT();
L_JAL: { uint64_t t = PC + IMM; RD = NPC; CHAIN(t); }
L_JALR: { uint64_t t = (RS1 + IMM) & ~1ull; RD = NPC; CHAIN(t); }
L_BEQ: BRANCH(RS1 == RS2);
L_BNE: BRANCH(RS1 != RS2);
L_BLT: BRANCH((int64_t)RS1 < (int64_t)RS2);
L_BGE: BRANCH((int64_t)RS1 >= (int64_t)RS2);
L_BLTU: BRANCH(RS1 < RS2);
L_BGEU: BRANCH(RS1 >= RS2);
L_LB: LOAD(rv_ld_i8);
L_LH: LOAD(rv_ld_i16);
L_LW: LOAD(rv_ld_i32);
L_LD: LOAD(rv_ld_u64);
L_LBU: LOAD(rv_ld_u8);
L_LHU: LOAD(rv_ld_u16);
L_LWU: LOAD(rv_ld_u32);
L_SB: STORE(1);
L_SH: STORE(2);
L_SW: STORE(4);
L_SD: STORE(8);
L_ADDI: RD = RS1 + IMM; NEXT();
L_SLTI: RD = (int64_t)RS1 < IMM; NEXT();
L_SLTIU: RD = RS1 < (uint64_t)IMM; NEXT();
L_XORI: RD = RS1 ^ IMM; NEXT();
L_ORI: RD = RS1 | IMM; NEXT();
L_ANDI: RD = RS1 & IMM; NEXT();
L_SLLI: RD = RS1 << IMM; NEXT();
L_SRLI: RD = RS1 >> IMM; NEXT();
L_SRAI: RD = (uint64_t)((int64_t)RS1 >> IMM); NEXT();
L_ADD: RD = RS1 + RS2; NEXT();
L_SUB: RD = RS1 - RS2; NEXT();
L_SLL: RD = RS1 << (RS2 & 63); NEXT();
L_SLT: RD = (int64_t)RS1 < (int64_t)RS2; NEXT();
L_SLTU: RD = RS1 < RS2; NEXT();
L_XOR: RD = RS1 ^ RS2; NEXT();
L_SRL: RD = RS1 >> (RS2 & 63); NEXT();
L_SRA: RD = (uint64_t)((int64_t)RS1 >> (RS2 & 63)); NEXT();
L_OR: RD = RS1 | RS2; NEXT();
L_AND: RD = RS1 & RS2; NEXT();
L_ADDIW: RD = sext32(RS1 + IMM); NEXT();
L_SLLIW: RD = sext32((uint32_t)RS1 << IMM); NEXT();
L_SRLIW: RD = sext32((uint32_t)RS1 >> IMM); NEXT();
L_SRAIW: RD = (uint64_t)(int64_t)((int32_t)RS1 >> IMM); NEXT();
L_ADDW: RD = sext32(RS1 + RS2); NEXT();
L_SUBW: RD = sext32(RS1 - RS2); NEXT();
L_SLLW: RD = sext32((uint32_t)RS1 << (RS2 & 31)); NEXT();
L_SRLW: RD = sext32((uint32_t)RS1 >> (RS2 & 31)); NEXT();
L_SRAW: RD = (uint64_t)(int64_t)((int32_t)RS1 >> (RS2 & 31)); NEXT();
L_MUL: RD = RS1 * RS2; NEXT();
L_MULH: RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(int64_t)RS2) >> 64); NEXT();
L_MULHSU: RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)RS2) >> 64); NEXT();
L_MULHU: RD = (uint64_t)(((unsigned __int128)RS1 * RS2) >> 64); NEXT();
L_DIV: {
	int64_t a = (int64_t)RS1, b = (int64_t)RS2;

	RD = b == 0 ? ~0ull : (a == INT64_MIN && b == -1) ? (uint64_t)a : (uint64_t)(a / b);
	NEXT();
}
L_DIVU: RD = RS2 == 0 ? ~0ull : RS1 / RS2; NEXT();
L_REM: {
	int64_t a = (int64_t)RS1, b = (int64_t)RS2;

	RD = b == 0 ? (uint64_t)a : (a == INT64_MIN && b == -1) ? 0 : (uint64_t)(a % b);
	NEXT();
}
L_REMU: RD = RS2 == 0 ? RS1 : RS1 % RS2; NEXT();
L_MULW: RD = sext32(RS1 * RS2); NEXT();
L_DIVW: {
	int32_t a = (int32_t)RS1, b = (int32_t)RS2;

	RD = b == 0 ? ~0ull : (a == INT32_MIN && b == -1) ? (uint64_t)(int64_t)a
							   : (uint64_t)(int64_t)(a / b);
	NEXT();
}
L_DIVUW: {
	uint32_t a = (uint32_t)RS1, b = (uint32_t)RS2;

	RD = b == 0 ? ~0ull : (uint64_t)sext32(a / b);
	NEXT();
}
L_REMW: {
	int32_t a = (int32_t)RS1, b = (int32_t)RS2;

	RD = b == 0 ? (uint64_t)(int64_t)a : (a == INT32_MIN && b == -1) ? 0
							   : (uint64_t)(int64_t)(a % b);
	NEXT();
}
L_REMUW: {
	uint32_t a = (uint32_t)RS1, b = (uint32_t)RS2;

	RD = (uint64_t)sext32(b == 0 ? a : a % b);
	NEXT();
}
L_FENCE: NEXT();
L_FENCE_I: {
	/* the flush frees this block's memory: read ins before it */
	uint64_t next = NPC;

	left -= ins - blk->insn + 1;
	if (cpu->dc)
		rv_dcache_flush(cpu->dc);
	cpu->pc = next;
	continue;
}
L_ECALL: RAISE(RV_EXC_ECALL_U + cpu->priv, 0);
L_EBREAK: RAISE(RV_EXC_BREAKPOINT, 0);	/* tval 0, as QEMU */
L_MRET: {
	uint64_t s = cpu->mstatus;
	int mpp = (int)((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);

	if (cpu->priv != RV_PRIV_M)
		ILLEGAL();
	s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) >> 4);
	s |= MSTATUS_MPIE;
	s &= ~MSTATUS_MPP;
	if (mpp != RV_PRIV_M)
		s &= ~MSTATUS_MPRV;
	cpu->mstatus = s;
	cpu->reservation = RV_NO_RESERVATION;
	rv_set_priv(cpu, mpp);
	JUMP(cpu->mepc);
}
L_SRET: {
	uint64_t s = cpu->mstatus;

	if (cpu->priv < RV_PRIV_S || (cpu->priv == RV_PRIV_S && (s & MSTATUS_TSR)))
		ILLEGAL();
	int spp = (s & MSTATUS_SPP) ? RV_PRIV_S : RV_PRIV_U;

	s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) >> 4);
	s |= MSTATUS_SPIE;
	s &= ~(MSTATUS_SPP | MSTATUS_MPRV);
	cpu->mstatus = s;
	cpu->reservation = RV_NO_RESERVATION;
	rv_set_priv(cpu, spp);
	JUMP(cpu->sepc);
}
L_WFI:
	if (cpu->priv == RV_PRIV_U || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TW)))
		ILLEGAL();
	if (!(cpu->mip & cpu->mie))
		cpu->wfi = true;
	JUMP(NPC);
L_SFENCE_VMA:
	if (cpu->priv == RV_PRIV_U || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM)))
		ILLEGAL();
	if (ins->rs1)
		rv_tlb_flush_va(cpu, RS1);
	else
		rv_tlb_flush_all(cpu);
	JUMP(NPC);
L_CSRRW: L_CSRRWI: {
	uint64_t src = ins->op == RV_OP_CSRRW ? RS1 : ins->rs1, old = 0;

	SYNC_INSTRET();
	if (ins->rd != 32 && rv_csr_read(cpu, (unsigned)ins->imm, &old))
		ILLEGAL();
	if (rv_csr_write(cpu, (unsigned)ins->imm, src))
		ILLEGAL();
	RD = old;
	JUMP(NPC);
}
L_CSRRS: L_CSRRC: L_CSRRSI: L_CSRRCI: {
	bool imm = ins->op == RV_OP_CSRRSI || ins->op == RV_OP_CSRRCI;
	bool set = ins->op == RV_OP_CSRRS || ins->op == RV_OP_CSRRSI;
	uint64_t src = imm ? ins->rs1 : RS1, old;

	SYNC_INSTRET();
	if (rv_csr_read(cpu, (unsigned)ins->imm, &old))
		ILLEGAL();
	if (ins->rs1) {
		/* mip.SEIP reads as software bit | interrupt-controller line, but
		 * a read-modify-write only carries the software bit (privileged
		 * spec 3.1.9): else the line would latch into the software bit */
		uint64_t wbase = old;

		if (ins->imm == 0x344)
			wbase = (old & ~(1ull << RV_IRQ_SEI)) | ((uint64_t)cpu->seip_sw << RV_IRQ_SEI);
		if (rv_csr_write(cpu, (unsigned)ins->imm, set ? wbase | src : wbase & ~src))
			ILLEGAL();
	}
	RD = old;
	JUMP(NPC);
}
L_LR_W: L_LR_D: {
	unsigned size = ins->op == RV_OP_LR_W ? 4 : 8;
	uint64_t va = RS1, v;

	if (va & (size - 1))
		RAISE(RV_EXC_LOAD_MISALIGNED, va);
	if (size == 4 ? rv_ld_i32(cpu, va, &v) : rv_ld_u64(cpu, va, &v))
		goto exception;
	cpu->reservation = va;
	RD = v;
	NEXT();
}
L_SC_W: L_SC_D: {
	unsigned size = ins->op == RV_OP_SC_W ? 4 : 8;
	uint64_t va = RS1;

	if (va & (size - 1))
		RAISE(RV_EXC_STORE_MISALIGNED, va);
	if (cpu->reservation != va) {
		/* a failed SC also ends the reservation */
		cpu->reservation = RV_NO_RESERVATION;
		RD = 1;
		NEXT();
	}
	if (rv_store(cpu, va, size, RS2))
		goto exception;
	cpu->reservation = RV_NO_RESERVATION;
	RD = 0;
	NEXT();
}
L_AMO_W: L_AMO_D: {
	unsigned size = ins->op == RV_OP_AMO_W ? 4 : 8;
	uint64_t old;

	if (amo(cpu, RS1, size, ins->sub, RS2, &old))
		goto exception;
	RD = size == 4 ? (uint64_t)sext32(old) : old;
	NEXT();
}
L_FLW: L_FLD: {
	uint64_t v;

	if (!(cpu->mstatus & MSTATUS_FS))
		ILLEGAL();
	if (ins->op == RV_OP_FLW ? rv_ld_u32(cpu, RS1 + IMM, &v) : rv_ld_u64(cpu, RS1 + IMM, &v))
		goto exception;
	cpu->f[ins->rd] = ins->op == RV_OP_FLW ? (v | 0xffffffff00000000ull) : v;
	cpu->mstatus |= MSTATUS_FS;
	NEXT();
}
L_FSW: L_FSD:
	if (!(cpu->mstatus & MSTATUS_FS))
		ILLEGAL();
	if (rv_store(cpu, RS1 + IMM, ins->op == RV_OP_FSW ? 4 : 8, cpu->f[ins->rs2]))
		goto exception;
	NEXT();
L_FP:
	if (rv_exec_fp(cpu, ins))
		ILLEGAL();
	NEXT();

block_chain:
		/* (left already counts this block) go straight to the next block when no interrupt, stop or slice
		 * end is due and it is cached under the current translation */
		if (likely(left > 0 && !cpu->break_chain)) {
			struct rv_block *nb = blk->links[ins->exit_slot];
			const uint8_t *hpc;

			if (ins->exit_inpage) {
				/* same page: the translation that found blk holds */
				if (likely(nb && nb->host_pc)) {
					blk = nb;
					goto enter_block;
				}
				hpc = blk->host_pc - (base & (RV_PAGE_SIZE - 1)) + (npc & (RV_PAGE_SIZE - 1));
			} else {
				struct rv_tlb_entry *e = &cpu->tlb_fetch[rv_tlb_index(npc)];

				if (unlikely(e->tag != (npc & ~(RV_PAGE_SIZE - 1))))
					goto leave;
				hpc = (const uint8_t *)(uintptr_t)(npc + e->addend);
				if (likely(nb && nb->host_pc == hpc)) {
					blk = nb;
					goto enter_block;
				}
			}
			if (blk->host_pc && cpu->dc && (nb = rv_dcache_lookup(cpu->dc, hpc))) {
				/* blk and nb both belong to the current generation */
				blk->links[ins->exit_slot] = nb;
				blk = nb;
				goto enter_block;
			}
		}
leave:
		cpu->pc = npc;
		continue;
block_end:
		left -= ins - blk->insn + 1;
		continue;
exception:
		/* the faulting instruction and those after it did not retire */
		left -= ins - blk->insn;
		cpu->pc = PC;
		rv_trap(cpu, cpu->exc_cause, cpu->exc_tval);
		continue;
	}
	cpu->instret += (uint64_t)(counted_left - left);
	return (uint64_t)(budget - left);

}
