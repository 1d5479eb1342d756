/* x86_mptable.c - the Intel MultiProcessor Specification 1.4 tables that
 * tell the guest its CPUs, IOAPIC and interrupt routing (this machine has
 * no ACPI). Built in a host buffer, then copied into guest RAM in one go.
 *
 * Where Linux looks (arch/x86/kernel/mpparse.c): the first KiB of RAM, the
 * last KiB below 640 KiB, the BIOS ROM at 0xf0000, then the first KiB of the
 * EBDA named by the BDA word at 0x40e. 64 CPUs need 1564 bytes, more than
 * the 1 KiB at 0x9fc00, so the tables start at X86_MPTABLE_ADDR (0x9f000,
 * e820-reserved) and the BDA's EBDA segment points there.
 */
#include <errno.h>
#include <string.h>

#include "core/vm.h"
#include "machine/x86_boot.h"
#include "machine/x86_bootparam.h"
#include "machine/x86_layout.h"

#define MP_LAPIC_VERSION	0x14	/* integrated local APIC */
#define MP_IOAPIC_VERSION	0x11
/* a plausible CPUID(1): family 6, and EDX with FPU (bit 0) and APIC (bit 9) */
#define MP_CPU_SIGNATURE	0x600
#define MP_CPU_FEATURES		((1u << 0) | (1u << 9))

/* everything the largest machine needs, with the floating pointer first */
#define MP_ENTRIES_MAX		(X86_MAX_CPUS + 1 + 1 + X86_MP_IOAPIC_PINS + 2)
#define MP_BYTES_MAX		(sizeof(struct x86_mpf) + sizeof(struct x86_mpc_table) + \
				 X86_MAX_CPUS * sizeof(struct x86_mpc_cpu) + \
				 sizeof(struct x86_mpc_bus) + sizeof(struct x86_mpc_ioapic) + \
				 (X86_MP_IOAPIC_PINS + 2) * sizeof(struct x86_mpc_intsrc))
_Static_assert(MP_BYTES_MAX <= X86_EBDA_END - X86_MPTABLE_ADDR,
	       "the MP table of X86_MAX_CPUS CPUs must fit in the reserved EBDA");
_Static_assert(X86_MAX_CPUS < X86_MP_ALL_LAPICS, "APIC ids and the IOAPIC id fit in 8 bits");
_Static_assert((X86_MPTABLE_ADDR & 0xf) == 0 && X86_MPTABLE_ADDR >> 4 <= 0xffff,
	       "the floating pointer is 16-byte aligned and reachable as a real-mode segment");

static uint8_t mp_checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return (uint8_t)(0x100 - sum);
}

/* appends one entry at *off; the buffer is sized for MP_BYTES_MAX */
static void mp_put(uint8_t *buf, size_t *off, const void *entry, size_t len, uint16_t *count)
{
	memcpy(buf + *off, entry, len);
	*off += len;
	(*count)++;
}

