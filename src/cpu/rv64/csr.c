/* csr.c - control and status registers (privileged spec 1.12 chapter 2 and
 * sections 3.1, 4.1; unprivileged Zicsr/Zicntr; F/D fcsr). */
#include "cpu/rv64/cpu.h"
#include "cpu/rv64/dcache.h"
#include "cpu/rv64/mmu.h"

enum {
	CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
	CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02,
	CSR_HPMCOUNTER3 = 0xc03, CSR_HPMCOUNTER31 = 0xc1f,
	CSR_SSTATUS = 0x100, CSR_SIE = 0x104, CSR_STVEC = 0x105, CSR_SCOUNTEREN = 0x106,
	CSR_SENVCFG = 0x10a, CSR_SSCRATCH = 0x140, CSR_SEPC = 0x141, CSR_SCAUSE = 0x142,
	CSR_STVAL = 0x143, CSR_SIP = 0x144, CSR_SATP = 0x180,
	CSR_MVENDORID = 0xf11, CSR_MARCHID = 0xf12, CSR_MIMPID = 0xf13, CSR_MHARTID = 0xf14,
	CSR_MCONFIGPTR = 0xf15,
	CSR_MSTATUS = 0x300, CSR_MISA = 0x301, CSR_MEDELEG = 0x302, CSR_MIDELEG = 0x303,
	CSR_MIE = 0x304, CSR_MTVEC = 0x305, CSR_MCOUNTEREN = 0x306, CSR_MENVCFG = 0x30a,
	CSR_MCOUNTINHIBIT = 0x320, CSR_MHPMEVENT3 = 0x323, CSR_MHPMEVENT31 = 0x33f,
	CSR_MSCRATCH = 0x340, CSR_MEPC = 0x341, CSR_MCAUSE = 0x342, CSR_MTVAL = 0x343,
	CSR_MIP = 0x344,
	CSR_PMPCFG0 = 0x3a0, CSR_PMPCFG2 = 0x3a2, CSR_PMPADDR0 = 0x3b0,
	CSR_MCYCLE = 0xb00, CSR_MINSTRET = 0xb02,
	CSR_MHPMCOUNTER3 = 0xb03, CSR_MHPMCOUNTER31 = 0xb1f,
};

#define SSTATUS_MASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
		      MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | \
			  MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
			  MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
			  MSTATUS_MXR)
/* interrupts: S-level bits can be delegated; M-level ones cannot */
#define S_IRQS ((1ull << RV_IRQ_SSI) | (1ull << RV_IRQ_STI) | (1ull << RV_IRQ_SEI))
#define ALL_IRQS (S_IRQS | (1ull << RV_IRQ_MSI) | (1ull << RV_IRQ_MTI) | (1ull << RV_IRQ_MEI))
/* exceptions that can be delegated (not ecall from M) */
#define DELEGABLE_EXC 0xb3ffull
#define MIP_SW_WRITABLE ((1ull << RV_IRQ_SSI) | (1ull << RV_IRQ_STI))

#define INHIBIT_CY 1
#define INHIBIT_IR 4

static uint64_t read_minstret(const struct rv_cpu *cpu)
{
	return (cpu->mcountinhibit & INHIBIT_IR) ? cpu->frozen_instret
						  : cpu->instret + cpu->instret_offset;
}

static uint64_t read_mcycle(const struct rv_cpu *cpu)
{
	return (cpu->mcountinhibit & INHIBIT_CY) ? cpu->frozen_cycle
						  : cpu->instret + cpu->cycle_offset;
}

static void write_minstret(struct rv_cpu *cpu, uint64_t v)
{
	if (cpu->mcountinhibit & INHIBIT_IR)
		cpu->frozen_instret = v;
	else
		cpu->instret_offset = v - cpu->instret;
}

static void write_mcycle(struct rv_cpu *cpu, uint64_t v)
{
	if (cpu->mcountinhibit & INHIBIT_CY)
		cpu->frozen_cycle = v;
	else
		cpu->cycle_offset = v - cpu->instret;
}

