# Machina - one Makefile. The core (everything under src/ but the frontend) is
# built as a static library, build/libmachina.a, that the `machina` command
# and every test link.
CC       ?= gcc
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
            -fno-strict-aliasing -fno-common -D_GNU_SOURCE -MMD -MP -Isrc
LDLIBS   += -lfdt -lslirp -lm -lpthread

LIB_SRCS := $(shell find src -name '*.c' -not -path 'src/frontend/*' | sort)
CLI_SRCS := $(shell find src/frontend -name '*.c' | sort)
LIB_OBJS := $(patsubst src/%.c,build/obj/%.o,$(LIB_SRCS))
CLI_OBJS := $(patsubst src/%.c,build/obj/%.o,$(CLI_SRCS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRCS))

all: build/machina
.PHONY: all test unit isa boot check-globals bench clean

build/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# threaded dispatch: keep one indirect jump per handler (GCC manual, "Labels as Values")
build/obj/cpu/rv64/exec.o: CFLAGS += -fno-gcse -fno-crossjumping

build/libmachina.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

build/machina: $(CLI_OBJS) build/libmachina.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJS) build/libmachina.a $(LDLIBS)

build/tests/%: tests/unit/%.c build/libmachina.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< build/libmachina.a -lcmocka $(LDLIBS)

include tests/isa/isa.mk

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

# The core and engines must not have writable globals: many VMs share a process.
check-globals: build/libmachina.a
	tests/check_globals.sh build/libmachina.a

isa: build/machina isa-elfs
	tests/isa/run.sh build/machina $(ISA_ELFS)

boot: build/machina isa-elfs
	tests/boot/run.sh

test: all check-globals unit isa boot

bench: build/machina
	bench/cpu_bench.sh

clean:
	rm -rf build

-include $(shell find build/obj -name '*.d' 2>/dev/null)
