/* fp_exec.h - F/D computational instructions; see fp_exec.c */
#ifndef MACHINA_RV64_FP_EXEC_H
#define MACHINA_RV64_FP_EXEC_H

#include "cpu/rv64/cpu.h"
#include "cpu/rv64/insn.h"

/* execute ins (op RV_OP_FP); 0, or -1 for illegal instruction (FS off or an
 * invalid dynamic rounding mode) */
int rv_exec_fp(struct rv_cpu *cpu, const struct rv_insn *ins);

#endif
