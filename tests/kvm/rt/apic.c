/* apic.c - the local APIC (xAPIC, memory-mapped at 0xfee00000) and the
 * IOAPIC (0xfec00000), both programmed from CPL3 through the
 * user-accessible identity map. */
#include "rt.h"

/* IOAPIC: an index register and a data window */
#define IOAPIC_REGSEL	0x00
#define IOAPIC_WIN	0x10
#define IOAPIC_REG_VER	0x01		/* bits 23:16: index of the last redirection entry */
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))	/* low dword; +1 high dword (bits 31:24 dest) */
#define REDTBL_MASKED	(1u << 16)
/* other low-dword bits left 0: fixed delivery, physical destination,
 * active high, edge-triggered */

static uint32_t ioapic_read(unsigned reg)
{
	mmio_write32(IOAPIC_BASE + IOAPIC_REGSEL, reg);
	return mmio_read32(IOAPIC_BASE + IOAPIC_WIN);
}

static void ioapic_write(unsigned reg, uint32_t v)
{
	mmio_write32(IOAPIC_BASE + IOAPIC_REGSEL, reg);
	mmio_write32(IOAPIC_BASE + IOAPIC_WIN, v);
}

unsigned ioapic_entries(void)
{
	return (ioapic_read(IOAPIC_REG_VER) >> 16 & 0xff) + 1;
}

/* Route a GSI (= IOAPIC pin: one IOAPIC) to a vector on APIC id 0.
 * Edge-triggered works for lines held high until acknowledged (QEMU's
 * virtio-mmio) as well as for pulses (irqfd): the handler acknowledges the
 * device, which lowers the line before the next edge. */
int ioapic_route(unsigned gsi, unsigned vector, int masked)
{
	if (gsi >= ioapic_entries())
		return -1;
	ioapic_write(IOAPIC_REDTBL(gsi), REDTBL_MASKED);
	ioapic_write(IOAPIC_REDTBL(gsi) + 1, 0u << 24);
	ioapic_write(IOAPIC_REDTBL(gsi), vector | (masked ? REDTBL_MASKED : 0));
	return 0;
}

void lapic_init(void)
{
	/* mask both 8259s (OCW1): with LINT0 masked too, ISA interrupts only
	 * reach us through the IOAPIC */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);	/* software enable */
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
}

/* ICR: destination in the high dword, then the low dword (vector, delivery
 * mode 10:8, level 14, trigger 15) sends it; bit 12 is set while pending */
int lapic_send_ipi(unsigned apic_id, uint32_t icr_lo)
{
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr_lo);
	uint64_t d = deadline_ms(1000);
	while (lapic_read(LAPIC_ICR_LO) & (1u << 12))
		if (expired(d))
			return -1;
	return 0;
}
