# Machina - one Makefile. The core (everything under src/ but the frontend) is
# built as a static library, build/libmachina.a, that the `machina` command
# and every test link.
CC       ?= gcc
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
            -fno-strict-aliasing -fno-common -D_GNU_SOURCE -MMD -MP -Isrc
# libslirp is dlopen()ed when a VM uses --net user (net_slirp.c)
LDLIBS   += -lfdt -lpthread -ldl

LIB_SRCS := $(shell find src -name '*.c' -not -path 'src/frontend/*' | sort)
CLI_SRCS := $(shell find src/frontend -name '*.c' | sort)
LIB_OBJS := $(patsubst src/%.c,build/obj/%.o,$(LIB_SRCS))
CLI_OBJS := $(patsubst src/%.c,build/obj/%.o,$(CLI_SRCS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRCS))

all: build/machina
.PHONY: all test unit isa kvm boot image run check-globals bench clean

build/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# threaded dispatch: keep one indirect jump per handler (GCC manual, "Labels as Values")
build/obj/cpu/rv64/exec.o: CFLAGS += -fno-gcse -fno-crossjumping

build/libmachina.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# the default guest image's cache id (hash of its recipe), for `machina run`
# with no arguments; rewritten only when it changes
build/gen/image_id.h: FORCE
	@mkdir -p $(dir $@)
	@id=$$(basename "$$(bash images/riscv64/build.sh --print-path 2>/dev/null)" | sed 's/^riscv64-//'); \
	 x86=$$(basename "$$(bash images/x86_64/build.sh --print-path 2>/dev/null)" | sed 's/^x86_64-//'); \
	 { echo "#define MACHINA_IMAGE_ID \"$${id:-unknown}\""; \
	   echo "#define MACHINA_X86_IMAGE_ID \"$${x86:-unknown}\""; } > $@.tmp; \
	 if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
FORCE:
.PHONY: FORCE

build/obj/frontend/main.o: build/gen/image_id.h
build/obj/frontend/main.o: CFLAGS += -include build/gen/image_id.h

build/machina: $(CLI_OBJS) build/libmachina.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJS) build/libmachina.a $(LDLIBS)

build/tests/%: tests/unit/%.c build/libmachina.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< build/libmachina.a -lcmocka $(LDLIBS) -lm

include tests/isa/isa.mk
include tests/kvm/guests.mk

build/tests/multi_vm: tests/multi/multi_vm.c build/libmachina.a build/tests/htif_fail.elf
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< build/libmachina.a $(LDLIBS)

build/tests/htif_fail.elf: tests/multi/htif_fail.S $(ISA_COMMON)
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_CFLAGS) -o $@ tests/isa/common/crt.S $<

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

# The core and engines must not have writable globals: many VMs share a process.
check-globals: build/libmachina.a
	tests/check_globals.sh build/libmachina.a

isa: build/machina isa-elfs
	tests/isa/run.sh build/machina $(ISA_ELFS)

# the default guest (Linux + busybox), cached outside the checkout
image:
	bash images/riscv64/build.sh

# build everything and boot the default guest on this terminal
run: all image
	build/machina run

boot: build/machina isa-elfs image build/tests/multi_vm build/tests/interp_pause build/kvm/compute.elf build/kvm/calib.elf
	tests/boot/run.sh

# x86-64 KVM engine: tiny PVH guests doing their work at CPL3 (skipped, with
# the reason, where /dev/kvm is not usable)
kvm: build/machina kvm-guests build/tests/kvm_pause
	build/tests/kvm_pause build/kvm/compute.elf
	tests/kvm/run.sh machina

build/tests/interp_pause: tests/engine/interp_pause.c build/libmachina.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< build/libmachina.a $(LDLIBS)

build/tests/kvm_pause: tests/engine/kvm_pause.c build/libmachina.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< build/libmachina.a $(LDLIBS)

test: all check-globals unit isa kvm boot

bench: build/machina
	bench/cpu_bench.sh

clean:
	rm -rf build

-include $(shell find build/obj -name '*.d' 2>/dev/null)

# the KVM start-up benchmark's guest (bench/kvm_bench.py)
build/bench/tiny.elf: bench/kvm/tiny.S bench/kvm/tiny.ld
	@mkdir -p $(dir $@)
	$(CC) -c -o $@.o $<
	ld -m elf_x86_64 -z max-page-size=4096 -T bench/kvm/tiny.ld -o $@ $@.o
build/bench/tiny-hold.elf: bench/kvm/tiny.S bench/kvm/tiny.ld
	@mkdir -p $(dir $@)
	$(CC) -DHOLD -c -o $@.o $<
	ld -m elf_x86_64 -z max-page-size=4096 -T bench/kvm/tiny.ld -o $@ $@.o
