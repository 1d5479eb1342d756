/* rt.h - the runtime shared by the x86-64 test guests (tests/kvm).
 *
 * A guest is entered through its Xen PVH note in 32-bit protected mode
 * (boot.S), switches to long mode with its own page tables (the first 4 GiB
 * identity-mapped with 2 MiB pages, every page user-accessible), loads its
 * GDT, TSS and IDT register (kernel.c) and drops to CPL3 with IOPL=3 at
 * user_entry() (rt.c), which fills in the IDT and calls the test's
 * test_main().
 *
 * Everything after that runs at CPL3: port I/O directly (IOPL=3, and a TSS
 * I/O permission bitmap allowing every port for hypervisors that ignore
 * IOPL), the local APIC, IOAPIC and virtio-mmio registers through the
 * user-accessible identity map. CPL0 only handles interrupts and exceptions
 * and a handful of services reached with `int3` (svc()): setting or
 * clearing IF, halting, the calibration loop, the last-resort triple fault.
 * `int3`, because the PVM /dev/kvm raises #UD for every `int $n` from CPL3
 * but delivers #BP through a DPL 3 gate (a real breakpoint is not expected
 * here). On that PVM, CPL0 is emulated (~1 M instructions/s) while CPL3
 * runs natively, so CPL0 work is kept to a few dozen instructions.
 *
 * Output protocol (16550 at 0x3f8): one line per check, `ok NAME DETAILS`
 * or `FAIL NAME REASON`, a final `done`, then the VM is stopped by the
 * i8042 reset (0xfe to port 0x64). Lines starting with `#` are comments. */
#ifndef KVM_GUEST_RT_H
#define KVM_GUEST_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_CPUS	8
#define KSTACK_SIZE	16384		/* CPL0 stack per CPU (TSS rsp0) */
#define USTACK_SIZE	65536		/* CPL3 stack per CPU */

/* GDT selectors (boot.S) */
#define SEL_KCODE32	0x08
#define SEL_KCODE64	0x10
#define SEL_KDATA	0x18
#define SEL_UDATA	0x23		/* index 4, RPL 3 */
#define SEL_UCODE64	0x2b		/* index 5, RPL 3 */
#define SEL_TSS(cpu)	(0x30 + 16 * (cpu))

/* IDT vectors */
#define VEC_LAPIC_TIMER	0x30
#define VEC_PIT_PIN0	0x31
#define VEC_PIT_PIN2	0x32
#define VEC_VIRTIO	0x40		/* + index of the device on the command line */
#define VEC_SVC		3		/* #BP: `int3` calls the CPL0 services, DPL 3 gate */
#define VEC_SPURIOUS	0xff

/* ---- port and memory-mapped I/O -------------------------------------- */

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t mmio_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint8_t mmio_read8(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }
static inline void mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static inline uint16_t read_cs(void) { uint16_t v; __asm__ volatile("mov %%cs, %0" : "=r"(v)); return v; }
static inline uint64_t read_rflags(void) { uint64_t v; __asm__ volatile("pushfq; popq %0" : "=r"(v)); return v; }

/* ---- time ---------------------------------------------------------------
 * Bounded waits use the TSC with an assumed rate of TSC_PER_MS (3 GHz): a
 * faster TSC makes the timeouts shorter, a slower one longer. The timeouts
 * are seconds long, far above what a working device needs. */
#define TSC_PER_MS	3000000ull
static inline uint64_t deadline_ms(uint64_t ms) { return rdtsc() + ms * TSC_PER_MS; }
static inline int expired(uint64_t deadline) { return (int64_t)(rdtsc() - deadline) > 0; }
void delay_ms(uint64_t ms);

