/* decode.c - RV64GC instruction decoder (unprivileged ISA 20191213, chapters
 * 2, 5, 7, 8, 11, 12, 13, 16 and the privileged instructions). Compressed
 * instructions expand to the same struct rv_insn as their 32-bit forms. */
#include <stdbool.h>
#include <string.h>

#include "cpu/rv64/insn.h"

static inline uint32_t bits(uint32_t v, int hi, int lo)
{
	return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline int32_t sext(uint32_t v, int width)
{
	return (int32_t)(v << (32 - width)) >> (32 - width);
}

static inline uint8_t dst(uint32_t r)
{
	return r ? (uint8_t)r : 32;
}

static void set(struct rv_insn *ins, int op, uint32_t rd, uint32_t rs1, uint32_t rs2, int32_t imm)
{
	ins->op = (uint8_t)op;
	ins->rd = dst(rd);
	ins->rs1 = (uint8_t)rs1;
	ins->rs2 = (uint8_t)rs2;
	ins->imm = imm;
}

static void illegal(struct rv_insn *ins)
{
	ins->op = RV_OP_ILLEGAL;
}

static bool rm_ok(uint32_t rm)
{
	return rm != 5 && rm != 6;	/* 7 (DYN) is checked against frm at run time */
}

static void fp(struct rv_insn *ins, int sub, uint32_t rd, uint32_t rs1, uint32_t rs2)
{
	ins->op = RV_OP_FP;
	ins->sub = (uint8_t)sub;
	ins->rd = (uint8_t)rd;	/* FP or integer destination: fp_exec maps x0 */
	ins->rs1 = (uint8_t)rs1;
	ins->rs2 = (uint8_t)rs2;
}

static void decode_op_fp(struct rv_insn *ins, uint32_t raw)
{
	uint32_t rd = bits(raw, 11, 7), rs1 = bits(raw, 19, 15), rs2 = bits(raw, 24, 20);
	uint32_t f3 = bits(raw, 14, 12), f7 = bits(raw, 31, 25);
	bool d = f7 & 1;
	int sub = -1;

	ins->rm = (uint8_t)f3;
	switch (f7 >> 2) {
	case 0x00: sub = d ? RV_FP_FADD_D : RV_FP_FADD_S; goto rm;
	case 0x01: sub = d ? RV_FP_FSUB_D : RV_FP_FSUB_S; goto rm;
	case 0x02: sub = d ? RV_FP_FMUL_D : RV_FP_FMUL_S; goto rm;
	case 0x03: sub = d ? RV_FP_FDIV_D : RV_FP_FDIV_S; goto rm;
	case 0x0b:
		if (rs2)
			break;
		sub = d ? RV_FP_FSQRT_D : RV_FP_FSQRT_S;
		goto rm;
	case 0x04:
		if (f3 > 2)
			break;
		sub = (d ? RV_FP_FSGNJ_D : RV_FP_FSGNJ_S) + (int)f3;
		goto fixed;
	case 0x05:
		if (f3 > 1)
			break;
		sub = d ? (f3 ? RV_FP_FMAX_D : RV_FP_FMIN_D) : (f3 ? RV_FP_FMAX_S : RV_FP_FMIN_S);
		goto fixed;
	case 0x08:
		if (!d && rs2 == 1)
			sub = RV_FP_FCVT_S_D;
		else if (d && rs2 == 0)
			sub = RV_FP_FCVT_D_S;
		else
			break;
		goto rm;
	case 0x14:
		if (f3 > 2)
			break;
		/* f3: 0 fle, 1 flt, 2 feq */
		sub = d ? (f3 == 2 ? RV_FP_FEQ_D : f3 == 1 ? RV_FP_FLT_D : RV_FP_FLE_D)
			: (f3 == 2 ? RV_FP_FEQ_S : f3 == 1 ? RV_FP_FLT_S : RV_FP_FLE_S);
		goto fixed;
	case 0x18:
		if (rs2 > 3)
			break;
		sub = (d ? RV_FP_FCVT_W_D : RV_FP_FCVT_W_S) + (int)rs2;
		goto rm;
	case 0x1a:
		if (rs2 > 3)
			break;
		sub = (d ? RV_FP_FCVT_D_W : RV_FP_FCVT_S_W) + (int)rs2;
		goto rm;
	case 0x1c:
		if (rs2 || f3 > 1)
			break;
		sub = d ? (f3 ? RV_FP_FCLASS_D : RV_FP_FMV_X_D) : (f3 ? RV_FP_FCLASS_S : RV_FP_FMV_X_W);
		goto fixed;
	case 0x1e:
		if (rs2 || f3)
			break;
		sub = d ? RV_FP_FMV_D_X : RV_FP_FMV_W_X;
		goto fixed;
	}
	if ((f7 & 3) > 1 || sub < 0) {
		illegal(ins);
		return;
	}
rm:
	if (!rm_ok(f3)) {
		illegal(ins);
		return;
	}
fixed:
	if ((f7 & 3) > 1) {
		illegal(ins);
		return;
	}
	fp(ins, sub, rd, rs1, rs2);
}

static void decode_fma(struct rv_insn *ins, uint32_t raw, int index)
{
	uint32_t fmt = bits(raw, 26, 25), f3 = bits(raw, 14, 12);

	if (fmt > 1 || !rm_ok(f3)) {
		illegal(ins);
		return;
	}
	fp(ins, (fmt ? RV_FP_FMADD_D : RV_FP_FMADD_S) + index, bits(raw, 11, 7), bits(raw, 19, 15),
	   bits(raw, 24, 20));
	ins->rs3 = (uint8_t)bits(raw, 31, 27);
	ins->rm = (uint8_t)f3;
}

static void decode32(struct rv_insn *ins, uint32_t raw)
{
	uint32_t rd = bits(raw, 11, 7), rs1 = bits(raw, 19, 15), rs2 = bits(raw, 24, 20);
	uint32_t f3 = bits(raw, 14, 12), f7 = bits(raw, 31, 25);
	int32_t imm_i = (int32_t)raw >> 20;
	int32_t imm_s = (int32_t)(raw & 0xfe000000) >> 20 | (int32_t)bits(raw, 11, 7);
	int32_t imm_b = sext(bits(raw, 31, 31) << 12 | bits(raw, 7, 7) << 11 |
			     bits(raw, 30, 25) << 5 | bits(raw, 11, 8) << 1, 13);
	int32_t imm_u = (int32_t)(raw & 0xfffff000);
	int32_t imm_j = sext(bits(raw, 31, 31) << 20 | bits(raw, 19, 12) << 12 |
			     bits(raw, 20, 20) << 11 | bits(raw, 30, 21) << 1, 21);

	switch (raw & 0x7f) {
	case 0x37: set(ins, RV_OP_LUI, rd, 0, 0, imm_u); return;
	case 0x17: set(ins, RV_OP_AUIPC, rd, 0, 0, imm_u); return;
	case 0x6f: set(ins, RV_OP_JAL, rd, 0, 0, imm_j); return;
	case 0x67:
		if (f3)
			break;
		set(ins, RV_OP_JALR, rd, rs1, 0, imm_i);
		return;
	case 0x63: {
		static const int8_t ops[8] = { RV_OP_BEQ, RV_OP_BNE, -1, -1,
					       RV_OP_BLT, RV_OP_BGE, RV_OP_BLTU, RV_OP_BGEU };
		if (ops[f3] < 0)
			break;
		set(ins, ops[f3], 0, rs1, rs2, imm_b);
		return;
	}
	case 0x03: {
		static const int8_t ops[8] = { RV_OP_LB, RV_OP_LH, RV_OP_LW, RV_OP_LD,
					       RV_OP_LBU, RV_OP_LHU, RV_OP_LWU, -1 };
		if (ops[f3] < 0)
			break;
		set(ins, ops[f3], rd, rs1, 0, imm_i);
		return;
	}
	case 0x23: {
		static const int8_t ops[8] = { RV_OP_SB, RV_OP_SH, RV_OP_SW, RV_OP_SD, -1, -1, -1, -1 };
		if (ops[f3] < 0)
			break;
		set(ins, ops[f3], 0, rs1, rs2, imm_s);
		return;
	}
	case 0x13:
		switch (f3) {
		case 0: set(ins, RV_OP_ADDI, rd, rs1, 0, imm_i); return;
		case 2: set(ins, RV_OP_SLTI, rd, rs1, 0, imm_i); return;
		case 3: set(ins, RV_OP_SLTIU, rd, rs1, 0, imm_i); return;
		case 4: set(ins, RV_OP_XORI, rd, rs1, 0, imm_i); return;
		case 6: set(ins, RV_OP_ORI, rd, rs1, 0, imm_i); return;
		case 7: set(ins, RV_OP_ANDI, rd, rs1, 0, imm_i); return;
		case 1:
			if (bits(raw, 31, 26))
				break;
			set(ins, RV_OP_SLLI, rd, rs1, 0, bits(raw, 25, 20));
			return;
		case 5:
			if (bits(raw, 31, 26) == 0)
				set(ins, RV_OP_SRLI, rd, rs1, 0, bits(raw, 25, 20));
			else if (bits(raw, 31, 26) == 0x10)
				set(ins, RV_OP_SRAI, rd, rs1, 0, bits(raw, 25, 20));
			else
				break;
			return;
		}
		break;
	case 0x1b:
		switch (f3) {
		case 0: set(ins, RV_OP_ADDIW, rd, rs1, 0, imm_i); return;
		case 1:
			if (f7)
				break;
			set(ins, RV_OP_SLLIW, rd, rs1, 0, rs2);
			return;
		case 5:
			if (f7 == 0)
				set(ins, RV_OP_SRLIW, rd, rs1, 0, rs2);
			else if (f7 == 0x20)
				set(ins, RV_OP_SRAIW, rd, rs1, 0, rs2);
			else
				break;
			return;
		}
		break;
	case 0x33: {
		static const int8_t base[8] = { RV_OP_ADD, RV_OP_SLL, RV_OP_SLT, RV_OP_SLTU,
						RV_OP_XOR, RV_OP_SRL, RV_OP_OR, RV_OP_AND };
		static const int8_t mul[8] = { RV_OP_MUL, RV_OP_MULH, RV_OP_MULHSU, RV_OP_MULHU,
					       RV_OP_DIV, RV_OP_DIVU, RV_OP_REM, RV_OP_REMU };
		if (f7 == 0) {
			set(ins, base[f3], rd, rs1, rs2, 0);
			return;
		}
		if (f7 == 1) {
			set(ins, mul[f3], rd, rs1, rs2, 0);
			return;
		}
		if (f7 == 0x20 && f3 == 0) {
			set(ins, RV_OP_SUB, rd, rs1, rs2, 0);
			return;
		}
		if (f7 == 0x20 && f3 == 5) {
			set(ins, RV_OP_SRA, rd, rs1, rs2, 0);
			return;
		}
		break;
	}
	case 0x3b: {
		static const int8_t base[8] = { RV_OP_ADDW, RV_OP_SLLW, -1, -1, -1, RV_OP_SRLW, -1, -1 };
		static const int8_t mul[8] = { RV_OP_MULW, -1, -1, -1,
					       RV_OP_DIVW, RV_OP_DIVUW, RV_OP_REMW, RV_OP_REMUW };
		int op = -1;

		if (f7 == 0)
			op = base[f3];
		else if (f7 == 1)
			op = mul[f3];
		else if (f7 == 0x20 && f3 == 0)
			op = RV_OP_SUBW;
		else if (f7 == 0x20 && f3 == 5)
			op = RV_OP_SRAW;
		if (op < 0)
			break;
		set(ins, op, rd, rs1, rs2, 0);
		return;
	}
	case 0x0f:
		if (f3 == 0) {
			/* FENCE and PAUSE (fence w,0): no-ops for one in-order hart */
			set(ins, RV_OP_FENCE, 0, 0, 0, 0);
			return;
		}
		if (f3 == 1) {
			set(ins, RV_OP_FENCE_I, 0, 0, 0, 0);
			return;
		}
		break;
	case 0x73:
		if (f3 == 0) {
			if (raw == 0x00000073)
				set(ins, RV_OP_ECALL, 0, 0, 0, 0);
			else if (raw == 0x00100073)
				set(ins, RV_OP_EBREAK, 0, 0, 0, 0);
			else if (raw == 0x30200073)
				set(ins, RV_OP_MRET, 0, 0, 0, 0);
			else if (raw == 0x10200073)
				set(ins, RV_OP_SRET, 0, 0, 0, 0);
			else if (raw == 0x10500073)
				set(ins, RV_OP_WFI, 0, 0, 0, 0);
			else if (f7 == 0x09 && rd == 0)
				set(ins, RV_OP_SFENCE_VMA, 0, rs1, rs2, 0);
			else
				break;
			return;
		}
		if (f3 == 4)
			break;
		{
			static const uint8_t ops[8] = { 0, RV_OP_CSRRW, RV_OP_CSRRS, RV_OP_CSRRC,
							0, RV_OP_CSRRWI, RV_OP_CSRRSI, RV_OP_CSRRCI };
			set(ins, ops[f3], rd, rs1, 0, (int32_t)bits(raw, 31, 20));
		}
		return;
	case 0x2f: {
		uint32_t f5 = bits(raw, 31, 27);

		if (f3 != 2 && f3 != 3)
			break;
		if (f5 == 0x02) {
			if (rs2)
				break;
			set(ins, f3 == 2 ? RV_OP_LR_W : RV_OP_LR_D, rd, rs1, 0, 0);
			return;
		}
		if (f5 == 0x03) {
			set(ins, f3 == 2 ? RV_OP_SC_W : RV_OP_SC_D, rd, rs1, rs2, 0);
			return;
		}
		switch (f5) {
		case RV_AMO_ADD: case RV_AMO_SWAP: case RV_AMO_XOR: case RV_AMO_OR: case RV_AMO_AND:
		case RV_AMO_MIN: case RV_AMO_MAX: case RV_AMO_MINU: case RV_AMO_MAXU:
			set(ins, f3 == 2 ? RV_OP_AMO_W : RV_OP_AMO_D, rd, rs1, rs2, 0);
			ins->sub = (uint8_t)f5;
			return;
		}
		break;
	}
	case 0x07:
		if (f3 != 2 && f3 != 3)
			break;
		set(ins, f3 == 2 ? RV_OP_FLW : RV_OP_FLD, 0, rs1, 0, imm_i);
		ins->rd = (uint8_t)rd;	/* f register */
		return;
	case 0x27:
		if (f3 != 2 && f3 != 3)
			break;
		set(ins, f3 == 2 ? RV_OP_FSW : RV_OP_FSD, 0, rs1, rs2, imm_s);
		return;
	case 0x43: decode_fma(ins, raw, 0); return;
	case 0x47: decode_fma(ins, raw, 1); return;
	case 0x4b: decode_fma(ins, raw, 2); return;
	case 0x4f: decode_fma(ins, raw, 3); return;
	case 0x53: decode_op_fp(ins, raw); return;
	}
	illegal(ins);
}

/* ---- RV64C (chapter 16): expand to the base instruction ---- */

static void decode16(struct rv_insn *ins, uint32_t c)
{
	uint32_t f3 = bits(c, 15, 13);
	uint32_t rd = bits(c, 11, 7), rs2 = bits(c, 6, 2);
	uint32_t rdp = 8 + bits(c, 4, 2), rs1p = 8 + bits(c, 9, 7);
	int32_t imm6 = sext(bits(c, 12, 12) << 5 | bits(c, 6, 2), 6);
	uint32_t uimm_d = bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6;	/* c.ld/c.sd/c.fld/c.fsd */
	uint32_t uimm_w = bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 6;

	switch (c & 3) {
	case 0:
		switch (f3) {
		case 0: {
			uint32_t nz = bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 | bits(c, 6, 6) << 2 |
				      bits(c, 5, 5) << 3;
			if (!nz)
				break;	/* includes the all-zero parcel */
			set(ins, RV_OP_ADDI, rdp, 2, 0, (int32_t)nz);
			return;
		}
		case 1: set(ins, RV_OP_FLD, 0, rs1p, 0, (int32_t)uimm_d); ins->rd = (uint8_t)rdp; return;
		case 2: set(ins, RV_OP_LW, rdp, rs1p, 0, (int32_t)uimm_w); return;
		case 3: set(ins, RV_OP_LD, rdp, rs1p, 0, (int32_t)uimm_d); return;
		case 5: set(ins, RV_OP_FSD, 0, rs1p, rdp, (int32_t)uimm_d); return;
		case 6: set(ins, RV_OP_SW, 0, rs1p, rdp, (int32_t)uimm_w); return;
		case 7: set(ins, RV_OP_SD, 0, rs1p, rdp, (int32_t)uimm_d); return;
		}
		break;
	case 1:
		switch (f3) {
		case 0: set(ins, RV_OP_ADDI, rd, rd, 0, imm6); return;	/* c.addi, c.nop */
		case 1:
			if (!rd)
				break;
			set(ins, RV_OP_ADDIW, rd, rd, 0, imm6);
			return;
		case 2: set(ins, RV_OP_ADDI, rd, 0, 0, imm6); return;	/* c.li */
		case 3:
			if (rd == 2) {
				int32_t nz = sext(bits(c, 12, 12) << 9 | bits(c, 6, 6) << 4 |
						  bits(c, 5, 5) << 6 | bits(c, 4, 3) << 7 |
						  bits(c, 2, 2) << 5, 10);
				if (!nz)
					break;
				set(ins, RV_OP_ADDI, 2, 2, 0, nz);
				return;
			}
			if (!imm6)
				break;
			set(ins, RV_OP_LUI, rd, 0, 0, (int32_t)((uint32_t)imm6 << 12));	/* rd=0: hint */
			return;
		case 4: {
			uint32_t sh = bits(c, 12, 12) << 5 | bits(c, 6, 2);

			switch (bits(c, 11, 10)) {
			case 0: set(ins, RV_OP_SRLI, rs1p, rs1p, 0, (int32_t)sh); return;
			case 1: set(ins, RV_OP_SRAI, rs1p, rs1p, 0, (int32_t)sh); return;
			case 2: set(ins, RV_OP_ANDI, rs1p, rs1p, 0, imm6); return;
			}
			static const int8_t ops[8] = { RV_OP_SUB, RV_OP_XOR, RV_OP_OR, RV_OP_AND,
						       RV_OP_SUBW, RV_OP_ADDW, -1, -1 };
			int op = ops[bits(c, 12, 12) << 2 | bits(c, 6, 5)];

			if (op < 0)
				break;
			set(ins, op, rs1p, rs1p, rdp, 0);
			return;
		}
		case 5: {
			int32_t j = sext(bits(c, 12, 12) << 11 | bits(c, 11, 11) << 4 |
					 bits(c, 10, 9) << 8 | bits(c, 8, 8) << 10 | bits(c, 7, 7) << 6 |
					 bits(c, 6, 6) << 7 | bits(c, 5, 3) << 1 | bits(c, 2, 2) << 5, 12);
			set(ins, RV_OP_JAL, 0, 0, 0, j);
			return;
		}
		case 6:
		case 7: {
			int32_t b = sext(bits(c, 12, 12) << 8 | bits(c, 11, 10) << 3 |
					 bits(c, 6, 5) << 6 | bits(c, 4, 3) << 1 | bits(c, 2, 2) << 5, 9);
			set(ins, f3 == 6 ? RV_OP_BEQ : RV_OP_BNE, 0, rs1p, 0, b);
			return;
		}
		}
		break;
	case 2:
		switch (f3) {
		case 0: set(ins, RV_OP_SLLI, rd, rd, 0, (int32_t)(bits(c, 12, 12) << 5 | rs2)); return;
		case 1:
			set(ins, RV_OP_FLD, 0, 2, 0,
			    (int32_t)(bits(c, 12, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6));
			ins->rd = (uint8_t)rd;
			return;
		case 2:
			if (!rd)
				break;
			set(ins, RV_OP_LW, rd, 2, 0,
			    (int32_t)(bits(c, 12, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6));
			return;
		case 3:
			if (!rd)
				break;
			set(ins, RV_OP_LD, rd, 2, 0,
			    (int32_t)(bits(c, 12, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6));
			return;
		case 4:
			if (!bits(c, 12, 12)) {
				if (!rs2) {
					if (!rd)
						break;
					set(ins, RV_OP_JALR, 0, rd, 0, 0);	/* c.jr */
				} else {
					set(ins, RV_OP_ADD, rd, 0, rs2, 0);	/* c.mv */
				}
				return;
			}
			if (!rs2) {
				if (!rd)
					set(ins, RV_OP_EBREAK, 0, 0, 0, 0);
				else
					set(ins, RV_OP_JALR, 1, rd, 0, 0);	/* c.jalr */
				return;
			}
			set(ins, RV_OP_ADD, rd, rd, rs2, 0);
			return;
		case 5:
			set(ins, RV_OP_FSD, 0, 2, rs2, (int32_t)(bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6));
			return;
		case 6:
			set(ins, RV_OP_SW, 0, 2, rs2, (int32_t)(bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6));
			return;
		case 7:
			set(ins, RV_OP_SD, 0, 2, rs2, (int32_t)(bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6));
			return;
		}
		break;
	}
	illegal(ins);
}

void rv_decode(struct rv_insn *ins, uint32_t raw)
{
	memset(ins, 0, sizeof(*ins));
	if ((raw & 3) != 3) {
		raw &= 0xffff;
		ins->len = 2;
		ins->raw = raw;
		decode16(ins, raw);
	} else {
		ins->len = 4;
		ins->raw = raw;
		decode32(ins, raw);
	}
}

int rv_op_ends_block(const struct rv_insn *ins)
{
	switch (ins->op) {
	case RV_OP_ILLEGAL: case RV_OP_END:
	case RV_OP_JAL: case RV_OP_JALR:
	case RV_OP_FENCE_I: case RV_OP_ECALL: case RV_OP_EBREAK: case RV_OP_MRET: case RV_OP_SRET:
	case RV_OP_WFI: case RV_OP_SFENCE_VMA:
	case RV_OP_CSRRW: case RV_OP_CSRRS: case RV_OP_CSRRC:
	case RV_OP_CSRRWI: case RV_OP_CSRRSI: case RV_OP_CSRRCI:
		return 1;
	default:
		return 0;
	}
}
