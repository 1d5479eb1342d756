# Build rules for the x86-64 KVM test guests (tests/kvm/README.md), meant to
# be included by the top Makefile: `make kvm-guests` builds
# build/kvm/<test>.elf for every tests/kvm/<test>.c. Host gcc and binutils,
# freestanding, linked at 1 MiB with a Xen PVH entry note.
# Included anywhere, this file leaves the default goal alone.
kvm_saved_goal   := $(.DEFAULT_GOAL)
KVM_GUEST_CC     ?= gcc
KVM_GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter \
                    -ffreestanding -fno-builtin -nostdlib -static -fno-pic -fno-pie -no-pie \
                    -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
                    -fno-asynchronous-unwind-tables -fno-exceptions -fcf-protection=none \
                    -Itests/kvm \
                    -T tests/kvm/rt/link.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
                    -Wl,-z,noexecstack -Wl,-z,max-page-size=4096
KVM_GUEST_RT     := tests/kvm/rt/boot.S tests/kvm/rt/kernel.c tests/kvm/rt/rt.c \
                    tests/kvm/rt/print.c tests/kvm/rt/apic.c tests/kvm/rt/virtio.c
KVM_GUEST_DEPS   := $(KVM_GUEST_RT) tests/kvm/rt/rt.h tests/kvm/rt/virtio.h \
                    tests/kvm/rt/link.ld tests/kvm/guests.mk
KVM_GUEST_SRCS   := $(wildcard tests/kvm/*.c)
KVM_GUEST_ELFS   := $(patsubst tests/kvm/%.c,build/kvm/%.elf,$(KVM_GUEST_SRCS))

build/kvm/%.elf: tests/kvm/%.c $(KVM_GUEST_DEPS)
	@mkdir -p $(dir $@)
	$(KVM_GUEST_CC) $(KVM_GUEST_CFLAGS) -o $@ $(KVM_GUEST_RT) $<

kvm-guests: $(KVM_GUEST_ELFS)
.PHONY: kvm-guests

.DEFAULT_GOAL := $(kvm_saved_goal)
