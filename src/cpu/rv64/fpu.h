/* fpu.h - IEEE-754 binary32/binary64 arithmetic with RISC-V semantics.
 *
 * Contract (RISC-V unprivileged ISA, chapters "F" and "D"):
 * - Operands and results are raw bit patterns: binary32 in the low 32 bits of
 *   a uint32_t, binary64 in a uint64_t. NaN-boxing of singles in the 64-bit
 *   register file is the caller's job (cpu side), not this module's.
 * - `rm` is an already-resolved rounding mode, one of enum rv_rm below
 *   (RNE..RMM). The caller resolves DYN from frm and raises illegal
 *   instruction for the reserved encodings 5 and 6 and for DYN with an
 *   invalid frm, so every function here may assume 0 <= rm <= 4.
 * - Exception flags raised by the operation are OR-ed into *fflags using the
 *   fflags bit layout (NX=1, UF=2, OF=4, DZ=8, NV=16). Nothing else is touched.
 * - Every NaN result is the canonical NaN (0x7fc00000 / 0x7ff8000000000000).
 * - Tininess is detected after rounding, as RISC-V requires.
 * - FMA-type operations round once (no double rounding).
 * - min/max follow the 2.2 ISA: a quiet NaN operand is ignored, both NaN ->
 *   canonical NaN, -0.0 < +0.0, a signalling NaN operand raises NV.
 * - feq is quiet (NV only for sNaN); flt/fle are signalling (NV for any NaN).
 * - Float -> integer conversions saturate: NaN and +overflow give the maximum,
 *   -overflow the minimum; out of range and NaN raise NV (and not NX);
 *   in-range inexact results raise NX. 32-bit results are returned sign-
 *   extended to 64 bits as RV64 writes them into x registers (also for the
 *   unsigned "wu" variants: the 32-bit result is sign-extended).
 * - The functions are pure apart from *fflags: no global or static state, safe
 *   to call from any number of vCPU threads. If the host FP environment
 *   (rounding mode, exception flags) is used, it is left as found: rounding
 *   mode round-to-nearest on return, host flags unchanged on return.
 */
#ifndef MACHINA_RV64_FPU_H
#define MACHINA_RV64_FPU_H

#include <stdint.h>

enum rv_rm { RV_RM_RNE = 0, RV_RM_RTZ = 1, RV_RM_RDN = 2, RV_RM_RUP = 3, RV_RM_RMM = 4, RV_RM_DYN = 7 };

enum rv_fflag { RV_FF_NX = 1, RV_FF_UF = 2, RV_FF_OF = 4, RV_FF_DZ = 8, RV_FF_NV = 16 };

#define RV_F32_CANON_NAN 0x7fc00000u
#define RV_F64_CANON_NAN 0x7ff8000000000000ull

/* binary32 */
uint32_t rv_f32_add(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t rv_f32_sub(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t rv_f32_mul(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t rv_f32_div(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t rv_f32_sqrt(uint32_t a, int rm, uint32_t *fflags);
/* a*b+c with one rounding; neg_prod negates a*b, neg_add negates c:
 * fmadd (0,0), fmsub (0,1), fnmsub (1,0), fnmadd (1,1) */
uint32_t rv_f32_fma(uint32_t a, uint32_t b, uint32_t c, int neg_prod, int neg_add, int rm, uint32_t *fflags);
uint32_t rv_f32_min(uint32_t a, uint32_t b, uint32_t *fflags);
uint32_t rv_f32_max(uint32_t a, uint32_t b, uint32_t *fflags);
int rv_f32_eq(uint32_t a, uint32_t b, uint32_t *fflags);
int rv_f32_lt(uint32_t a, uint32_t b, uint32_t *fflags);
int rv_f32_le(uint32_t a, uint32_t b, uint32_t *fflags);
/* fclass result: one-hot 10-bit mask as the ISA defines */
uint64_t rv_f32_class(uint32_t a);
int64_t rv_f32_to_i32(uint32_t a, int rm, uint32_t *fflags);	/* fcvt.w.s  */
int64_t rv_f32_to_u32(uint32_t a, int rm, uint32_t *fflags);	/* fcvt.wu.s */
int64_t rv_f32_to_i64(uint32_t a, int rm, uint32_t *fflags);	/* fcvt.l.s  */
uint64_t rv_f32_to_u64(uint32_t a, int rm, uint32_t *fflags);	/* fcvt.lu.s */
uint32_t rv_i32_to_f32(int32_t v, int rm, uint32_t *fflags);	/* fcvt.s.w  */
uint32_t rv_u32_to_f32(uint32_t v, int rm, uint32_t *fflags);	/* fcvt.s.wu */
uint32_t rv_i64_to_f32(int64_t v, int rm, uint32_t *fflags);	/* fcvt.s.l  */
uint32_t rv_u64_to_f32(uint64_t v, int rm, uint32_t *fflags);	/* fcvt.s.lu */

/* binary64 */
uint64_t rv_f64_add(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t rv_f64_sub(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t rv_f64_mul(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t rv_f64_div(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t rv_f64_sqrt(uint64_t a, int rm, uint32_t *fflags);
uint64_t rv_f64_fma(uint64_t a, uint64_t b, uint64_t c, int neg_prod, int neg_add, int rm, uint32_t *fflags);
uint64_t rv_f64_min(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t rv_f64_max(uint64_t a, uint64_t b, uint32_t *fflags);
int rv_f64_eq(uint64_t a, uint64_t b, uint32_t *fflags);
int rv_f64_lt(uint64_t a, uint64_t b, uint32_t *fflags);
int rv_f64_le(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t rv_f64_class(uint64_t a);
int64_t rv_f64_to_i32(uint64_t a, int rm, uint32_t *fflags);	/* fcvt.w.d  */
int64_t rv_f64_to_u32(uint64_t a, int rm, uint32_t *fflags);	/* fcvt.wu.d */
int64_t rv_f64_to_i64(uint64_t a, int rm, uint32_t *fflags);	/* fcvt.l.d  */
uint64_t rv_f64_to_u64(uint64_t a, int rm, uint32_t *fflags);	/* fcvt.lu.d */
uint64_t rv_i32_to_f64(int32_t v, int rm, uint32_t *fflags);	/* fcvt.d.w  (exact) */
uint64_t rv_u32_to_f64(uint32_t v, int rm, uint32_t *fflags);	/* fcvt.d.wu (exact) */
uint64_t rv_i64_to_f64(int64_t v, int rm, uint32_t *fflags);	/* fcvt.d.l  */
uint64_t rv_u64_to_f64(uint64_t v, int rm, uint32_t *fflags);	/* fcvt.d.lu */

/* between formats */
uint64_t rv_f32_to_f64(uint32_t a, uint32_t *fflags);		/* fcvt.d.s (exact; sNaN -> NV) */
uint32_t rv_f64_to_f32(uint64_t a, int rm, uint32_t *fflags);	/* fcvt.s.d */

#endif
