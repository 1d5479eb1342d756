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
 *   the loop or before a CSR access, so that instret/cycle reads are exact;
 *   `ins` always points at the instruction whose handler runs (a fused
 *   handler advances it past its first instruction before anything in the
 *   second can fault), so a fault's pc and instret are exact.
 *
 * Handlers are chosen per instruction when its block is built
 * (set_handlers): L_<op> generic, V_<form> operand forms (variant()),
 * X_<op> exits to another page, LOOP_<op> branches back to the block
 * start, F_<a>__<b> fused pairs (RV_FUSED). A handler may rely on what it
 * was chosen for (e.g. V_ADDI_RR on rd == rs1); anything that changes an
 * instruction's fields must choose its handler again.
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
};

/* The link of an exit that has none yet: never valid (host_pc is NULL), so
 * the fast paths need no NULL test. Never written. */
static const struct rv_block no_link;

/* Specialised handlers for common operand forms (compressed code is full
 * of rd == rs1, c.mv is add rd, x0, rs2, c.li is addi rd, x0, imm). When
 * rd == rs1, rd is not x0 (rd = x0 is the sink 32, rs1 = x0 is 0), so
 * these handlers may update x[rd] in place. */
#define RV_VARIANTS(X)                                                                \
	X(MV1) X(MV2) X(LI)                                                           \
	X(ADDI_RR) X(ANDI_RR) X(ORI_RR) X(XORI_RR) X(SLLI_RR) X(SRLI_RR) X(SRAI_RR)   \
	X(ADD_RR) X(SUB_RR) X(AND_RR) X(OR_RR) X(XOR_RR)                             \
	X(SEXT_W) X(ADDIW_RR) X(ADDW_RR)

enum rv_variant {
	RV_VAR_NONE,
#define RV_VAR_ENUM(name) RV_VAR_##name,
	RV_VARIANTS(RV_VAR_ENUM)
#undef RV_VAR_ENUM
	RV_VAR_COUNT
};

/* the variant for ins, or RV_VAR_NONE */
static enum rv_variant variant(const struct rv_insn *ins)
{
	bool rr = ins->rd == ins->rs1;

	switch (ins->op) {
	case RV_OP_ADDI:
		return ins->rs1 == 0 ? RV_VAR_LI : ins->imm == 0 ? RV_VAR_MV1 :
		       rr ? RV_VAR_ADDI_RR : RV_VAR_NONE;
	case RV_OP_ADD:
		return ins->rs1 == 0 ? RV_VAR_MV2 : ins->rs2 == 0 ? RV_VAR_MV1 :
		       rr ? RV_VAR_ADD_RR : RV_VAR_NONE;
	case RV_OP_ADDIW:
		return ins->imm == 0 ? RV_VAR_SEXT_W : rr ? RV_VAR_ADDIW_RR : RV_VAR_NONE;
	case RV_OP_ADDW: return rr ? RV_VAR_ADDW_RR : RV_VAR_NONE;
	case RV_OP_ANDI: return rr ? RV_VAR_ANDI_RR : RV_VAR_NONE;
	case RV_OP_ORI: return rr ? RV_VAR_ORI_RR : RV_VAR_NONE;
	case RV_OP_XORI: return rr ? RV_VAR_XORI_RR : RV_VAR_NONE;
	case RV_OP_SLLI: return rr ? RV_VAR_SLLI_RR : RV_VAR_NONE;
	case RV_OP_SRLI: return rr ? RV_VAR_SRLI_RR : RV_VAR_NONE;
	case RV_OP_SRAI: return rr ? RV_VAR_SRAI_RR : RV_VAR_NONE;
	case RV_OP_SUB: return rr ? RV_VAR_SUB_RR : RV_VAR_NONE;
	case RV_OP_AND: return rr ? RV_VAR_AND_RR : RV_VAR_NONE;
	case RV_OP_OR: return rr ? RV_VAR_OR_RR : RV_VAR_NONE;
	case RV_OP_XOR: return rr ? RV_VAR_XOR_RR : RV_VAR_NONE;
	default: return RV_VAR_NONE;
	}
}