static void write_mcountinhibit(struct rv_cpu *cpu, uint64_t v)
{
	uint64_t cyc = read_mcycle(cpu), ins = read_minstret(cpu);

	/* only CY and IR exist (no hpm counters) */
	cpu->mcountinhibit = v & (INHIBIT_CY | INHIBIT_IR);
	cpu->frozen_cycle = cyc;
	cpu->frozen_instret = ins;
	write_mcycle(cpu, cyc);
	write_minstret(cpu, ins);
}

static uint64_t mstatus_read(const struct rv_cpu *cpu)
{
	uint64_t s = cpu->mstatus;

	if ((s & MSTATUS_FS) == MSTATUS_FS)
		s |= MSTATUS_SD;
	return s;
}

/* may the current privilege read counter `idx` (0 cycle, 1 time, 2 instret...)? */
static bool counter_ok(const struct rv_cpu *cpu, unsigned idx)
{
	if (cpu->priv == RV_PRIV_M)
		return true;
	if (!((cpu->mcounteren >> idx) & 1))
		return false;
	return cpu->priv == RV_PRIV_S || ((cpu->scounteren >> idx) & 1);
}

static bool fs_on(const struct rv_cpu *cpu)
{
	return (cpu->mstatus & MSTATUS_FS) != 0;
}

int rv_csr_read(struct rv_cpu *cpu, unsigned csr, uint64_t *val)
{
	if (((csr >> 8) & 3) > (unsigned)cpu->priv)
		return -1;
	switch (csr) {
	case CSR_FFLAGS:
		if (!fs_on(cpu))
			return -1;
		*val = cpu->fflags;
		return 0;
	case CSR_FRM:
		if (!fs_on(cpu))
			return -1;
		*val = cpu->frm;
		return 0;
	case CSR_FCSR:
		if (!fs_on(cpu))
			return -1;
		*val = cpu->frm << 5 | cpu->fflags;
		return 0;
	case CSR_CYCLE:
	case CSR_INSTRET:
		if (!counter_ok(cpu, csr - CSR_CYCLE))
			return -1;
		*val = csr == CSR_CYCLE ? read_mcycle(cpu) : read_minstret(cpu);
		return 0;
	case CSR_TIME:
		if (!counter_ok(cpu, 1) || !cpu->read_time)
			return -1;
		*val = cpu->read_time(cpu->time_opaque);
		return 0;
	case CSR_SSTATUS: *val = mstatus_read(cpu) & SSTATUS_MASK; return 0;
	case CSR_SIE: *val = cpu->mie & cpu->mideleg; return 0;
	case CSR_STVEC: *val = cpu->stvec; return 0;
	case CSR_SCOUNTEREN: *val = cpu->scounteren; return 0;
	case CSR_SENVCFG: *val = cpu->senvcfg; return 0;
	case CSR_SSCRATCH: *val = cpu->sscratch; return 0;
	case CSR_SEPC: *val = cpu->sepc; return 0;
	case CSR_SCAUSE: *val = cpu->scause; return 0;
	case CSR_STVAL: *val = cpu->stval; return 0;
	case CSR_SIP: *val = cpu->mip & cpu->mideleg; return 0;
	case CSR_SATP:
		if (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM))
			return -1;
		*val = cpu->satp;
		return 0;
	case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MCONFIGPTR:
		*val = 0;
		return 0;
	case CSR_MHARTID: *val = cpu->mhartid; return 0;
	case CSR_MSTATUS: *val = mstatus_read(cpu); return 0;
	case CSR_MISA: *val = cpu->misa; return 0;
	case CSR_MEDELEG: *val = cpu->medeleg; return 0;
	case CSR_MIDELEG: *val = cpu->mideleg; return 0;
	case CSR_MIE: *val = cpu->mie; return 0;
	case CSR_MTVEC: *val = cpu->mtvec; return 0;
	case CSR_MCOUNTEREN: *val = cpu->mcounteren; return 0;
	case CSR_MENVCFG: *val = cpu->menvcfg; return 0;
	case CSR_MCOUNTINHIBIT: *val = cpu->mcountinhibit; return 0;
	case CSR_MSCRATCH: *val = cpu->mscratch; return 0;
	case CSR_MEPC: *val = cpu->mepc; return 0;
	case CSR_MCAUSE: *val = cpu->mcause; return 0;
	case CSR_MTVAL: *val = cpu->mtval; return 0;
	case CSR_MIP: *val = cpu->mip; return 0;
	case CSR_PMPCFG0:
	case CSR_PMPCFG2: {
		const uint8_t *c = &cpu->pmpcfg[(csr - CSR_PMPCFG0) * 4];
		uint64_t v = 0;

		for (int i = 7; i >= 0; i--)
			v = v << 8 | c[i];
		*val = v;
		return 0;
	}
	case CSR_MCYCLE: *val = read_mcycle(cpu); return 0;
	case CSR_MINSTRET: *val = read_minstret(cpu); return 0;
	}
	if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + RV_PMP_COUNT) {
		*val = cpu->pmpaddr[csr - CSR_PMPADDR0];
		/* NAPOT/NA4 granularity 4 bytes: reads return the written value */
		return 0;
	}
	if (csr >= CSR_HPMCOUNTER3 && csr <= CSR_HPMCOUNTER31) {
		if (!counter_ok(cpu, csr - CSR_CYCLE))
			return -1;
		*val = 0;
		return 0;
	}
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)) {
		*val = 0;	/* no hardware performance counters: read-only zero */
		return 0;
	}
	return -1;
}

