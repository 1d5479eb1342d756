/* test_x86_mptable.c - unit tests for the MP table writer
 * (src/machine/x86_mptable.c): the guest's view is parsed the way Linux's
 * mpparse does (find the floating pointer where the BDA's EBDA pointer
 * says, check both checksums, walk the entries by type and length), and
 * each entry is checked against the MultiProcessor Specification 1.4.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/vm.h"
#include "machine/x86_boot.h"
#include "machine/x86_bootparam.h"
#include "machine/x86_layout.h"

#define RAM_SIZE (16ull << 20)

static int setup(void **state)
{
	struct vm *vm = calloc(1, sizeof(*vm));

	assert_non_null(vm);
	assert_int_equal(vm_init(vm, "mptable"), 0);
	assert_int_equal(vm_alloc_ram(vm, 0, RAM_SIZE), 0);
	*state = vm;
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(*state);
	free(*state);
	return 0;
}

static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/* Linux's search: 16-byte steps through the first KiB of the EBDA named by
 * the BDA word at 0x40e, for "_MP_" with length 1, spec 1 or 4 and a zero
 * checksum */
static gpa_t find_mpf(struct vm *vm)
{
	uint16_t seg;
	gpa_t ebda;

	assert_int_equal(as_copy_from(&vm->as, &seg, X86_BDA_EBDA_SEG, 2), 0);
	ebda = (gpa_t)seg << 4;
	assert_true(ebda != 0);
	for (gpa_t a = ebda; a < ebda + 0x400; a += 16) {
		const uint8_t *p = as_ram_ptr(&vm->as, a, 16);

		assert_non_null(p);
		if (!memcmp(p, "_MP_", 4) && p[8] == 1 && (p[9] == 1 || p[9] == 4) && !sum(p, 16))
			return a;
	}
	fail_msg("no MP floating pointer in the EBDA at 0x%llx", (unsigned long long)ebda);
	return 0;
}

static void check_table(struct vm *vm, int nr_cpus)
{
	struct x86_mpf mpf;
	struct x86_mpc_table mpc;
	const uint8_t *p;
	gpa_t mpf_addr = find_mpf(vm);
	unsigned cpus = 0, buses = 0, ioapics = 0, lints = 0;
	bool irq_seen[X86_MP_IOAPIC_PINS] = { false };
	size_t off;

	assert_int_equal(mpf_addr, X86_MPTABLE_ADDR);
	assert_int_equal(as_copy_from(&vm->as, &mpf, mpf_addr, sizeof(mpf)), 0);
	assert_int_equal(mpf.spec_rev, 4);
	assert_int_equal(mpf.feature1, 0);	/* a configuration table follows */
	assert_int_equal(mpf.physptr, X86_MPTABLE_ADDR + 16);

	assert_int_equal(as_copy_from(&vm->as, &mpc, mpf.physptr, sizeof(mpc)), 0);
	assert_memory_equal(mpc.signature, "PCMP", 4);
	assert_int_equal(mpc.spec_rev, 4);
	assert_memory_equal(mpc.oem_id, "MACHINA", 7);
	assert_int_equal(mpc.lapic_addr, 0xfee00000);
	assert_int_equal(mpc.ext_table_length, 0);
	assert_int_equal(mpc.oem_table_ptr, 0);
	/* processors, one bus, one IOAPIC, 24 I/O interrupts, 2 local ones */
	assert_int_equal(mpc.entry_count, nr_cpus + 1 + 1 + 24 + 2);
	assert_int_equal(mpc.length, 44 + nr_cpus * 20 + 8 + 8 + 26 * 8);
	assert_true(mpf.physptr + mpc.length <= X86_EBDA_END);
	p = as_ram_ptr(&vm->as, mpf.physptr, mpc.length);
	assert_non_null(p);
	assert_int_equal(sum(p, mpc.length), 0);

	off = sizeof(mpc);
	for (unsigned i = 0; i < mpc.entry_count; i++) {
		assert_true(off < mpc.length);
		switch (p[off]) {
		case 0: {
			struct x86_mpc_cpu c;

			memcpy(&c, p + off, sizeof(c));
			assert_int_equal(c.apic_id, cpus);
			assert_int_equal(c.apic_version, 0x14);
			assert_true(c.cpu_flags & 1);				/* enabled */
			assert_int_equal(!!(c.cpu_flags & 2), cpus == 0);	/* BSP */
			assert_int_equal((c.cpu_signature >> 8) & 0xf, 6);	/* family */
			assert_true(c.feature_flags & (1u << 9));		/* APIC */
			assert_int_equal(buses + ioapics + lints, 0);	/* processors first */
			cpus++;
			off += 20;
			break;
		}
		case 1:
			assert_int_equal(p[off + 1], 0);
			assert_memory_equal(p + off + 2, "ISA   ", 6);
			buses++;
			off += 8;
			break;
		case 2: {
			struct x86_mpc_ioapic io;

			memcpy(&io, p + off, sizeof(io));
			assert_int_equal(io.apic_id, nr_cpus);
			assert_int_equal(io.apic_version, 0x11);
			assert_int_equal(io.flags & 1, 1);
			assert_int_equal(io.apic_addr, 0xfec00000);
			ioapics++;
			off += 8;
			break;
		}
		case 3: {
			struct x86_mpc_intsrc in;

			memcpy(&in, p + off, sizeof(in));
			assert_int_equal(in.irq_type, 0);		/* INT */
			assert_int_equal(in.irq_flags, 0);		/* conforming: ISA edge/high */
			assert_int_equal(in.src_bus_id, 0);
			assert_true(in.src_bus_irq < X86_MP_IOAPIC_PINS);
			assert_int_equal(in.dst_pin, in.src_bus_irq);
			assert_int_equal(in.dst_apic_id, nr_cpus);
			assert_false(irq_seen[in.src_bus_irq]);
			irq_seen[in.src_bus_irq] = true;
			off += 8;
			break;
		}
		case 4: {
			struct x86_mpc_intsrc l;

			memcpy(&l, p + off, sizeof(l));
			assert_int_equal(l.dst_apic_id, 0xff);
			if (l.irq_type == 3)
				assert_int_equal(l.dst_pin, 0);		/* ExtINT -> LINT0 */
			else if (l.irq_type == 1)
				assert_int_equal(l.dst_pin, 1);		/* NMI -> LINT1 */
			else
				fail_msg("local interrupt type %u", l.irq_type);
			lints |= 1u << l.dst_pin;
			off += 8;
			break;
		}
		default:
			fail_msg("entry %u has type %u", i, p[off]);
		}
	}
	assert_int_equal(off, mpc.length);
	assert_int_equal(cpus, nr_cpus);
	assert_int_equal(buses, 1);
	assert_int_equal(ioapics, 1);
	assert_int_equal(lints, 3);
	for (unsigned i = 0; i < X86_MP_IOAPIC_PINS; i++)
		assert_true(irq_seen[i]);
}