/* Fused pairs: an instruction followed by another one of a common kind
 * gets a handler that runs both (one dispatch for two). Only the first
 * instruction's handler changes: the second keeps its own, so a fused
 * handler that meets anything unusual (a TLB miss) falls back to running
 * the first instruction through its own handler, or, once the first is
 * done, goes on with the second's own handler. So faults, the slow paths
 * and instret stay those of the single instructions. Kinds are operations
 * in a given operand form (variant()): */
#define RV_FUSE_KINDS(X)                                                              \
	X(LI) X(MV2) X(SEXT_W) X(ADDI_RR) X(ANDI_RR) X(SLLI_RR) X(SRLI_RR)            \
	X(ADD_RR) X(AND_RR) X(OR_RR) X(XOR_RR) X(ADDIW_RR) X(ADDW_RR)                 \
	X(ADDI) X(SLLI) X(SRLI) X(SLLIW) X(SRLIW) X(XORI) X(AND) X(XOR) X(ADDW)       \
	X(MULW)                                                                       \
	X(LBU) X(LHU) X(LH) X(LW) X(LWU) X(LD) X(SB) X(SW) X(SD)                      \
	X(BEQ) X(BNE) X(BLTU) X(BGEU) X(BEQ_LOOP) X(BNE_LOOP)

enum rv_fuse_kind {
	RV_FK_NONE,
#define RV_FK_ENUM(name) RV_FK_##name,
	RV_FUSE_KINDS(RV_FK_ENUM)
#undef RV_FK_ENUM
	RV_FK_COUNT
};

/* the pairs (first kind, second kind), from the most frequent ones in the
 * CPU benchmark and in Linux running sha256sum, gzip and xz (from
 * X(XOR_RR, XORI): busybox's SHA-256 rounds and message schedule, then
 * gunzip's and xz's most frequent unfused neighbours) */
#define RV_FUSED(X)                                                                   \
	X(ADDI_RR, ADDI_RR) X(LBU, ADDI_RR) X(MV2, MV2) X(LBU, LBU) X(SEXT_W, SEXT_W)  \
	X(ADDI_RR, SB) X(SD, SD) X(LD, LD) X(SLLI_RR, ADD_RR) X(SRLIW, SLLIW)         \
	X(SRLI_RR, ADDIW_RR) X(ADDIW_RR, XOR) X(ANDI_RR, SRLI_RR) X(XOR, ANDI_RR)     \
	X(XOR, SRLI_RR) X(SLLIW, SRLIW) X(LW, LW) X(SLLIW, OR_RR) X(SRLIW, OR_RR)     \
	X(SLLI, SRLI_RR) X(OR_RR, XOR_RR) X(ADD_RR, LW) X(XOR_RR, SRLIW)              \
	X(LD, ADDI_RR) X(ADDI_RR, SD) X(SB, SB) X(XOR_RR, ADDW_RR) X(LH, LH)          \
	X(LH, ADDI_RR) X(ADDI_RR, MULW) X(MULW, ADDW_RR) X(ADD_RR, LBU)               \
	X(ADDW_RR, ADDW_RR) X(ADDIW_RR, SW) X(ADDI_RR, ADD_RR) X(LI, LI)             \
	X(ADD_RR, ADD_RR) X(SW, SW) X(SLLI, SRLI)                                    \
	X(XOR_RR, XORI) X(AND, AND_RR) X(LW, SLLIW) X(SEXT_W, ADDW_RR)               \
	X(LWU, ADDI_RR) X(ADDI_RR, ADDW_RR) X(ADDW_RR, SLLIW) X(XOR_RR, XOR)          \
	X(AND, AND) X(SEXT_W, ADDW) X(ADDW, SEXT_W) X(LW, XOR_RR) X(LW, SRLIW)        \
	X(OR_RR, SRLIW) X(XORI, AND) X(AND_RR, XOR_RR) X(XOR, AND) X(ADDW, ADDW)      \
	X(XOR_RR, SEXT_W) X(ADDI_RR, XOR_RR) X(ANDI_RR, SLLI_RR) X(SRLIW, XOR_RR)     \
	X(LD, MV2) X(MV2, LD) X(LBU, LW) X(LW, ADDIW_RR) X(LD, LW) X(SRLI, ADD_RR)    \
	X(LW, ADD_RR) X(LWU, SLLI_RR) X(ADDI, SLLI_RR) X(LD, ADDI)
