/* cpu.c - hart life cycle, traps and interrupt delivery (privileged spec
 * 1.12 sections 3.1.6-3.1.9, 3.3 and 4.1). */
#include <errno.h>
#include <string.h>

#include "core/vm.h"
#include "cpu/rv64/cpu.h"
#include "cpu/rv64/dcache.h"
#include "cpu/rv64/mmu.h"

/* misa: MXL=2 (64-bit), extensions A C D F I M S U */
#define MISA_RV64GC ((2ull << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | \
		     (1 << 12) | (1 << 18) | (1 << 20))

int rv_cpu_init(struct rv_cpu *cpu, struct vm *vm, uint64_t hartid)
{
	int ret;

	memset(cpu, 0, sizeof(*cpu));
	/* all entries empty; from now on flushes clear only logged fills */
	memset(cpu->tlb, 0xff, sizeof(cpu->tlb));
	cpu->vm = vm;
	cpu->as = &vm->as;
	cpu->mhartid = hartid;
	if (vm->ram) {
		ret = rv_dcache_create(&cpu->dc, vm->ram, vm->ram_size);
		if (ret)
			return ret;
	}
	rv_cpu_reset(cpu, 0);
	return 0;
}

void rv_cpu_destroy(struct rv_cpu *cpu)
{
	rv_dcache_destroy(cpu->dc);
	cpu->dc = NULL;
}

void rv_cpu_reset(struct rv_cpu *cpu, uint64_t pc)
{
	memset(cpu->x, 0, sizeof(cpu->x));
	memset(cpu->f, 0, sizeof(cpu->f));
	cpu->pc = pc;
	cpu->priv = RV_PRIV_M;
	cpu->fflags = 0;
	cpu->frm = 0;
	cpu->mstatus = (2ull << 32) | (2ull << 34);	/* UXL = SXL = 64 */
	cpu->misa = MISA_RV64GC;
	cpu->medeleg = cpu->mideleg = 0;
	cpu->mie = cpu->mip = 0;
	cpu->seip_sw = cpu->seip_line = false;
	cpu->mtvec = cpu->stvec = 0;
	cpu->satp = 0;
	cpu->mcounteren = cpu->scounteren = cpu->mcountinhibit = 0;
	cpu->menvcfg = cpu->senvcfg = 0;
	memset(cpu->pmpcfg, 0, sizeof(cpu->pmpcfg));
	memset(cpu->pmpaddr, 0, sizeof(cpu->pmpaddr));
	rv_pmp_update(cpu);
	cpu->reservation = RV_NO_RESERVATION;
	cpu->wfi = false;
	rv_tlb_flush_all(cpu);
	rv_update_data_set(cpu);
	rv_update_irq(cpu);
	if (cpu->dc)
		rv_dcache_flush(cpu->dc);
}

void rv_set_priv(struct rv_cpu *cpu, int priv)
{
	cpu->priv = priv;
	rv_update_data_set(cpu);
	rv_update_irq(cpu);
}

/* interrupts that would be taken now (section 3.1.9) */
static uint64_t deliverable(const struct rv_cpu *cpu)
{
	uint64_t pending = cpu->mip & cpu->mie;
	uint64_t m_en = cpu->priv < RV_PRIV_M || (cpu->mstatus & MSTATUS_MIE) ? ~0ull : 0;
	uint64_t s_en = cpu->priv < RV_PRIV_S ||
			(cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_SIE)) ? ~0ull : 0;
	uint64_t take = pending & ~cpu->mideleg & m_en;

	return take ? take : pending & cpu->mideleg & s_en;
}

void rv_update_irq(struct rv_cpu *cpu)
{
	cpu->irq_deliverable = deliverable(cpu) != 0;
	cpu->chain_floor = cpu->irq_deliverable || cpu->exit_request ? INT64_MAX : 0;
}

void rv_cpu_exit_request(struct rv_cpu *cpu)
{
	cpu->exit_request = true;
	cpu->chain_floor = INT64_MAX;
}

void rv_cpu_set_irq(void *opaque, int n, int level)
{
	struct rv_cpu *cpu = opaque;

	if (n == RV_IRQ_SEI) {
		cpu->seip_line = level;
		level = cpu->seip_sw || cpu->seip_line;
	}
	if (level)
		cpu->mip |= 1ull << n;
	else
		cpu->mip &= ~(1ull << n);
	if (level && (cpu->mip & cpu->mie))
		cpu->wfi = false;
	rv_update_irq(cpu);
}

bool rv_cpu_irq_pending(const struct rv_cpu *cpu)
{
	return (cpu->mip & cpu->mie) != 0;
}

void rv_trap(struct rv_cpu *cpu, uint64_t cause, uint64_t tval)
{
	bool irq = cause >> 63;
	uint64_t code = cause & ~(1ull << 63);
	uint64_t deleg = irq ? cpu->mideleg : cpu->medeleg;
	uint64_t s = cpu->mstatus;

	cpu->reservation = RV_NO_RESERVATION;
	cpu->wfi = false;
	if (cpu->priv <= RV_PRIV_S && code < 64 && ((deleg >> code) & 1)) {
		cpu->scause = cause;
		cpu->sepc = cpu->pc;
		cpu->stval = tval;
		s = (s & ~MSTATUS_SPP) | ((uint64_t)cpu->priv << 8);
		s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) << 4);
		s &= ~MSTATUS_SIE;
		cpu->mstatus = s;
		cpu->pc = (cpu->stvec & ~3ull) + ((irq && (cpu->stvec & 1)) ? 4 * code : 0);
		rv_set_priv(cpu, RV_PRIV_S);
		return;
	}
	cpu->mcause = cause;
	cpu->mepc = cpu->pc;
	cpu->mtval = tval;
	s = (s & ~MSTATUS_MPP) | ((uint64_t)cpu->priv << MSTATUS_MPP_SHIFT);
	s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) << 4);
	s &= ~MSTATUS_MIE;
	cpu->mstatus = s;
	cpu->pc = (cpu->mtvec & ~3ull) + ((irq && (cpu->mtvec & 1)) ? 4 * code : 0);
	rv_set_priv(cpu, RV_PRIV_M);
}

bool rv_check_interrupts(struct rv_cpu *cpu)
{
	/* priority order of section 3.1.9 */
	static const uint8_t order[] = { RV_IRQ_MEI, RV_IRQ_MSI, RV_IRQ_MTI,
					 RV_IRQ_SEI, RV_IRQ_SSI, RV_IRQ_STI };
	uint64_t take = deliverable(cpu);

	if (cpu->mip & cpu->mie)
		cpu->wfi = false;
	for (unsigned i = 0; take && i < sizeof(order); i++) {
		if (take & (1ull << order[i])) {
			rv_trap(cpu, (1ull << 63) | order[i], 0);
			return true;
		}
	}
	rv_update_irq(cpu);
	return false;
}
