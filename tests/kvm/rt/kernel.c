/* kernel.c - the CPL0 side of the guest runtime: per-CPU TSS set-up, the
 * interrupt dispatcher, exception reports and the services called with
 * `int3` (rt.h).
 * Kept minimal: on the PVM /dev/kvm every CPL0 instruction is emulated. */
#include "rt.h"

/* 64-bit TSS: rsp0 (the stack for interrupts from CPL3) and the I/O
 * permission bitmap */
struct tss {
	uint32_t reserved0;
	uint64_t rsp0, rsp1, rsp2;
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;	/* offset of the I/O permission bitmap */
} __attribute__((packed));

/* Each CPU's TSS is followed by an I/O permission bitmap that allows every
 * port (65536 zero bits, then the mandatory 0xff byte). IOPL 3 alone would
 * do, but the PVM /dev/kvm of the development machine runs CPL3 with IOPL
 * 0 whatever the guest asks for; it does honour the bitmap. */
struct tss_io {
	struct tss tss;
	uint8_t io_bitmap[65536 / 8];
	uint8_t io_bitmap_end;		/* 0xff */
} __attribute__((packed));

/* 16-byte long-mode IDT gate */
struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type_attr;	/* 0x8e interrupt gate DPL 0, 0xee DPL 3 */
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

extern uint64_t gdt_tss[];
extern char kstacks[], isr_stubs[];

static struct tss_io tss[MAX_CPUS] __attribute__((aligned(64)));	/* zeroed .bss */
struct idt_gate idt[256] __attribute__((aligned(16)));
static const struct __attribute__((packed)) { uint16_t limit; uint64_t base; }
	idt_ptr = { sizeof(idt) - 1, (uint64_t)idt };

static struct { irq_handler_fn *fn; void *arg; } irq_table[256];
volatile uint64_t irq_count[256];
volatile uint64_t irq_from_cpl3[256];
volatile uint64_t irq_unexpected;
volatile unsigned irq_unexpected_vec;

/* Called from boot.S on each CPU's CPL0 stack before the drop to CPL3: TSS
 * descriptor, task register, IDT register. The IDT itself is filled in at
 * CPL3 (idt_fill) before anything can fault or interrupt. */
void kernel_init(unsigned cpu);
void kernel_init(unsigned cpu)
{
	struct tss *t = &tss[cpu].tss;
	uint64_t base = (uint64_t)t, limit = sizeof(tss[cpu]) - 1;

	t->rsp0 = (uint64_t)kstacks + (uint64_t)(cpu + 1) * KSTACK_SIZE;
	t->iomap_base = sizeof(*t);
	tss[cpu].io_bitmap_end = 0xff;
	/* system descriptor: limit 15:0, base 23:0, type 9 (available 64-bit
	 * TSS), present, limit 19:16, base 31:24; second quad: base 63:32 */
	gdt_tss[2 * cpu] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
			   ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	gdt_tss[2 * cpu + 1] = base >> 32;
	__asm__ volatile("ltr %w0" :: "r"(SEL_TSS(cpu)));
	__asm__ volatile("lidt %0" :: "m"(idt_ptr));
}

/* Fill the IDT (from CPL3, see rt.h): every vector goes to its stub in
 * boot.S; only the service vector can be raised from CPL3. */
void idt_fill(void)
{
	for (int v = 0; v < 256; v++) {
		uint64_t a = (uint64_t)isr_stubs + 16 * v;
		idt[v] = (struct idt_gate){
			.off_lo = a & 0xffff, .sel = SEL_KCODE64, .ist = 0,
			.type_attr = v == VEC_SVC ? 0xee : 0x8e,
			.off_mid = a >> 16 & 0xffff, .off_hi = a >> 32,
		};
	}
}

void irq_register(unsigned vector, irq_handler_fn *fn, void *arg)
{
	irq_table[vector].arg = arg;
	barrier();
	irq_table[vector].fn = fn;
}

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "09", "#TS",
	"#NP", "#SS", "#GP", "#PF", "15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

__attribute__((noreturn)) static void triple_fault(void)
{
	static const struct __attribute__((packed)) { uint16_t limit; uint64_t base; } none = { 0, 0 };
	__asm__ volatile("lidt %0; int3" :: "m"(none));
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* An exception is a test failure: report it and stop the VM from CPL0. */
__attribute__((noreturn)) static void exception(struct irq_frame *f)
{
	uint64_t cr2;
	const char *name = exc_names[f->vector] ? exc_names[f->vector] : "?";

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	fail("exception", "vector=%lu (%s) error=0x%lx rip=0x%lx cs=0x%lx rsp=0x%lx cr2=0x%lx rflags=0x%lx",
	     f->vector, name, f->error, f->rip, f->cs, f->rsp, cr2, f->rflags);
	if (strcmp(param_str("exit", ""), "isa-debug") == 0)
		outb(0xf4, 1);
	outb(0x64, 0xfe);
	triple_fault();
}

static void service(struct irq_frame *f)
{
	switch (f->rax) {
	case SVC_STI:
		f->rflags |= 0x200;
		break;
	case SVC_CLI:
		f->rflags &= ~0x200ull;
		break;
	case SVC_HALT_FOREVER:
		for (;;)
			__asm__ volatile("cli; hlt");
	case SVC_SPIN: {
		/* the calibration loop: two instructions per iteration */
		uint64_t n = f->rdi ? f->rdi : 1, t0 = rdtsc();
		__asm__ volatile("1: dec %0; jnz 1b" : "+r"(n));
		f->rax = rdtsc() - t0;
		break;
	}
	case SVC_TRIPLE_FAULT:
		triple_fault();
	case SVC_WAIT_IRQ:
		/* the interrupt nests on this stack, then we return to CPL3 */
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		break;
	default:
		f->rax = (uint64_t)-1;
	}
}

void isr_dispatch(struct irq_frame *f);
void isr_dispatch(struct irq_frame *f)
{
	unsigned v = f->vector;

	if (v == VEC_SVC) {
		service(f);
		return;
	}
	if (v < 32)
		exception(f);
	__atomic_add_fetch(&irq_count[v], 1, __ATOMIC_RELAXED);
	if ((f->cs & 3) == 3)
		__atomic_add_fetch(&irq_from_cpl3[v], 1, __ATOMIC_RELAXED);
	if (irq_table[v].fn) {
		irq_table[v].fn(f, irq_table[v].arg);
	} else if (v != VEC_SPURIOUS) {
		irq_unexpected++;
		irq_unexpected_vec = v;
	}
	if (v != VEC_SPURIOUS)	/* a spurious interrupt takes no EOI */
		lapic_write(LAPIC_EOI, 0);
}
