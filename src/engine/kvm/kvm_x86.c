/* kvm_x86.c - x86-64 vCPU set-up (see kvm_x86.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include "engine/kvm/kvm_x86.h"
#include "machine/x86_boot.h"

#define CPUID_MAX_ENTRIES 256	/* KVM reports ~60 leaves; retried larger on E2BIG */

#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_1_EDX_HTT (1u << 28)
#define KVM_CPUID_SIGNATURE_LEAF 0x40000000u
#define KVM_CPUID_FEATURES_LEAF 0x40000001u

int kvm_x86_supported_cpuid(int sys_fd, struct kvm_cpuid2 **out)
{
	for (unsigned n = CPUID_MAX_ENTRIES; n <= 4 * CPUID_MAX_ENTRIES; n *= 2) {
		/* room for two leaves we may add */
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + (n + 2) * sizeof(c->entries[0]));

		if (!c)
			return -ENOMEM;
		c->nent = n;
		if (ioctl(sys_fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
			*out = c;
			return 0;
		}
		free(c);
		if (errno != E2BIG)
			return -errno;
	}
	return -E2BIG;
}

static struct kvm_cpuid_entry2 *find_leaf(struct kvm_cpuid2 *c, uint32_t fn, uint32_t index)
{
	for (uint32_t i = 0; i < c->nent; i++)
		if (c->entries[i].function == fn &&
		    (!(c->entries[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
		     c->entries[i].index == index))
			return &c->entries[i];
	return NULL;
}

void kvm_x86_patch_cpuid(struct kvm_cpuid2 *c, unsigned capacity, int id, int nr)
{
	struct kvm_cpuid_entry2 *e;

	for (uint32_t i = 0; i < c->nent; i++) {
		e = &c->entries[i];
		switch (e->function) {
		case 1:
			/* initial APIC id, logical processors per package */
			e->ebx = (e->ebx & 0x0000ffffu) | ((uint32_t)id << 24) |
				 ((uint32_t)(nr > 255 ? 255 : nr) << 16);
			e->ecx |= CPUID_1_ECX_HYPERVISOR;
			if (nr > 1)
				e->edx |= CPUID_1_EDX_HTT;
			break;
		case 0xb:
		case 0x1f:
			e->edx = (uint32_t)id;	/* x2APIC id */
			break;
		default:
			break;
		}
	}
	/* the KVM paravirtual leaves (kvm-clock, PV EOI, ...) */
	e = find_leaf(c, KVM_CPUID_SIGNATURE_LEAF, 0);
	if (!e && c->nent < capacity) {
		e = &c->entries[c->nent++];
		memset(e, 0, sizeof(*e));
		e->function = KVM_CPUID_SIGNATURE_LEAF;
	}
	if (e) {
		e->eax = KVM_CPUID_FEATURES_LEAF;
		memcpy(&e->ebx, "KVMK", 4);
		memcpy(&e->ecx, "VMKV", 4);
		memcpy(&e->edx, "M\0\0\0", 4);
	}
	if (!find_leaf(c, KVM_CPUID_FEATURES_LEAF, 0) && c->nent < capacity) {
		e = &c->entries[c->nent++];
		memset(e, 0, sizeof(*e));
		e->function = KVM_CPUID_FEATURES_LEAF;
	}
}

static void seg_to_kvm(const struct x86_seg *s, struct kvm_segment *k)
{
	*k = (struct kvm_segment){
		.base = s->base, .limit = s->limit, .selector = s->selector, .type = s->type,
		.present = s->present, .dpl = s->dpl, .db = s->db, .s = s->s, .l = s->l,
		.g = s->g, .avl = s->avl, .unusable = s->unusable,
	};
}

void kvm_x86_boot_regs(const struct x86_cpu_init *b, struct kvm_regs *regs, struct kvm_sregs *sregs)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = b->rip;
	regs->rsp = b->rsp;
	regs->rflags = b->rflags ? b->rflags : 2;	/* bit 1 is always set */
	regs->rax = b->rax;
	regs->rbx = b->rbx;
	regs->rcx = b->rcx;
	regs->rdx = b->rdx;
	regs->rsi = b->rsi;
	regs->rdi = b->rdi;
	regs->rbp = b->rbp;
	seg_to_kvm(&b->cs, &sregs->cs);
	seg_to_kvm(&b->ds, &sregs->ds);
	seg_to_kvm(&b->es, &sregs->es);
	seg_to_kvm(&b->fs, &sregs->fs);
	seg_to_kvm(&b->gs, &sregs->gs);
	seg_to_kvm(&b->ss, &sregs->ss);
	seg_to_kvm(&b->tr, &sregs->tr);
	seg_to_kvm(&b->ldt, &sregs->ldt);
	sregs->gdt.base = b->gdt.base;
	sregs->gdt.limit = b->gdt.limit;
	sregs->idt.base = b->idt.base;
	sregs->idt.limit = b->idt.limit;
	sregs->cr0 = b->cr0;
	sregs->cr3 = b->cr3;
	sregs->cr4 = b->cr4;
	sregs->efer = b->efer;
}

/* MSRs a booting Linux expects in a defined state (as Firecracker sets) */
static const struct {
	uint32_t index;
	uint64_t value;
} boot_msrs[] = {
	{ 0x174, 0 },			/* IA32_SYSENTER_CS */
	{ 0x175, 0 },			/* IA32_SYSENTER_ESP */
	{ 0x176, 0 },			/* IA32_SYSENTER_EIP */
	{ 0xc0000081, 0 },		/* STAR */
	{ 0xc0000082, 0 },		/* LSTAR */
	{ 0xc0000083, 0 },		/* CSTAR */
	{ 0xc0000084, 0 },		/* SYSCALL_MASK */
	{ 0xc0000102, 0 },		/* KERNEL_GS_BASE */
	{ 0x10, 0 },			/* TSC */
	{ 0x1a0, 1 },			/* MISC_ENABLE: fast strings */
	{ 0x2ff, (1u << 11) | 6 },	/* MTRR_DEF_TYPE: MTRRs on, write-back */
};

#define NR_BOOT_MSRS (sizeof(boot_msrs) / sizeof(boot_msrs[0]))

static int set_msrs(int fd)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[NR_BOOT_MSRS];
	} m;
	int r;

	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = NR_BOOT_MSRS;
	for (size_t i = 0; i < NR_BOOT_MSRS; i++) {
		m.e[i].index = boot_msrs[i].index;
		m.e[i].data = boot_msrs[i].value;
	}
	r = ioctl(fd, KVM_SET_MSRS, &m);
	if (r < 0)
		return -errno;
	return r == (int)NR_BOOT_MSRS ? 0 : -EINVAL;
}

