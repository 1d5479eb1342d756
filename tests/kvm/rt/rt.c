/* rt.c - the CPL3 side of the guest runtime: entry from boot.S, the PVH
 * start info and command line, the end of a test, small libc pieces. */
#include "rt.h"

/* struct hvm_start_info (xen/include/public/arch-x86/hvm/start_info.h),
 * version 1: physical addresses, little endian */
struct hvm_start_info {
	uint32_t magic;			/* 0x336ec578 "xEn3" */
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;		/* NUL-terminated, 0 if none */
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;		/* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};
#define HVM_START_MAGIC 0x336ec578

extern uint32_t pvh_start_info;		/* boot.S: ebx at the entry */
void idt_fill(void);			/* kernel.c */

#define CMDLINE_MAX	4096
#define MAX_WORDS	128
static char cmdline_buf[CMDLINE_MAX];	/* as given */
static char words_buf[CMDLINE_MAX];	/* split at spaces */
static const char *words[MAX_WORDS];
static int nr_words;
const char *cmdline_raw = cmdline_buf;
struct virtio_mmio_desc cmdline_virtio[8];
int cmdline_nr_virtio;

volatile unsigned ap_cpu_index;
volatile unsigned cpus_online = 1;

/* ---- libc pieces (the compiler may also call memset/memcpy itself) */
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

/* CRC-32 as zlib computes it (reflected polynomial 0xedb88320) */
uint32_t crc32(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t table[256];
	const unsigned char *p = buf;

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* DMA memory for virtqueues and buffers: guest-physical = virtual here */
static char dma_pool[512 << 10] __attribute__((aligned(4096)));
static size_t dma_used;

void *dma_alloc(size_t size, size_t align)
{
	size_t at = (dma_used + align - 1) & ~(align - 1);
	if (at + size > sizeof(dma_pool)) {
		fail("rt.dma_alloc", "pool exhausted (%zu bytes asked)", size);
		finish();
	}
	dma_used = at + size;
	return memset(dma_pool + at, 0, size);
}

void spin_lock(volatile int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (*l)
			cpu_relax();
}

void spin_unlock(volatile int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

void delay_ms(uint64_t ms)
{
	uint64_t d = deadline_ms(ms);
	while (!expired(d))
		cpu_relax();
}

/* ---- command line */

/* Linux's memparse: decimal, 0x hex or 0 octal, then an optional K/M/G suffix */
uint64_t parse_u64(const char *s, const char **end)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && s[1] >= '0' && s[1] <= '7')
		base = 8, s++;
	for (;; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	switch (*s) {
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
		s++;
	}
	if (end)
		*end = s;
	return v;
}

/* the value of the last key=value word, or def */
const char *param_str(const char *key, const char *def)
{
	size_t n = strlen(key);
	const char *v = def;

	for (int i = 0; i < nr_words; i++)
		if (strncmp(words[i], key, n) == 0 && words[i][n] == '=')
			v = words[i] + n + 1;
	return v;
}

uint64_t param_u64(const char *key, uint64_t def)
{
	const char *v = param_str(key, 0);
	return v ? parse_u64(v, 0) : def;
}

int param_flag(const char *word)
{
	for (int i = 0; i < nr_words; i++)
		if (strcmp(words[i], word) == 0)
			return 1;
	return 0;
}

/* virtio_mmio.device=<size>@<baseaddr>:<irq>[:<id>], as Linux parses it
 * (drivers/virtio/virtio_mmio.c, vm_cmdline_set) */
static void parse_virtio(const char *v)
{
	const char *p;
	struct virtio_mmio_desc d;

	d.size = parse_u64(v, &p);
	if (*p++ != '@')
		goto bad;
	d.base = parse_u64(p, &p);
	if (*p++ != ':')
		goto bad;
	d.irq = (unsigned)parse_u64(p, &p);
	if ((*p && *p != ':') || !d.size || !d.base)
		goto bad;
	if (cmdline_nr_virtio < (int)(sizeof(cmdline_virtio) / sizeof(cmdline_virtio[0])))
		cmdline_virtio[cmdline_nr_virtio++] = d;
	return;
bad:
	fail("rt.cmdline", "cannot parse virtio_mmio.device=%s", v);
}

static void parse_cmdline(const struct hvm_start_info *si)
{
	const char *src = (const char *)(uintptr_t)si->cmdline_paddr;
	size_t n = 0;

	if (src)
		while (n < CMDLINE_MAX - 1 && src[n])
			n++;
	memcpy(cmdline_buf, src, n);
	cmdline_buf[n] = 0;
	memcpy(words_buf, cmdline_buf, n + 1);
	for (char *p = words_buf; *p && nr_words < MAX_WORDS;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			*p++ = 0;
		if (!*p)
			break;
		words[nr_words++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
	}
	for (int i = 0; i < nr_words; i++)
		if (strncmp(words[i], "virtio_mmio.device=", 19) == 0)
			parse_virtio(words[i] + 19);
}

/* ---- the end of a test */

/* Stop the VM: the i8042 reset (0xfe to port 0x64), Machina's way. Under
 * QEMU microvm, which has no i8042, `exit=isa-debug` on the command line
 * first writes the isa-debug-exit port 0xf4 (QEMU exits with status
 * (value << 1) | 1: 1 when all passed, 3 otherwise). If the VM is still
 * running after that, it is a failure, and a triple fault ends it. */
void vm_stop(void)
{
	if (strcmp(param_str("exit", ""), "isa-debug") == 0)
		outb(0xf4, rt_failures ? 1 : 0);
	outb(0x64, 0xfe);
	delay_ms(2000);
	fail("rt.stop", "the VM still runs 2 s after the i8042 reset (0xfe to port 0x64)");
	svc(SVC_TRIPLE_FAULT, 0);
	for (;;)
		cpu_relax();
}

void finish(void)
{
	if (irq_unexpected)
		fail("rt.irq", "%lu unexpected interrupts (last vector 0x%x)",
		     (uint64_t)irq_unexpected, irq_unexpected_vec);
	print("done\n");
	vm_stop();
}

__attribute__((weak)) void ap_main(unsigned cpu)
{
	(void)cpu;
}

/* boot.S drops every CPU here at CPL3 with IOPL=3 and IF=0 */
void user_entry(unsigned cpu) __attribute__((noreturn));
void user_entry(unsigned cpu)
{
	if (cpu != 0) {
		__atomic_add_fetch(&cpus_online, 1, __ATOMIC_SEQ_CST);
		ap_main(cpu);
		svc(SVC_HALT_FOREVER, 0);
	}
	idt_fill();
	const struct hvm_start_info *si = (const void *)(uintptr_t)pvh_start_info;
	if (si && si->magic == HVM_START_MAGIC)
		parse_cmdline(si);
	serial_init();
	if (!si || si->magic != HVM_START_MAGIC)
		fail("rt.pvh", "no hvm_start_info at ebx=0x%x (magic 0x%x)", pvh_start_info,
		     si ? si->magic : 0);
	if (param_flag("verbose"))
		print("# %s: cmdline \"%s\" start_info 0x%x\n", test_name, cmdline_raw, pvh_start_info);
	test_main();
	finish();
}
