/* mstatus.FS and SD: FS = Off makes every FP instruction and FP CSR access
 * illegal (in M, S and U); writing FP state moves FS to Dirty; SD is set
 * exactly when FS (the only extension state here) is Dirty. */
#include "priv.h"

#define FS_OFF     (0ULL << 13)
#define FS_INITIAL (1ULL << 13)
#define FS_CLEAN   (2ULL << 13)
#define FS_DIRTY   (3ULL << 13)

static double fp_buf = 1.5;

static void set_fs(uint64_t fs)
{
	csr_clear(mstatus, MSTATUS_FS);
	csr_set(mstatus, fs);
}

/* run one FP instruction expecting a trap; returns the trap count delta */
#define TRY(insn) ({ int __b = tr.count; expect_trap(1); __asm__ volatile(insn ::: "memory"); \
	t_expect = 0; tr.count - __b; })

static uint64_t lower_fp_off(uint64_t x)
{
	int n = 0;
	n += TRY("fmv.d.x f1, x0");
	n += TRY("csrr t0, fcsr");
	n += TRY("csrw frm, x0");
	return n;
}

static uint64_t lower_fp_use(uint64_t x)
{
	__asm__ volatile("fmv.d.x f2, %0" :: "r"(x));
	return 0;
}

static uint64_t s_set_fs_initial(uint64_t x)
{
	csr_clear(sstatus, MSTATUS_FS);
	csr_set(sstatus, FS_INITIAL);
	return csr_read(sstatus);
}

int main(void)
{
	priv_init();
	int before;
	uint64_t p = (uint64_t)&fp_buf;

	/* 1: FS = Off: FP instructions and FP CSRs are illegal in M;
	 * mtval = the instruction */
	set_fs(FS_OFF);
	CHECK_EQ(1, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), 0);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("fmv.d.x f1, x0");
	CHECK_TRAP(1, before, CAUSE_ILLEGAL, 0xf20000d3, PRV_M);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile(".option push\n .option norvc\n fld f1, 0(%0)\n .option pop" :: "r"(p));
	CHECK_EQ(1, tr.count - before, 1);
	CHECK_EQ(1, tr.cause, CAUSE_ILLEGAL);
	CHECK_EQ(1, tr.tval & 0x707f, 0x3007);             /* an fld */
	before = tr.count;
	expect_trap(1);
	{
		register uint64_t a0 __asm__("a0") = p;
		__asm__ volatile("c.fsd fs0, 0(%0)" :: "r"(a0));  /* compressed: mtval has 16 bits */
	}
	CHECK_EQ(1, tr.count - before, 1);
	CHECK_EQ(1, tr.cause, CAUSE_ILLEGAL);
	CHECK_EQ(1, tr.tval >> 16, 0);
	CHECK_EQ(1, tr.tval & 0xe003, 0xa000);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("csrr t0, fcsr" ::: "t0");
	CHECK_TRAP(1, before, CAUSE_ILLEGAL, 0x003022f3, PRV_M);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("csrr t0, fflags" ::: "t0");
	CHECK_TRAP(1, before, CAUSE_ILLEGAL, 0x001022f3, PRV_M);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("fadd.d f1, f2, f3");
	CHECK_EQ(1, tr.count - before, 1);

	/* 2: same in S and U */
	CHECK_EQ(2, run_in_mode(PRV_S, lower_fp_off, 0), 3);
	CHECK_EQ(2, run_in_mode(PRV_U, lower_fp_off, 0), 3);
	CHECK_EQ(2, tr.cause, CAUSE_ILLEGAL);

	/* 3: FS = Initial / Clean: writing an f register makes it Dirty, SD = 1 */
	set_fs(FS_INITIAL);
	CHECK_EQ(3, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), FS_INITIAL);
	__asm__ volatile("fmv.d.x f1, x0");
	CHECK_EQ(3, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), FS_DIRTY | MSTATUS_SD);
	CHECK_EQ(3, csr_read(sstatus) & (MSTATUS_FS | MSTATUS_SD), FS_DIRTY | MSTATUS_SD);
	set_fs(FS_CLEAN);
	CHECK_EQ(3, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), FS_CLEAN);
	__asm__ volatile("fld f1, 0(%0)" :: "r"(p));
	CHECK_EQ(3, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), FS_DIRTY | MSTATUS_SD);
	set_fs(FS_CLEAN);
	__asm__ volatile("fadd.d f2, f1, f1");
	CHECK_EQ(3, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), FS_DIRTY | MSTATUS_SD);
	set_fs(FS_CLEAN);
	__asm__ volatile("csrw fcsr, x0");
	CHECK_EQ(3, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), FS_DIRTY | MSTATUS_SD);
	set_fs(FS_INITIAL);
	__asm__ volatile("csrwi frm, 1");
	CHECK_EQ(3, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), FS_DIRTY | MSTATUS_SD);
	__asm__ volatile("csrwi frm, 0");

	/* 4: FP state survives FS = Off and back */
	__asm__ volatile("fld f4, 0(%0)" :: "r"(p));
	set_fs(FS_OFF);
	set_fs(FS_CLEAN);
	uint64_t bits;
	__asm__ volatile("fmv.x.d %0, f4" : "=r"(bits));
	CHECK_EQ(4, bits, 0x3ff8000000000000ULL);         /* 1.5 */

	/* 5: S and U use the FPU when FS != Off and make it Dirty */
	set_fs(FS_CLEAN);
	run_in_mode(PRV_U, lower_fp_use, 0x4000000000000000ULL);
	CHECK_EQ(5, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), FS_DIRTY | MSTATUS_SD);
	__asm__ volatile("fmv.x.d %0, f2" : "=r"(bits));
	CHECK_EQ(5, bits, 0x4000000000000000ULL);
	set_fs(FS_INITIAL);
	run_in_mode(PRV_S, lower_fp_use, 0x4008000000000000ULL);
	CHECK_EQ(5, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), FS_DIRTY | MSTATUS_SD);

	/* 6: S sets FS through sstatus */
	set_fs(FS_OFF);
	CHECK_EQ(6, run_in_mode(PRV_S, s_set_fs_initial, 0) & (MSTATUS_FS | MSTATUS_SD), FS_INITIAL);
	CHECK_EQ(6, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), FS_INITIAL);

	/* 7: writing FS = Dirty directly sets SD; SD itself cannot be written */
	set_fs(FS_DIRTY);
	CHECK_EQ(7, csr_read(mstatus) & MSTATUS_SD, MSTATUS_SD);
	set_fs(FS_OFF);
	csr_set(mstatus, MSTATUS_SD);
	CHECK_EQ(7, csr_read(mstatus) & (MSTATUS_FS | MSTATUS_SD), 0);

	set_fs(FS_INITIAL);
	return 0;
}