/* pairs whose second is a branch: the first runs, then the branch's own
 * handler is reached by a direct jump instead of a dispatch */
#define RV_FUSED_BR(X)                                                                \
	X(SB, BNE_LOOP) X(SRLI_RR, BEQ) X(ADDI_RR, BEQ_LOOP) X(ADDI_RR, BNE_LOOP)     \
	X(ADDW_RR, BNE_LOOP) X(SRLI_RR, BNE_LOOP) X(LBU, BNE) X(SEXT_W, BNE_LOOP)      \
	X(ADDI_RR, BNE) X(LW, BLTU) X(ADDIW_RR, BNE) X(LHU, BGEU)                     \
	X(SEXT_W, BNE) X(SW, BNE_LOOP)

static enum rv_fuse_kind fuse_kind(const struct rv_insn *ins)
{
	bool loop = ins->exit_inpage && ins->imm == 0;

	switch (variant(ins)) {
	case RV_VAR_LI: return RV_FK_LI;
	case RV_VAR_MV2: return RV_FK_MV2;
	case RV_VAR_SEXT_W: return RV_FK_SEXT_W;
	case RV_VAR_ADDI_RR: return RV_FK_ADDI_RR;
	case RV_VAR_ANDI_RR: return RV_FK_ANDI_RR;
	case RV_VAR_SLLI_RR: return RV_FK_SLLI_RR;
	case RV_VAR_SRLI_RR: return RV_FK_SRLI_RR;
	case RV_VAR_ADD_RR: return RV_FK_ADD_RR;
	case RV_VAR_AND_RR: return RV_FK_AND_RR;
	case RV_VAR_OR_RR: return RV_FK_OR_RR;
	case RV_VAR_XOR_RR: return RV_FK_XOR_RR;
	case RV_VAR_ADDIW_RR: return RV_FK_ADDIW_RR;
	case RV_VAR_ADDW_RR: return RV_FK_ADDW_RR;
	case RV_VAR_NONE: break;
	default: return RV_FK_NONE;
	}
	switch (ins->op) {
	case RV_OP_ADDI: return RV_FK_ADDI;
	case RV_OP_SLLI: return RV_FK_SLLI;
	case RV_OP_SRLI: return RV_FK_SRLI;
	case RV_OP_SLLIW: return RV_FK_SLLIW;
	case RV_OP_SRLIW: return RV_FK_SRLIW;
	case RV_OP_XORI: return RV_FK_XORI;
	case RV_OP_AND: return RV_FK_AND;
	case RV_OP_XOR: return RV_FK_XOR;
	case RV_OP_ADDW: return RV_FK_ADDW;
	case RV_OP_MULW: return RV_FK_MULW;
	case RV_OP_LBU: return RV_FK_LBU;
	case RV_OP_LHU: return RV_FK_LHU;
	case RV_OP_LH: return RV_FK_LH;
	case RV_OP_LW: return RV_FK_LW;
	case RV_OP_LWU: return RV_FK_LWU;
	case RV_OP_LD: return RV_FK_LD;
	case RV_OP_SB: return RV_FK_SB;
	case RV_OP_SW: return RV_FK_SW;
	case RV_OP_SD: return RV_FK_SD;
	/* branches: the in-page and loop forms (see set_handlers) only */
	case RV_OP_BEQ: return !ins->exit_inpage ? RV_FK_NONE : loop ? RV_FK_BEQ_LOOP : RV_FK_BEQ;
	case RV_OP_BNE: return !ins->exit_inpage ? RV_FK_NONE : loop ? RV_FK_BNE_LOOP : RV_FK_BNE;
	case RV_OP_BLTU: return ins->exit_inpage && !loop ? RV_FK_BLTU : RV_FK_NONE;
	case RV_OP_BGEU: return ins->exit_inpage && !loop ? RV_FK_BGEU : RV_FK_NONE;
	default: return RV_FK_NONE;
	}
}

/* label addresses of the interpreter: base + offset per op; exits whose
 * direct target lies outside their page use off_x, branches back to the
 * start of their own block off_loop, operand forms off_var */
struct handlers {
	const void *base;
	const int *off;
	const int *off_x;
	const int *off_loop;
	const int *off_var;
	const int (*off_fused)[RV_FK_COUNT];	/* [first kind][second kind], 0: none */
};