static void test_one_cpu(void **state)
{
	assert_int_equal(x86_mptable_write(*state, 1), 0);
	check_table(*state, 1);
}

static void test_four_cpus(void **state)
{
	assert_int_equal(x86_mptable_write(*state, 4), 0);
	check_table(*state, 4);
}

static void test_max_cpus(void **state)
{
	assert_int_equal(X86_MAX_CPUS, 64);
	assert_int_equal(x86_mptable_write(*state, X86_MAX_CPUS), 0);
	check_table(*state, X86_MAX_CPUS);
}

/* a smaller table rewritten over a larger one is still consistent */
static void test_rewrite(void **state)
{
	assert_int_equal(x86_mptable_write(*state, 64), 0);
	assert_int_equal(x86_mptable_write(*state, 2), 0);
	check_table(*state, 2);
}

static void test_invalid(void **state)
{
	struct vm *vm = *state;
	const uint8_t *p = as_ram_ptr(&vm->as, X86_MPTABLE_ADDR, X86_EBDA_END - X86_MPTABLE_ADDR);

	assert_int_equal(x86_mptable_write(vm, 0), -EINVAL);
	assert_int_equal(x86_mptable_write(vm, -1), -EINVAL);
	assert_int_equal(x86_mptable_write(vm, X86_MAX_CPUS + 1), -EINVAL);
	assert_int_equal(x86_mptable_write(vm, 1000), -EINVAL);
	/* nothing written */
	for (uint64_t i = 0; i < X86_EBDA_END - X86_MPTABLE_ADDR; i++)
		assert_int_equal(p[i], 0);
}

static void test_ram_too_small(void **state)
{
	struct vm vm;

	(void)state;
	assert_int_equal(vm_init(&vm, "tiny"), 0);
	assert_int_equal(vm_alloc_ram(&vm, 0, 0x80000), 0);	/* 512 KiB */
	assert_int_equal(x86_mptable_write(&vm, 1), -EFAULT);
	vm_destroy(&vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_four_cpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_cpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rewrite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
		cmocka_unit_test(test_ram_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
