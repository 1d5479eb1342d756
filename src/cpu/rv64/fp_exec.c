/* fp_exec.c - execution of F/D computational instructions (op RV_OP_FP).
 * The arithmetic itself is in fpu.c; this file handles register access,
 * NaN-boxing, rounding-mode resolution and mstatus.FS. */
#include "cpu/rv64/cpu.h"
#include "cpu/rv64/fp_exec.h"
#include "cpu/rv64/fpu.h"
#include "cpu/rv64/insn.h"

#define BOX32 0xffffffff00000000ull

/* a single read from a 64-bit register: non-boxed values read as the
 * canonical NaN (unprivileged ISA 12.2) */
static inline uint32_t f32_of(const struct rv_cpu *cpu, unsigned r)
{
	uint64_t v = cpu->f[r];

	return (v & BOX32) == BOX32 ? (uint32_t)v : RV_F32_CANON_NAN;
}

static inline void set_f32(struct rv_cpu *cpu, unsigned r, uint32_t v)
{
	cpu->f[r] = BOX32 | v;
}

static inline void set_x(struct rv_cpu *cpu, unsigned r, uint64_t v)
{
	cpu->x[r ? r : 32] = v;
}

int rv_exec_fp(struct rv_cpu *cpu, const struct rv_insn *ins)
{
	unsigned rd = ins->rd, a = ins->rs1, b = ins->rs2, c = ins->rs3;
	uint32_t *ff = &cpu->fflags;
	uint32_t old_flags = cpu->fflags;
	int rm = ins->rm;
	uint64_t *f = cpu->f;
	bool writes_f = true;

	if (!(cpu->mstatus & MSTATUS_FS))
		return -1;
	if (rm == RV_RM_DYN)
		rm = (int)cpu->frm;
	/* ops without a rounding mode have funct3 in rm; only check for the
	 * ones that round (decode already rejected static rm 5 and 6) */
	switch (ins->sub) {
	case RV_FP_FSGNJ_S: case RV_FP_FSGNJN_S: case RV_FP_FSGNJX_S:
	case RV_FP_FSGNJ_D: case RV_FP_FSGNJN_D: case RV_FP_FSGNJX_D:
	case RV_FP_FMIN_S: case RV_FP_FMAX_S: case RV_FP_FMIN_D: case RV_FP_FMAX_D:
	case RV_FP_FEQ_S: case RV_FP_FLT_S: case RV_FP_FLE_S:
	case RV_FP_FEQ_D: case RV_FP_FLT_D: case RV_FP_FLE_D:
	case RV_FP_FMV_X_W: case RV_FP_FCLASS_S: case RV_FP_FMV_X_D: case RV_FP_FCLASS_D:
	case RV_FP_FMV_W_X: case RV_FP_FMV_D_X:
		break;
	default:
		if (rm > RV_RM_RMM)
			return -1;
	}

	switch (ins->sub) {
	case RV_FP_FADD_S: set_f32(cpu, rd, rv_f32_add(f32_of(cpu, a), f32_of(cpu, b), rm, ff)); break;
	case RV_FP_FSUB_S: set_f32(cpu, rd, rv_f32_sub(f32_of(cpu, a), f32_of(cpu, b), rm, ff)); break;
	case RV_FP_FMUL_S: set_f32(cpu, rd, rv_f32_mul(f32_of(cpu, a), f32_of(cpu, b), rm, ff)); break;
	case RV_FP_FDIV_S: set_f32(cpu, rd, rv_f32_div(f32_of(cpu, a), f32_of(cpu, b), rm, ff)); break;
	case RV_FP_FSQRT_S: set_f32(cpu, rd, rv_f32_sqrt(f32_of(cpu, a), rm, ff)); break;
	case RV_FP_FADD_D: f[rd] = rv_f64_add(f[a], f[b], rm, ff); break;
	case RV_FP_FSUB_D: f[rd] = rv_f64_sub(f[a], f[b], rm, ff); break;
	case RV_FP_FMUL_D: f[rd] = rv_f64_mul(f[a], f[b], rm, ff); break;
	case RV_FP_FDIV_D: f[rd] = rv_f64_div(f[a], f[b], rm, ff); break;
	case RV_FP_FSQRT_D: f[rd] = rv_f64_sqrt(f[a], rm, ff); break;
	case RV_FP_FMADD_S: case RV_FP_FMSUB_S: case RV_FP_FNMSUB_S: case RV_FP_FNMADD_S: {
		int k = ins->sub - RV_FP_FMADD_S;

		set_f32(cpu, rd, rv_f32_fma(f32_of(cpu, a), f32_of(cpu, b), f32_of(cpu, c),
					    k >= 2, k & 1, rm, ff));
		break;
	}
	case RV_FP_FMADD_D: case RV_FP_FMSUB_D: case RV_FP_FNMSUB_D: case RV_FP_FNMADD_D: {
		int k = ins->sub - RV_FP_FMADD_D;

		f[rd] = rv_f64_fma(f[a], f[b], f[c], k >= 2, k & 1, rm, ff);
		break;
	}
	case RV_FP_FSGNJ_S:
		set_f32(cpu, rd, (f32_of(cpu, a) & 0x7fffffff) | (f32_of(cpu, b) & 0x80000000));
		break;
	case RV_FP_FSGNJN_S:
		set_f32(cpu, rd, (f32_of(cpu, a) & 0x7fffffff) | (~f32_of(cpu, b) & 0x80000000));
		break;
	case RV_FP_FSGNJX_S:
		set_f32(cpu, rd, f32_of(cpu, a) ^ (f32_of(cpu, b) & 0x80000000));
		break;
	case RV_FP_FSGNJ_D:
		f[rd] = (f[a] & ~(1ull << 63)) | (f[b] & (1ull << 63));
		break;
	case RV_FP_FSGNJN_D:
		f[rd] = (f[a] & ~(1ull << 63)) | (~f[b] & (1ull << 63));
		break;
	case RV_FP_FSGNJX_D:
		f[rd] = f[a] ^ (f[b] & (1ull << 63));
		break;
	case RV_FP_FMIN_S: set_f32(cpu, rd, rv_f32_min(f32_of(cpu, a), f32_of(cpu, b), ff)); break;
	case RV_FP_FMAX_S: set_f32(cpu, rd, rv_f32_max(f32_of(cpu, a), f32_of(cpu, b), ff)); break;
	case RV_FP_FMIN_D: f[rd] = rv_f64_min(f[a], f[b], ff); break;
	case RV_FP_FMAX_D: f[rd] = rv_f64_max(f[a], f[b], ff); break;
	case RV_FP_FCVT_S_D: set_f32(cpu, rd, rv_f64_to_f32(f[a], rm, ff)); break;
	case RV_FP_FCVT_D_S: f[rd] = rv_f32_to_f64(f32_of(cpu, a), ff); break;
	default:
		writes_f = false;
		break;
	}
	if (!writes_f) {
		switch (ins->sub) {
		case RV_FP_FEQ_S: set_x(cpu, rd, rv_f32_eq(f32_of(cpu, a), f32_of(cpu, b), ff)); break;
		case RV_FP_FLT_S: set_x(cpu, rd, rv_f32_lt(f32_of(cpu, a), f32_of(cpu, b), ff)); break;
		case RV_FP_FLE_S: set_x(cpu, rd, rv_f32_le(f32_of(cpu, a), f32_of(cpu, b), ff)); break;
		case RV_FP_FEQ_D: set_x(cpu, rd, rv_f64_eq(f[a], f[b], ff)); break;
		case RV_FP_FLT_D: set_x(cpu, rd, rv_f64_lt(f[a], f[b], ff)); break;
		case RV_FP_FLE_D: set_x(cpu, rd, rv_f64_le(f[a], f[b], ff)); break;
		case RV_FP_FCVT_W_S: set_x(cpu, rd, rv_f32_to_i32(f32_of(cpu, a), rm, ff)); break;
		case RV_FP_FCVT_WU_S: set_x(cpu, rd, rv_f32_to_u32(f32_of(cpu, a), rm, ff)); break;
		case RV_FP_FCVT_L_S: set_x(cpu, rd, rv_f32_to_i64(f32_of(cpu, a), rm, ff)); break;
		case RV_FP_FCVT_LU_S: set_x(cpu, rd, rv_f32_to_u64(f32_of(cpu, a), rm, ff)); break;
		case RV_FP_FCVT_W_D: set_x(cpu, rd, rv_f64_to_i32(f[a], rm, ff)); break;
		case RV_FP_FCVT_WU_D: set_x(cpu, rd, rv_f64_to_u32(f[a], rm, ff)); break;
		case RV_FP_FCVT_L_D: set_x(cpu, rd, rv_f64_to_i64(f[a], rm, ff)); break;
		case RV_FP_FCVT_LU_D: set_x(cpu, rd, rv_f64_to_u64(f[a], rm, ff)); break;
		case RV_FP_FMV_X_W: set_x(cpu, rd, (uint64_t)(int64_t)(int32_t)(uint32_t)f[a]); break;
		case RV_FP_FMV_X_D: set_x(cpu, rd, f[a]); break;
		case RV_FP_FCLASS_S: set_x(cpu, rd, rv_f32_class(f32_of(cpu, a))); break;
		case RV_FP_FCLASS_D: set_x(cpu, rd, rv_f64_class(f[a])); break;
		case RV_FP_FCVT_S_W: set_f32(cpu, rd, rv_i32_to_f32((int32_t)cpu->x[a], rm, ff)); writes_f = true; break;
		case RV_FP_FCVT_S_WU: set_f32(cpu, rd, rv_u32_to_f32((uint32_t)cpu->x[a], rm, ff)); writes_f = true; break;
		case RV_FP_FCVT_S_L: set_f32(cpu, rd, rv_i64_to_f32((int64_t)cpu->x[a], rm, ff)); writes_f = true; break;
		case RV_FP_FCVT_S_LU: set_f32(cpu, rd, rv_u64_to_f32(cpu->x[a], rm, ff)); writes_f = true; break;
		case RV_FP_FCVT_D_W: f[rd] = rv_i32_to_f64((int32_t)cpu->x[a], rm, ff); writes_f = true; break;
		case RV_FP_FCVT_D_WU: f[rd] = rv_u32_to_f64((uint32_t)cpu->x[a], rm, ff); writes_f = true; break;
		case RV_FP_FCVT_D_L: f[rd] = rv_i64_to_f64((int64_t)cpu->x[a], rm, ff); writes_f = true; break;
		case RV_FP_FCVT_D_LU: f[rd] = rv_u64_to_f64(cpu->x[a], rm, ff); writes_f = true; break;
		case RV_FP_FMV_W_X: set_f32(cpu, rd, (uint32_t)cpu->x[a]); writes_f = true; break;
		case RV_FP_FMV_D_X: f[rd] = cpu->x[a]; writes_f = true; break;
		default:
			return -1;
		}
	}
	if (writes_f || cpu->fflags != old_flags)
		cpu->mstatus |= MSTATUS_FS;	/* Dirty */
	return 0;
}
