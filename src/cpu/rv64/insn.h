/* insn.h - decoded instruction format shared by the decoder and the
 * interpreter. An instruction is decoded once into a struct rv_insn and kept
 * in the decode cache (dcache.h); the interpreter dispatches on `op` with
 * threaded code and never looks at the raw bits again except for tval.
 *
 * To add an instruction: add its op to RV_OPS (or to RV_FP_OPS for an F/D
 * operation executed by fp_exec.c), decode it in decode.c, implement it in
 * exec.c (or fp_exec.c), and add a test under tests/isa/.
 */
#ifndef MACHINA_RV64_INSN_H
#define MACHINA_RV64_INSN_H

#include <stdint.h>

#define RV_OPS(X)                                                                     \
	X(ILLEGAL) X(END)                                                             \
	X(LUI) X(AUIPC) X(JAL) X(JALR)                                                \
	X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU)                                   \
	X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU) X(SB) X(SH) X(SW) X(SD)          \
	X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI)       \
	X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND)         \
	X(ADDIW) X(SLLIW) X(SRLIW) X(SRAIW) X(ADDW) X(SUBW) X(SLLW) X(SRLW) X(SRAW)   \
	X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU)               \
	X(MULW) X(DIVW) X(DIVUW) X(REMW) X(REMUW)                                     \
	X(FENCE) X(FENCE_I) X(ECALL) X(EBREAK) X(MRET) X(SRET) X(WFI) X(SFENCE_VMA)   \
	X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI)                      \
	X(LR_W) X(SC_W) X(LR_D) X(SC_D) X(AMO_W) X(AMO_D)                             \
	X(FLW) X(FLD) X(FSW) X(FSD) X(FP)

enum rv_op {
#define RV_OP_ENUM(name) RV_OP_##name,
	RV_OPS(RV_OP_ENUM)
#undef RV_OP_ENUM
	RV_OP_COUNT
};

/* F/D computational operations (op == RV_OP_FP, `sub` selects) */
#define RV_FP_OPS(X)                                                                  \
	X(FADD_S) X(FSUB_S) X(FMUL_S) X(FDIV_S) X(FSQRT_S)                            \
	X(FADD_D) X(FSUB_D) X(FMUL_D) X(FDIV_D) X(FSQRT_D)                            \
	X(FMADD_S) X(FMSUB_S) X(FNMSUB_S) X(FNMADD_S)                                 \
	X(FMADD_D) X(FMSUB_D) X(FNMSUB_D) X(FNMADD_D)                                 \
	X(FSGNJ_S) X(FSGNJN_S) X(FSGNJX_S) X(FSGNJ_D) X(FSGNJN_D) X(FSGNJX_D)         \
	X(FMIN_S) X(FMAX_S) X(FMIN_D) X(FMAX_D)                                       \
	X(FCVT_S_D) X(FCVT_D_S)                                                       \
	X(FEQ_S) X(FLT_S) X(FLE_S) X(FEQ_D) X(FLT_D) X(FLE_D)                         \
	X(FCVT_W_S) X(FCVT_WU_S) X(FCVT_L_S) X(FCVT_LU_S)                             \
	X(FCVT_W_D) X(FCVT_WU_D) X(FCVT_L_D) X(FCVT_LU_D)                             \
	X(FCVT_S_W) X(FCVT_S_WU) X(FCVT_S_L) X(FCVT_S_LU)                             \
	X(FCVT_D_W) X(FCVT_D_WU) X(FCVT_D_L) X(FCVT_D_LU)                             \
	X(FMV_X_W) X(FCLASS_S) X(FMV_X_D) X(FCLASS_D) X(FMV_W_X) X(FMV_D_X)

enum rv_fp_op {
#define RV_FP_ENUM(name) RV_FP_##name,
	RV_FP_OPS(RV_FP_ENUM)
#undef RV_FP_ENUM
	RV_FP_COUNT
};

/* AMO funct5 values (stored in `sub` for AMO_W / AMO_D) */
enum rv_amo {
	RV_AMO_ADD = 0x00, RV_AMO_SWAP = 0x01, RV_AMO_XOR = 0x04, RV_AMO_OR = 0x08,
	RV_AMO_AND = 0x0c, RV_AMO_MIN = 0x10, RV_AMO_MAX = 0x14, RV_AMO_MINU = 0x18,
	RV_AMO_MAXU = 0x1c,
};

struct rv_block;

/* rd is 32 (a write sink) when the instruction names x0 as destination, so
 * handlers write x[rd] unconditionally and x[0] stays zero. For FP
 * destinations rd is the f register number as is.
 *
 * Block exits (branches, jal, jalr and the END pseudo-instruction) are
 * rewritten by exec.c when their block is built: for the direct ones (all
 * but jalr) imm becomes the target's byte offset from the block's first
 * instruction, and `link` replaces `raw` (exits never raise an illegal
 * instruction). */
struct rv_insn {
	const void *handler;	/* interpreter label for op (set by exec.c) */
	int32_t imm;		/* immediate, or CSR number for CSR ops */
	uint16_t pc_off;	/* byte offset of this instruction in its block */
	uint8_t op;		/* enum rv_op */
	uint8_t rd, rs1, rs2;
	uint8_t len;		/* 2 or 4 */
	/* block exits, filled in by exec.c: */
	uint8_t retired;	/* instructions retired when the block is left here */
	uint8_t exit_inpage;	/* the direct target lies in the block's page */
	uint8_t rs3;
	uint8_t sub;		/* enum rv_fp_op or enum rv_amo */
	uint8_t rm;		/* FP rounding-mode field (7 = dynamic) */
	union {
		uint32_t raw;	/* instruction bits, for tval on illegal instruction */
		/* exits: the successor block last seen there (a hint, see
		 * exec.c), never NULL once the block is built */
		struct rv_block *link;
	};
} __attribute__((aligned(32)));	/* 32 bytes: index arithmetic is a shift */

_Static_assert(sizeof(struct rv_insn) == 32, "struct rv_insn is 32 bytes");

/* Decode one instruction (16-bit parcel in the low bits for compressed).
 * Never fails: reserved encodings decode to RV_OP_ILLEGAL. */
void rv_decode(struct rv_insn *ins, uint32_t raw);

/* does this op end a block (unconditional control flow, or state that the
 * next block's lookup depends on)? Conditional branches do not: a taken
 * branch leaves the block through a side exit. */
int rv_op_ends_block(const struct rv_insn *ins);

#endif