static bool is_branch(unsigned op)
{
	return op >= RV_OP_BEQ && op <= RV_OP_BGEU;
}

static bool is_exit(unsigned op)
{
	return is_branch(op) || op == RV_OP_JAL || op == RV_OP_JALR || op == RV_OP_END;
}

static void set_handlers(struct rv_insn *ins, unsigned n, const struct handlers *h)
{
	for (unsigned i = 0; i < n; i++) {
		const int *off = h->off;

		if (is_exit(ins[i].op) && !ins[i].exit_inpage)
			off = h->off_x;
		else if ((is_branch(ins[i].op) || ins[i].op == RV_OP_JAL) && ins[i].imm == 0)
			off = h->off_loop;
		if (variant(&ins[i]) != RV_VAR_NONE) {
			ins[i].handler = (const char *)h->base + h->off_var[variant(&ins[i])];
			continue;
		}

		ins[i].handler = (const char *)h->base + off[ins[i].op];
	}
	/* fuse as many pairs as possible, without overlap (no first kind is an
	 * exit): best[i] is the most pairs in ins[i..n), found from the end (a
	 * greedy left-to-right choice can take a pair that costs two); ties go
	 * to the earlier pair, which side exits skip less often */
	uint8_t best[RV_BLOCK_MAX + 3] = { 0 };
	int fuse[RV_BLOCK_MAX + 1];

	for (unsigned i = n; i-- > 0;) {
		int f = i + 1 < n ? h->off_fused[fuse_kind(&ins[i])][fuse_kind(&ins[i + 1])] : 0;

		best[i] = best[i + 1];
		fuse[i] = 0;
		if (f && best[i + 2] + 1 >= best[i + 1]) {
			best[i] = (uint8_t)(best[i + 2] + 1);
			fuse[i] = f;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (fuse[i]) {
			ins[i].handler = (const char *)h->base + fuse[i];
			i++;
		}
	}
}

/* Prepare the exits (see struct rv_insn): count retired instructions, turn
 * direct targets into offsets from the block start, mark in-page targets,
 * clear the links. page_off is the page offset of the block's first byte. */
static void finish_exits(struct rv_block *b, unsigned page_off)
{
	for (unsigned i = 0; i < b->n; i++) {
		struct rv_insn *t = &b->insn[i];
		int64_t target;

		if (!is_exit(t->op))
			continue;
		t->retired = (uint8_t)(t->op == RV_OP_END ? i : i + 1);
		if (t->op == RV_OP_END) {
			t->imm = t->pc_off;
		} else if (t->op != RV_OP_JALR) {
			t->imm += t->pc_off;
		}
		target = (int64_t)page_off + t->imm;
		/* indirect jumps are never assumed in-page */
		t->exit_inpage = t->op != RV_OP_JALR && target >= 0 && target < (int64_t)RV_PAGE_SIZE;
		t->link = (struct rv_block *)&no_link;
	}
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
	finish_exits(&sb->b, cpu->pc & (RV_PAGE_SIZE - 1));
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
#define RV_LABEL_OFFSET_X(name) [RV_OP_##name] = &&X_##name - &&L_ILLEGAL,
	static const int disp[RV_OP_COUNT] = { RV_OPS(RV_LABEL_OFFSET) };
	/* exits to another page (jalr has only this form) */
	static const int disp_x[RV_OP_COUNT] = {
		RV_LABEL_OFFSET_X(END) RV_LABEL_OFFSET_X(JAL) RV_LABEL_OFFSET(JALR)
		RV_LABEL_OFFSET_X(BEQ) RV_LABEL_OFFSET_X(BNE) RV_LABEL_OFFSET_X(BLT)
		RV_LABEL_OFFSET_X(BGE) RV_LABEL_OFFSET_X(BLTU) RV_LABEL_OFFSET_X(BGEU)
	};
	/* direct exits to the start of their own block (loops) */
#define RV_LABEL_OFFSET_LOOP(name) [RV_OP_##name] = &&LOOP_##name - &&L_ILLEGAL,
	static const int disp_loop[RV_OP_COUNT] = {
		RV_LABEL_OFFSET_LOOP(JAL)
		RV_LABEL_OFFSET_LOOP(BEQ) RV_LABEL_OFFSET_LOOP(BNE) RV_LABEL_OFFSET_LOOP(BLT)
		RV_LABEL_OFFSET_LOOP(BGE) RV_LABEL_OFFSET_LOOP(BLTU) RV_LABEL_OFFSET_LOOP(BGEU)
	};
#define RV_LABEL_OFFSET_VAR(name) [RV_VAR_##name] = &&V_##name - &&L_ILLEGAL,
	static const int disp_var[RV_VAR_COUNT] = { RV_VARIANTS(RV_LABEL_OFFSET_VAR) };
#define RV_LABEL_OFFSET_FUSED(a, b) [RV_FK_##a][RV_FK_##b] = &&F_##a##__##b - &&L_ILLEGAL,
	static const int disp_fused[RV_FK_COUNT][RV_FK_COUNT] = {
		RV_FUSED(RV_LABEL_OFFSET_FUSED) RV_FUSED_BR(RV_LABEL_OFFSET_FUSED)
	};
#undef RV_LABEL_OFFSET
#undef RV_LABEL_OFFSET_X
#undef RV_LABEL_OFFSET_LOOP
#undef RV_LABEL_OFFSET_VAR
#undef RV_LABEL_OFFSET_FUSED
	const struct handlers h = { &&L_ILLEGAL, disp, disp_x, disp_loop, disp_var, disp_fused };
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
/* Leave the block for target, an in-page direct exit. The common case, a
 * linked successor, is expanded in every exit handler so each has its own
 * indirect jump into the next block (one shared jump would be one badly
 * predicted branch for all block transitions); the rest is in block_chain.
 * The link needs no other check: the target is in this block's page, whose
 * translation holds. */
#define CHAIN(target) do {                                                            \
	struct rv_block *nb_ = ins->link;                                             \
	npc = (target);                                                               \
	left -= ins->retired;                                                         \
	if (likely(left > cpu->chain_floor && nb_->host_pc)) {                  \
		blk = nb_;                                                            \
		ins = blk->insn;                                                      \
		base = npc;                                                           \
		DISPATCH();                                                           \
	}                                                                             \
	goto block_chain;                                                             \
} while (0)
/* Leave the block for target in another page (or unknown: jalr) */
#define CHAIN_X(target) do { npc = (target); left -= ins->retired; goto block_chain_x; } while (0)
/* Back to the start of this block (base stays): the block is valid while
 * its host_pc is set (a store in the loop may have invalidated it) */
#define LOOP() do {                                                                   \
	left -= ins->retired;                                                         \
	if (likely(left > cpu->chain_floor && blk->host_pc)) {                  \
		ins = blk->insn;                                                      \
		DISPATCH();                                                           \
	}                                                                             \
	npc = base;                                                                   \
	goto block_chain;                                                             \
} while (0)
/* a taken branch is a side exit; not taken continues in the block */
#define BRANCH(cond) do { if (cond) CHAIN(base + IMM); NEXT(); } while (0)
#define BRANCH_X(cond) do { if (cond) CHAIN_X(base + IMM); NEXT(); } while (0)
#define BRANCH_LOOP(cond) do { if (cond) LOOP(); NEXT(); } while (0)
/* rv_ld_*() of mmu.h, spelled out so that the value of the TLB fast path
 * goes straight to rd (through rv_ld_*'s out parameter it was also stored
 * to the stack, for the slow path's sake) */
