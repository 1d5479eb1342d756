# Build rules for the bare-metal ISA tests (included by the top Makefile).
# Every tests/isa/<group>/<name>.S or .c becomes build/isa/<group>/<name>.elf.
RV_CC      ?= riscv64-unknown-elf-gcc
RV_CFLAGS  := -march=rv64gc_zicsr_zifencei -mabi=lp64d -mcmodel=medany -static \
              -nostdlib -nostartfiles -ffreestanding -O2 \
              -Itests/isa/common -T tests/isa/common/link.ld -Wl,--no-warn-rwx-segments
ISA_SRCS   := $(wildcard tests/isa/*/*.S tests/isa/*/*.c)
ISA_SRCS   := $(filter-out tests/isa/common/%,$(ISA_SRCS))
ISA_ELFS   := $(patsubst tests/isa/%,build/isa/%.elf,$(basename $(ISA_SRCS)))
ISA_COMMON := tests/isa/common/crt.S tests/isa/common/test.h tests/isa/common/link.ld \
              $(wildcard tests/isa/*/*.h)

build/isa/%.elf: tests/isa/%.S $(ISA_COMMON)
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_CFLAGS) -o $@ tests/isa/common/crt.S $<

build/isa/%.elf: tests/isa/%.c $(ISA_COMMON) tests/isa/common/libtest.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_CFLAGS) -o $@ tests/isa/common/crt.S tests/isa/common/libtest.c $<

isa-elfs: $(ISA_ELFS)
.PHONY: isa-elfs