/* local APIC: LINT0 delivers ExtINT (the PIC), LINT1 NMI, as a PC's BIOS
 * leaves them */
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_MODE_EXTINT 0x7
#define APIC_MODE_NMI 0x4

static void lapic_set_mode(struct kvm_lapic_state *l, unsigned reg, uint32_t mode)
{
	uint32_t v;

	memcpy(&v, l->regs + reg, 4);
	v = (v & ~0x700u) | (mode << 8);
	memcpy(l->regs + reg, &v, 4);
}

int kvm_x86_setup_vcpu(int fd, const struct kvm_cpuid2 *supported, int id, int nr,
		       const struct x86_cpu_init *boot, char *err, size_t errlen)
{
	size_t size = sizeof(*supported) + (supported->nent + 2) * sizeof(supported->entries[0]);
	struct kvm_cpuid2 *c = malloc(size);
	struct kvm_lapic_state lapic;
	struct kvm_fpu fpu;
	const char *what;
	int ret;

	if (!c)
		return -ENOMEM;
	memcpy(c, supported, sizeof(*supported) + supported->nent * sizeof(supported->entries[0]));
	kvm_x86_patch_cpuid(c, supported->nent + 2, id, nr);
	what = "KVM_SET_CPUID2";
	if (ioctl(fd, KVM_SET_CPUID2, c) < 0)
		goto fail_errno;
	what = "KVM_SET_MSRS";
	ret = set_msrs(fd);
	if (ret)
		goto fail;
	memset(&fpu, 0, sizeof(fpu));
	fpu.fcw = 0x37f;	/* FINIT state */
	fpu.mxcsr = 0x1f80;	/* all SSE exceptions masked */
	what = "KVM_SET_FPU";
	if (ioctl(fd, KVM_SET_FPU, &fpu) < 0)
		goto fail_errno;
	what = "KVM_GET_LAPIC";
	if (ioctl(fd, KVM_GET_LAPIC, &lapic) < 0)
		goto fail_errno;
	lapic_set_mode(&lapic, APIC_LVT_LINT0, APIC_MODE_EXTINT);
	lapic_set_mode(&lapic, APIC_LVT_LINT1, APIC_MODE_NMI);
	what = "KVM_SET_LAPIC";
	if (ioctl(fd, KVM_SET_LAPIC, &lapic) < 0)
		goto fail_errno;
	if (boot) {
		struct kvm_regs regs;
		struct kvm_sregs sregs;

		what = "KVM_GET_SREGS";
		if (ioctl(fd, KVM_GET_SREGS, &sregs) < 0)
			goto fail_errno;
		kvm_x86_boot_regs(boot, &regs, &sregs);
		what = "KVM_SET_SREGS";
		if (ioctl(fd, KVM_SET_SREGS, &sregs) < 0)
			goto fail_errno;
		what = "KVM_SET_REGS";
		if (ioctl(fd, KVM_SET_REGS, &regs) < 0)
			goto fail_errno;
	}
	free(c);
	return 0;
fail_errno:
	ret = -errno;
fail:
	snprintf(err, errlen, "vCPU %d: %s failed: %s", id, what, strerror(-ret));
	free(c);
	return ret;
}