#define LOAD(type) do {                                                               \
	uint64_t va_ = RS1 + IMM;                                                     \
	const struct rv_tlb_entry *e_ = &cpu->tlb_load[rv_tlb_index(va_)];            \
	type t_;                                                                      \
	if (likely(e_->tag == (va_ & ~(uint64_t)(RV_PAGE_SIZE - sizeof(type))))) {    \
		memcpy(&t_, (const void *)(uintptr_t)(va_ + e_->addend), sizeof(type)); \
	} else {                                                                      \
		uint64_t v_;                                                          \
		if (rv_load_slow(cpu, va_, sizeof(type), &v_))                        \
			goto exception;                                               \
		t_ = (type)v_;                                                        \
	}                                                                             \
	RD = (uint64_t)(int64_t)t_;                                                   \
	NEXT();                                                                       \
} while (0)
#define STORE(size) do { if (rv_store(cpu, RS1 + IMM, size, RS2)) goto exception; NEXT(); } while (0)
/* before a CSR access: make cpu->instret exact (the instructions of this
 * block before ins have retired, ins itself has not) */
#define SYNC_INSTRET() do { int64_t i_ = ins - blk->insn; \
	cpu->instret += (uint64_t)(counted_left - left + i_); counted_left = left - i_; } while (0)
		DISPATCH();