static void set_fs_dirty(struct rv_cpu *cpu)
{
	cpu->mstatus |= MSTATUS_FS;
}

static void mstatus_write(struct rv_cpu *cpu, uint64_t val, uint64_t mask)
{
	uint64_t old = cpu->mstatus;
	uint64_t s = (old & ~mask) | (val & mask);

	/* MPP is WARL: 2 (reserved) keeps the old value */
	if (((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2)
		s = (s & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
	cpu->mstatus = s;
	if ((old ^ s) & MSTATUS_MXR) {
		/* entries made under the old MXR are no longer valid */
		rv_tlb_flush_all(cpu);
	}
	/* SUM selects the S or S+SUM TLB set: no flush */
	if ((old ^ s) & (MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM))
		rv_update_data_set(cpu);
}

static void pmp_changed(struct rv_cpu *cpu)
{
	rv_pmp_update(cpu);
	rv_tlb_flush_all(cpu);
}

static bool pmp_locked(const struct rv_cpu *cpu, int i)
{
	return cpu->pmpcfg[i] & 0x80;
}

static int csr_write(struct rv_cpu *cpu, unsigned csr, uint64_t val)
{
	if (((csr >> 8) & 3) > (unsigned)cpu->priv || (csr >> 10) == 3)
		return -1;
	switch (csr) {
	case CSR_FFLAGS:
		if (!fs_on(cpu))
			return -1;
		cpu->fflags = val & 0x1f;
		set_fs_dirty(cpu);
		return 0;
	case CSR_FRM:
		if (!fs_on(cpu))
			return -1;
		cpu->frm = val & 7;
		set_fs_dirty(cpu);
		return 0;
	case CSR_FCSR:
		if (!fs_on(cpu))
			return -1;
		cpu->fflags = val & 0x1f;
		cpu->frm = (val >> 5) & 7;
		set_fs_dirty(cpu);
		return 0;
	case CSR_SSTATUS: mstatus_write(cpu, val, SSTATUS_WRITABLE); return 0;
	case CSR_SIE:
		cpu->mie = (cpu->mie & ~cpu->mideleg) | (val & cpu->mideleg & S_IRQS);
		return 0;
	case CSR_STVEC:
		if ((val & 3) < 2)
			cpu->stvec = val;
		return 0;
	case CSR_SCOUNTEREN: cpu->scounteren = val & 0xffffffff; return 0;
	case CSR_SENVCFG: cpu->senvcfg = val & 1; return 0;
	case CSR_SSCRATCH: cpu->sscratch = val; return 0;
	case CSR_SEPC: cpu->sepc = val & ~1ull; return 0;
	case CSR_SCAUSE: cpu->scause = val; return 0;
	case CSR_STVAL: cpu->stval = val; return 0;
	case CSR_SIP:
		/* only SSIP is writable through sip, and only when delegated */
		if (cpu->mideleg & (1ull << RV_IRQ_SSI))
			cpu->mip = (cpu->mip & ~(1ull << RV_IRQ_SSI)) | (val & (1ull << RV_IRQ_SSI));
		return 0;
	case CSR_SATP: {
		uint64_t mode = val >> 60;

		if (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM))
			return -1;
		/* WARL: an unsupported mode leaves satp unchanged */
		if (mode != 0 && mode != 8 && mode != 9 && mode != 10)
			return 0;
		cpu->satp = val & ((0xfull << 60) | (0xffffull << 44) | ((1ull << 44) - 1));
		rv_tlb_flush_all(cpu);
		return 0;
	}
	case CSR_MSTATUS: mstatus_write(cpu, val, MSTATUS_WRITABLE); return 0;
	case CSR_MISA: return 0;	/* WARL: extensions cannot be turned off */
	case CSR_MEDELEG: cpu->medeleg = val & DELEGABLE_EXC; return 0;
	case CSR_MIDELEG: cpu->mideleg = val & S_IRQS; return 0;
	case CSR_MIE: cpu->mie = val & ALL_IRQS; return 0;
	case CSR_MTVEC:
		if ((val & 3) < 2)
			cpu->mtvec = val;
		return 0;
	case CSR_MCOUNTEREN: cpu->mcounteren = val & 0xffffffff; return 0;
	case CSR_MENVCFG: cpu->menvcfg = val & 1; return 0;
	case CSR_MCOUNTINHIBIT: write_mcountinhibit(cpu, val); return 0;
	case CSR_MSCRATCH: cpu->mscratch = val; return 0;
	case CSR_MEPC: cpu->mepc = val & ~1ull; return 0;
	case CSR_MCAUSE: cpu->mcause = val; return 0;
	case CSR_MTVAL: cpu->mtval = val; return 0;
	case CSR_MIP: {
		uint64_t sw = val & MIP_SW_WRITABLE;

		cpu->seip_sw = (val >> RV_IRQ_SEI) & 1;
		cpu->mip = (cpu->mip & ~(MIP_SW_WRITABLE | (1ull << RV_IRQ_SEI))) | sw |
			   ((uint64_t)(cpu->seip_sw || cpu->seip_line) << RV_IRQ_SEI);
		return 0;
	}
	case CSR_PMPCFG0:
	case CSR_PMPCFG2: {
		uint8_t *c = &cpu->pmpcfg[(csr - CSR_PMPCFG0) * 4];

		for (int i = 0; i < 8; i++) {
			uint8_t b = (val >> (8 * i)) & 0xff;

			if (pmp_locked(cpu, (int)(c - cpu->pmpcfg) + i))
				continue;
			/* R=0 W=1 is reserved: keep W clear */
			if ((b & 3) == 2)
				b &= ~2;
			c[i] = b & 0x9f;
		}
		pmp_changed(cpu);
		return 0;
	}
	case CSR_MCYCLE: write_mcycle(cpu, val); return 0;
	case CSR_MINSTRET: write_minstret(cpu, val); return 0;
	}
	if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + RV_PMP_COUNT) {
		int i = csr - CSR_PMPADDR0;

		/* locked entries, and the address of a locked TOR entry's base */
		if (pmp_locked(cpu, i) ||
		    (i + 1 < RV_PMP_COUNT && pmp_locked(cpu, i + 1) &&
		     (cpu->pmpcfg[i + 1] & 0x18) == 0x08))
			return 0;
		cpu->pmpaddr[i] = val & ((1ull << 54) - 1);
		pmp_changed(cpu);
		return 0;
	}
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31))
		return 0;
	return -1;
}

int rv_csr_write(struct rv_cpu *cpu, unsigned csr, uint64_t val)
{
	int ret = csr_write(cpu, csr, val);

	/* any of mstatus, mie, mip, mideleg (or their S views) may have
	 * changed which interrupts can be taken */
	rv_update_irq(cpu);
	return ret;
}
