/* kvm_x86.h - x86-64 vCPU set-up for the KVM engine: CPUID, MSRs, FPU,
 * local APIC and the boot register state. */
#ifndef MACHINA_ENGINE_KVM_X86_H
#define MACHINA_ENGINE_KVM_X86_H

#include <stddef.h>

#include "core/types.h"

struct kvm_cpuid2;
struct kvm_sregs;
struct kvm_regs;
struct x86_cpu_init;

/* KVM_GET_SUPPORTED_CPUID into a malloc'd table (free() it) */
int must_check kvm_x86_supported_cpuid(int sys_fd, struct kvm_cpuid2 **out);

/* Patch a copy of the supported CPUID for vCPU `id` of `nr`: APIC ids
 * (leaves 1, 0xb, 0x1f), the hypervisor bit, the KVM signature leaves
 * (0x40000000 "KVMKVMKVM", 0x40000001 features as KVM reports them).
 * c must have room for 2 more entries than it holds. */
void kvm_x86_patch_cpuid(struct kvm_cpuid2 *c, unsigned capacity, int id, int nr);

/* registers from the engine-neutral boot state */
void kvm_x86_boot_regs(const struct x86_cpu_init *b, struct kvm_regs *regs,
		       struct kvm_sregs *sregs);

/* Set up vCPU fd: CPUID, MSRs, FPU, LAPIC LINT0/LINT1; when boot is non-NULL
 * also its registers (the BSP). */
int must_check kvm_x86_setup_vcpu(int fd, const struct kvm_cpuid2 *supported, int id, int nr,
				  const struct x86_cpu_init *boot, char *err, size_t errlen);

#endif