L_ILLEGAL: ILLEGAL();
/* direct exits: IMM is the target's offset from base (finish_exits) */
L_END: CHAIN(base + IMM);
X_END: CHAIN_X(base + IMM);
L_LUI: RD = IMM; NEXT();
L_AUIPC: RD = PC + IMM; NEXT();
L_JAL: { uint64_t t = base + IMM; RD = NPC; CHAIN(t); }
X_JAL: { uint64_t t = base + IMM; RD = NPC; CHAIN_X(t); }
L_JALR: { uint64_t t = (RS1 + IMM) & ~1ull; RD = NPC; CHAIN_X(t); }
L_BEQ: BRANCH(RS1 == RS2);
L_BNE: BRANCH(RS1 != RS2);
L_BLT: BRANCH((int64_t)RS1 < (int64_t)RS2);
L_BGE: BRANCH((int64_t)RS1 >= (int64_t)RS2);
L_BLTU: BRANCH(RS1 < RS2);
L_BGEU: BRANCH(RS1 >= RS2);
X_BEQ: BRANCH_X(RS1 == RS2);
X_BNE: BRANCH_X(RS1 != RS2);
X_BLT: BRANCH_X((int64_t)RS1 < (int64_t)RS2);
X_BGE: BRANCH_X((int64_t)RS1 >= (int64_t)RS2);
X_BLTU: BRANCH_X(RS1 < RS2);
X_BGEU: BRANCH_X(RS1 >= RS2);
LOOP_JAL: RD = NPC; LOOP();
LOOP_BEQ: BRANCH_LOOP(RS1 == RS2);
LOOP_BNE: BRANCH_LOOP(RS1 != RS2);
LOOP_BLT: BRANCH_LOOP((int64_t)RS1 < (int64_t)RS2);
LOOP_BGE: BRANCH_LOOP((int64_t)RS1 >= (int64_t)RS2);
LOOP_BLTU: BRANCH_LOOP(RS1 < RS2);
LOOP_BGEU: BRANCH_LOOP(RS1 >= RS2);
L_LB: LOAD(int8_t);
L_LH: LOAD(int16_t);
L_LW: LOAD(int32_t);
L_LD: LOAD(uint64_t);
L_LBU: LOAD(uint8_t);
L_LHU: LOAD(uint16_t);
L_LWU: LOAD(uint32_t);
L_SB: STORE(1);
L_SH: STORE(2);
L_SW: STORE(4);
L_SD: STORE(8);
L_ADDI: RD = RS1 + IMM; NEXT();
/* operand forms (see variant()) */
V_LI: RD = IMM; NEXT();
V_MV1: RD = RS1; NEXT();
V_MV2: RD = RS2; NEXT();
V_ADDI_RR: RD += IMM; NEXT();
V_ANDI_RR: RD &= IMM; NEXT();
V_ORI_RR: RD |= IMM; NEXT();
V_XORI_RR: RD ^= IMM; NEXT();
V_SLLI_RR: RD <<= IMM; NEXT();
V_SRLI_RR: RD >>= IMM; NEXT();
V_SRAI_RR: RD = (uint64_t)((int64_t)RD >> IMM); NEXT();
V_ADD_RR: RD += RS2; NEXT();
V_SUB_RR: RD -= RS2; NEXT();
V_AND_RR: RD &= RS2; NEXT();
V_OR_RR: RD |= RS2; NEXT();
V_XOR_RR: RD ^= RS2; NEXT();
V_SEXT_W: RD = sext32(RS1); NEXT();
V_ADDIW_RR: { uint64_t *d = &RD; *d = sext32(*d + IMM); NEXT(); }
V_ADDW_RR: { uint64_t *d = &RD; *d = sext32(*d + RS2); NEXT(); }
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