/* ---- output (rt.c, print.c) ---------------------------------------------- */
int vfmt(char *buf, size_t len, const char *fmt, va_list ap);
int fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* one locked write */
void ok(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void serial_init(void);
void serial_write(const char *s, size_t n);	/* takes the output lock */
extern volatile int rt_failures;		/* FAIL lines printed so far */

/* ---- command line (rt.c) ------------------------------------------------- */
struct virtio_mmio_desc {	/* virtio_mmio.device=<size>@<base>:<irq> */
	uint64_t size, base;
	unsigned irq;		/* GSI */
};
extern struct virtio_mmio_desc cmdline_virtio[8];
extern int cmdline_nr_virtio;
extern const char *cmdline_raw;	/* the whole command line, as given */
const char *param_str(const char *key, const char *def);	/* key=value */
uint64_t param_u64(const char *key, uint64_t def);		/* decimal, 0x.., K/M/G */
int param_flag(const char *word);				/* word present */
uint64_t parse_u64(const char *s, const char **end);		/* memparse-like */

/* ---- CPL0 services (int3, kernel.c): rax = number, rdi = argument, rax
 * returned ---------------------------------------------------------------- */
enum svc {
	SVC_STI = 1,		/* set IF in the caller's rflags */
	SVC_CLI,		/* clear IF */
	SVC_HALT_FOREVER,	/* cli; hlt loop (parked CPUs) */
	SVC_SPIN,		/* arg iterations of `dec; jnz` at CPL0, returns the TSC delta */
	SVC_TRIPLE_FAULT,	/* load an empty IDT and fault: the VM resets */
	SVC_WAIT_IRQ,		/* sti; hlt; cli: wait at CPL0 for the next interrupt */
};
static inline uint64_t svc(enum svc nr, uint64_t arg)
{
	uint64_t ret = nr;
	__asm__ volatile("int3" : "+a"(ret) : "D"(arg) : "memory");
	return ret;
}
static inline void irq_enable(void) { svc(SVC_STI, 0); }
static inline void irq_disable(void) { svc(SVC_CLI, 0); }

/* ---- interrupts (kernel.c) ----------------------------------------------- */
/* the frame isr_common (boot.S) builds: saved caller-saved registers, the
 * vector and error code, then what the CPU pushed */
struct irq_frame {
	uint64_t r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
/* A handler runs at CPL0 with interrupts off and must stay short; the
 * dispatcher sends the local APIC EOI after it for vectors 0x20..0xfe. */
typedef void irq_handler_fn(struct irq_frame *f, void *arg);
void irq_register(unsigned vector, irq_handler_fn *fn, void *arg);
extern volatile uint64_t irq_count[256];	/* per vector, all CPUs */
extern volatile uint64_t irq_from_cpl3[256];	/* of which interrupted CPL3 code */
extern volatile uint64_t irq_unexpected;	/* vectors without a handler */
extern volatile unsigned irq_unexpected_vec;

/* ---- local APIC and IOAPIC (apic.c) -------------------------------------- */
#define LAPIC_BASE	0xfee00000ul
#define IOAPIC_BASE	0xfec00000ul
/* xAPIC registers (offsets in the 4 KiB page at LAPIC_BASE) */
#define LAPIC_ID	0x020	/* bits 31:24 APIC id */
#define LAPIC_VER	0x030
#define LAPIC_TPR	0x080	/* task priority: 0 accepts everything */
#define LAPIC_EOI	0x0b0	/* write 0: end of interrupt */
#define LAPIC_SVR	0x0f0	/* spurious vector, bit 8 = APIC software enable */
#define LAPIC_ESR	0x280
#define LAPIC_ICR_LO	0x300	/* interrupt command: vector, delivery mode, bit 12 busy */
#define LAPIC_ICR_HI	0x310	/* bits 31:24 destination APIC id */
#define LAPIC_LVT_TIMER	0x320	/* vector, bit 16 mask, bits 18:17 mode (01 periodic) */
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERROR	0x370
#define LAPIC_TIMER_ICR	0x380	/* initial count */
#define LAPIC_TIMER_CCR	0x390	/* current count */
#define LAPIC_TIMER_DCR	0x3e0	/* divide configuration: 0xb = divide by 1 */
#define LVT_MASKED	(1u << 16)
#define LVT_PERIODIC	(1u << 17)

static inline uint32_t lapic_read(unsigned reg) { return mmio_read32(LAPIC_BASE + reg); }
static inline void lapic_write(unsigned reg, uint32_t v) { mmio_write32(LAPIC_BASE + reg, v); }
static inline unsigned lapic_id(void) { return lapic_read(LAPIC_ID) >> 24; }
/* enable the local APIC (SVR), accept all priorities, mask LINT0 and the
 * 8259 PICs so only IOAPIC and local interrupts arrive */
void lapic_init(void);
/* send an IPI: ICR high then low; waits (bounded) for the delivery status
 * bit to clear; 0 or -1 on timeout */
int lapic_send_ipi(unsigned apic_id, uint32_t icr_lo);
/* IOAPIC: number of redirection entries, and program one (edge-triggered,
 * active high, fixed delivery to APIC id 0) */
unsigned ioapic_entries(void);
int ioapic_route(unsigned gsi, unsigned vector, int masked);

/* ---- misc (rt.c) -------------------------------------------------------- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
uint32_t crc32(uint32_t crc, const void *buf, size_t len);	/* zlib's CRC-32 */
void *dma_alloc(size_t size, size_t align);	/* zeroed, from a static pool, never freed */
void spin_lock(volatile int *l);
void spin_unlock(volatile int *l);
__attribute__((noreturn)) void finish(void);	/* print `done` and stop the VM */
__attribute__((noreturn)) void vm_stop(void);	/* stop the VM without `done` */

/* ---- SMP (rt.c, boot.S) --------------------------------------------------- */
extern volatile unsigned ap_cpu_index;		/* set before starting an AP */
extern volatile unsigned cpus_online;
extern char ap_tramp_start[], ap_tramp_end[];
#define AP_TRAMP_ADDR	0x8000ul		/* SIPI vector 0x08 */
/* the test's entry point on an AP (weak default: park the CPU) */
void ap_main(unsigned cpu);

/* ---- the test -------------------------------------------------------------- */
/* every guest ELF links one test file defining test_main(); `test=` is only
 * informational. Return to print `done` and stop. */
void test_main(void);
extern const char test_name[];

#endif