int x86_mptable_write(struct vm *vm, int nr_cpus)
{
	uint8_t buf[MP_BYTES_MAX];
	struct x86_mpf mpf;
	struct x86_mpc_table mpc;
	uint16_t count = 0, ebda_seg = (uint16_t)(X86_MPTABLE_ADDR >> 4);
	size_t off = sizeof(mpf) + sizeof(mpc);
	int ret;

	if (nr_cpus < 1 || nr_cpus > X86_MAX_CPUS)
		return -EINVAL;
	memset(buf, 0, sizeof(buf));

	for (int i = 0; i < nr_cpus; i++) {
		struct x86_mpc_cpu cpu = {
			.type = X86_MP_PROCESSOR,
			.apic_id = (uint8_t)i,
			.apic_version = MP_LAPIC_VERSION,
			.cpu_flags = X86_MP_CPU_ENABLED | (i == 0 ? X86_MP_CPU_BSP : 0),
			.cpu_signature = MP_CPU_SIGNATURE,
			.feature_flags = MP_CPU_FEATURES,
		};

		mp_put(buf, &off, &cpu, sizeof(cpu), &count);
	}
	struct x86_mpc_bus bus = { .type = X86_MP_BUS, .bus_id = 0 };

	memcpy(bus.bus_type, "ISA   ", sizeof(bus.bus_type));
	mp_put(buf, &off, &bus, sizeof(bus), &count);

	uint8_t ioapic_id = (uint8_t)nr_cpus;
	struct x86_mpc_ioapic ioapic = {
		.type = X86_MP_IOAPIC,
		.apic_id = ioapic_id,
		.apic_version = MP_IOAPIC_VERSION,
		.flags = X86_MP_IOAPIC_ENABLED,
		.apic_addr = (uint32_t)X86_IOAPIC_ADDR,
	};

	mp_put(buf, &off, &ioapic, sizeof(ioapic), &count);
	/* ISA IRQ i (and GSIs 16-23) -> IOAPIC pin i; flags 0 conform to the
	 * ISA bus: edge-triggered, active high */
	for (int i = 0; i < X86_MP_IOAPIC_PINS; i++) {
		struct x86_mpc_intsrc irq = {
			.type = X86_MP_INTSRC,
			.irq_type = X86_MP_INT_INT,
			.irq_flags = 0,
			.src_bus_id = 0,
			.src_bus_irq = (uint8_t)i,
			.dst_apic_id = ioapic_id,
			.dst_pin = (uint8_t)i,
		};

		mp_put(buf, &off, &irq, sizeof(irq), &count);
	}
	/* every local APIC: the 8259 (ExtINT) on LINT0, NMI on LINT1 */
	struct x86_mpc_intsrc lint = {
		.type = X86_MP_LINTSRC,
		.irq_type = X86_MP_INT_EXTINT,
		.dst_apic_id = X86_MP_ALL_LAPICS,
		.dst_pin = 0,
	};

	mp_put(buf, &off, &lint, sizeof(lint), &count);
	lint.irq_type = X86_MP_INT_NMI;
	lint.dst_pin = 1;
	mp_put(buf, &off, &lint, sizeof(lint), &count);

	memset(&mpc, 0, sizeof(mpc));
	memcpy(mpc.signature, X86_MPC_SIGNATURE, 4);
	mpc.length = (uint16_t)(off - sizeof(mpf));
	mpc.spec_rev = X86_MP_SPEC_REV;
	memcpy(mpc.oem_id, "MACHINA ", sizeof(mpc.oem_id));
	memcpy(mpc.product_id, "X86_64 KVM  ", sizeof(mpc.product_id));
	mpc.entry_count = count;
	mpc.lapic_addr = (uint32_t)X86_LAPIC_ADDR;
	memcpy(buf + sizeof(mpf), &mpc, sizeof(mpc));
	buf[sizeof(mpf) + offsetof(struct x86_mpc_table, checksum)] =
		mp_checksum(buf + sizeof(mpf), mpc.length);

	memset(&mpf, 0, sizeof(mpf));
	memcpy(mpf.signature, X86_MPF_SIGNATURE, 4);
	mpf.physptr = (uint32_t)(X86_MPTABLE_ADDR + sizeof(mpf));
	mpf.length = 1;
	mpf.spec_rev = X86_MP_SPEC_REV;
	memcpy(buf, &mpf, sizeof(mpf));
	buf[offsetof(struct x86_mpf, checksum)] = mp_checksum(buf, sizeof(mpf));

	ret = as_copy_to(&vm->as, X86_MPTABLE_ADDR, buf, off);
	if (ret)
		return ret;
	/* the BDA's EBDA pointer, so that Linux's scan finds the floating pointer */
	return as_copy_to(&vm->as, X86_BDA_EBDA_SEG, &ebda_seg, sizeof(ebda_seg));
}