/* ---- fused pairs (see RV_FUSED) ----
 * K_<kind>(I, miss): the kind's operation on instruction I; memory kinds
 * run `miss` instead when the TLB fast path does not apply (before any
 * side effect). U_<kind>: the kind's own handler. */
#define XI(I, r) x[(I)->r]
#define IMMI(I) ((int64_t)(I)->imm)
#define K_LI(I, miss) (XI(I, rd) = IMMI(I))
#define K_MV2(I, miss) (XI(I, rd) = XI(I, rs2))
#define K_SEXT_W(I, miss) (XI(I, rd) = sext32(XI(I, rs1)))
#define K_ADDI_RR(I, miss) (XI(I, rd) += IMMI(I))
#define K_ANDI_RR(I, miss) (XI(I, rd) &= IMMI(I))
#define K_SLLI_RR(I, miss) (XI(I, rd) <<= IMMI(I))
#define K_SRLI_RR(I, miss) (XI(I, rd) >>= IMMI(I))
#define K_ADD_RR(I, miss) (XI(I, rd) += XI(I, rs2))
#define K_AND_RR(I, miss) (XI(I, rd) &= XI(I, rs2))
#define K_OR_RR(I, miss) (XI(I, rd) |= XI(I, rs2))
#define K_XOR_RR(I, miss) (XI(I, rd) ^= XI(I, rs2))
#define K_ADDIW_RR(I, miss) do { uint64_t *d_ = &XI(I, rd); *d_ = sext32(*d_ + IMMI(I)); } while (0)
#define K_ADDW_RR(I, miss) do { uint64_t *d_ = &XI(I, rd); *d_ = sext32(*d_ + XI(I, rs2)); } while (0)
#define K_ADDI(I, miss) (XI(I, rd) = XI(I, rs1) + IMMI(I))
#define K_SLLI(I, miss) (XI(I, rd) = XI(I, rs1) << IMMI(I))
#define K_SRLI(I, miss) (XI(I, rd) = XI(I, rs1) >> IMMI(I))
#define K_SLLIW(I, miss) (XI(I, rd) = sext32((uint32_t)XI(I, rs1) << IMMI(I)))
#define K_SRLIW(I, miss) (XI(I, rd) = sext32((uint32_t)XI(I, rs1) >> IMMI(I)))
#define K_XORI(I, miss) (XI(I, rd) = XI(I, rs1) ^ IMMI(I))
#define K_AND(I, miss) (XI(I, rd) = XI(I, rs1) & XI(I, rs2))
#define K_XOR(I, miss) (XI(I, rd) = XI(I, rs1) ^ XI(I, rs2))
#define K_ADDW(I, miss) (XI(I, rd) = sext32(XI(I, rs1) + XI(I, rs2)))
#define K_MULW(I, miss) (XI(I, rd) = sext32(XI(I, rs1) * XI(I, rs2)))
#define K_LOAD(I, type, miss) do {                                                   \
	uint64_t va_ = XI(I, rs1) + IMMI(I);                                          \
	const struct rv_tlb_entry *e_ = &cpu->tlb_load[rv_tlb_index(va_)];            \
	type t_;                                                                      \
	if (unlikely(e_->tag != (va_ & ~(uint64_t)(RV_PAGE_SIZE - sizeof(type)))))    \
		miss;                                                                 \
	memcpy(&t_, (const void *)(uintptr_t)(va_ + e_->addend), sizeof(type));       \
	XI(I, rd) = (uint64_t)(int64_t)t_;                                            \
} while (0)
#define K_STORE(I, type, miss) do {                                                  \
	uint64_t va_ = XI(I, rs1) + IMMI(I);                                          \
	const struct rv_tlb_entry *e_ = &cpu->tlb_store[rv_tlb_index(va_)];           \
	type t_ = (type)XI(I, rs2);                                                   \
	if (unlikely(e_->tag != (va_ & ~(uint64_t)(RV_PAGE_SIZE - sizeof(type)))))    \
		miss;                                                                 \
	memcpy((void *)(uintptr_t)(va_ + e_->addend), &t_, sizeof(type));             \
} while (0)
#define K_LBU(I, miss) K_LOAD(I, uint8_t, miss)
#define K_LHU(I, miss) K_LOAD(I, uint16_t, miss)
#define K_LH(I, miss) K_LOAD(I, int16_t, miss)
#define K_LW(I, miss) K_LOAD(I, int32_t, miss)
#define K_LWU(I, miss) K_LOAD(I, uint32_t, miss)
#define K_LD(I, miss) K_LOAD(I, uint64_t, miss)
#define K_SB(I, miss) K_STORE(I, uint8_t, miss)
#define K_SW(I, miss) K_STORE(I, uint32_t, miss)
#define K_SD(I, miss) K_STORE(I, uint64_t, miss)
#define U_LI V_LI
#define U_MV2 V_MV2
#define U_SEXT_W V_SEXT_W
#define U_ADDI_RR V_ADDI_RR
#define U_ANDI_RR V_ANDI_RR
#define U_SLLI_RR V_SLLI_RR
#define U_SRLI_RR V_SRLI_RR
#define U_ADD_RR V_ADD_RR
#define U_AND_RR V_AND_RR
#define U_OR_RR V_OR_RR
#define U_XOR_RR V_XOR_RR
#define U_ADDIW_RR V_ADDIW_RR
#define U_ADDW_RR V_ADDW_RR
#define U_ADDI L_ADDI
#define U_SLLI L_SLLI
#define U_SRLI L_SRLI
#define U_SLLIW L_SLLIW
#define U_SRLIW L_SRLIW
#define U_XORI L_XORI
#define U_AND L_AND
#define U_XOR L_XOR
#define U_ADDW L_ADDW
#define U_MULW L_MULW
#define U_LBU L_LBU
#define U_LHU L_LHU
#define U_LH L_LH
#define U_LW L_LW
#define U_LWU L_LWU
#define U_LD L_LD
#define U_SB L_SB
#define U_SW L_SW
#define U_SD L_SD
#define U_BEQ L_BEQ
#define U_BNE L_BNE
#define U_BLTU L_BLTU
#define U_BGEU L_BGEU
#define U_BEQ_LOOP LOOP_BEQ
#define U_BNE_LOOP LOOP_BNE
#define RV_FUSED_HANDLER(a, b)                                                        \
F_##a##__##b:                                                                         \
	K_##a(ins, goto U_##a);                                                       \
	K_##b(ins + 1, do { ins++; goto U_##b; } while (0));                          \
	ins += 2;                                                                     \
	DISPATCH();
#define RV_FUSED_BR_HANDLER(a, b)                                                     \
F_##a##__##b:                                                                         \
	K_##a(ins, goto U_##a);                                                       \
	ins++;                                                                        \
	goto U_##b;
	RV_FUSED(RV_FUSED_HANDLER)
	RV_FUSED_BR(RV_FUSED_BR_HANDLER)

block_chain:
		/* an in-page exit whose link did not do (left already counts
		 * this block): go straight to the next block when no
		 * interrupt, stop or slice end is due and it is cached */
		if (likely(left > cpu->chain_floor && blk->host_pc && cpu->dc)) {
			/* same page: the translation that found blk holds */
			const uint8_t *hpc = blk->host_pc - (base & (RV_PAGE_SIZE - 1)) +
					     (npc & (RV_PAGE_SIZE - 1));
			struct rv_block *nb = rv_dcache_lookup(cpu->dc, hpc);

			if (nb) {
				/* blk and nb both belong to the current generation */
				((struct rv_insn *)ins)->link = nb;
				blk = nb;
				goto enter_block;
			}
		}
		goto leave;
block_chain_x:
		/* an exit to another page or through jalr: the fetch TLB gives
		 * the host address, the link is used if it matches */
		if (likely(left > cpu->chain_floor)) {
			struct rv_tlb_entry *e = &cpu->tlb_fetch[rv_tlb_index(npc)];
			const uint8_t *hpc;
			struct rv_block *nb;

			if (unlikely(e->tag != (npc & ~(RV_PAGE_SIZE - 1))))
				goto leave;
			hpc = (const uint8_t *)(uintptr_t)(npc + e->addend);
			if (likely(ins->link->host_pc == hpc)) {
				blk = ins->link;
				goto enter_block;
			}
			if (blk->host_pc && cpu->dc && (nb = rv_dcache_lookup(cpu->dc, hpc))) {
				/* blk and nb both belong to the current generation */
				((struct rv_insn *)ins)->link = nb;
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
