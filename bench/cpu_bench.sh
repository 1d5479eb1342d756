#!/bin/bash
# Machina CPU benchmark: run the same bare-metal ELF (bench/cpu) under Machina
# and under QEMU (qemu-system-riscv64 -M spike), interleaved, and compare the
# median wall times of the whole processes.
#
# Environment:
#   MACHINA            Machina binary (default build/machina)
#   QEMU               QEMU binary (default qemu-system-riscv64)
#   CPU_BENCH_RUNS     runs per emulator (default 5)
#   CPU_BENCH_ITERS    benchmark rounds, compiled into the ELF (default: the
#                      ELF's own default, about 4 s under QEMU)
#   CPU_BENCH_ELF      use this ELF instead of building one
#   CPU_BENCH_TIMEOUT  seconds before one run is killed (default 120)
#   CPU_BENCH_TARGET   ratio machina/qemu to aim for (default 2.0)
#   CPU_BENCH_ENFORCE  1: also fail when the ratio is above the target
#   RV_CC              RISC-V cross compiler (default riscv64-unknown-elf-gcc)
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${CPU_BENCH_RUNS:-5}
iters=${CPU_BENCH_ITERS:-}
tmo=${CPU_BENCH_TIMEOUT:-120}
target=${CPU_BENCH_TARGET:-2.0}
machina=${MACHINA:-$root/build/machina}
qemu=${QEMU:-qemu-system-riscv64}
rv_cc=${RV_CC:-riscv64-unknown-elf-gcc}

die() { echo "cpu-bench: ERROR: $*" >&2; exit 1; }

case $runs in ''|*[!0-9]*|0) die "CPU_BENCH_RUNS must be a positive integer (got '$runs')";; esac
case $iters in *[!0-9]*) die "CPU_BENCH_ITERS must be a positive integer (got '$iters')";; esac
case $tmo in ''|*[!0-9]*|0) die "CPU_BENCH_TIMEOUT must be a positive integer (got '$tmo')";; esac

# --- tools ------------------------------------------------------------------
command -v "$qemu" >/dev/null 2>&1 ||
	die "$qemu not found; install it with: apt-get install qemu-system-misc"
case $machina in */*) [ -x "$machina" ] ;; *) command -v "$machina" >/dev/null 2>&1 ;; esac ||
	die "Machina binary '$machina' not found or not executable (build it with: make, or set MACHINA=...)"
command -v timeout >/dev/null 2>&1 || die "timeout (coreutils) not found"
t=$(date +%s%N)
case $t in *N|'') die "date +%s%N is not supported here (GNU date needed)";; esac

# --- build the ELF if needed ------------------------------------------------
if [ -n "${CPU_BENCH_ELF:-}" ]; then
	elf=$CPU_BENCH_ELF
	[ -f "$elf" ] || die "CPU_BENCH_ELF=$elf does not exist"
else
	if [ -n "$iters" ]; then
		elf=$root/build/bench/cpu-$iters.elf
		iters_flag=-DITERS=$iters
	else
		elf=$root/build/bench/cpu.elf
		iters_flag=
	fi
	common=$root/tests/isa/common
	srcs="$common/crt.S $common/libtest.c $root/bench/cpu/*.c"
	deps="$srcs $root/bench/cpu/bench.h $common/link.ld $common/libtest.h $common/test.h $0"
	need=0
	if [ ! -f "$elf" ]; then
		need=1
	else
		for f in $deps; do
			[ "$f" -nt "$elf" ] && need=1
		done
	fi
	if [ $need = 1 ]; then
		command -v "$rv_cc" >/dev/null 2>&1 ||
			die "$rv_cc not found; install it with: apt-get install gcc-riscv64-unknown-elf"
		mkdir -p "$(dirname "$elf")" || die "cannot create $(dirname "$elf")"
		echo "cpu-bench: building $elf"
		# flags as tests/isa/isa.mk, plus: no strict aliasing (the word copy in
		# mem.c) and no loop-to-memcpy rewriting (mem.c defines memcpy itself)
		# shellcheck disable=SC2086
		"$rv_cc" -march=rv64gc_zicsr_zifencei -mabi=lp64d -mcmodel=medany -static \
			-nostdlib -nostartfiles -ffreestanding -O2 \
			-fno-strict-aliasing -fno-tree-loop-distribute-patterns \
			-Wall -Wextra -I"$common" -T "$common/link.ld" -Wl,--no-warn-rwx-segments \
			$iters_flag -o "$elf.tmp" $srcs || die "building the benchmark failed"
		mv -f "$elf.tmp" "$elf" || die "cannot write $elf"
	fi
fi

# --- run --------------------------------------------------------------------
out=$(mktemp "${TMPDIR:-/tmp}/cpu-bench.XXXXXX") || die "mktemp failed"
trap 'rm -f "$out"' EXIT

# run_one NAME: run the ELF once under NAME, print the time, append it to
# the NAME list; exit non-zero if the run fails
machina_times=
qemu_times=
run_one() {
	local name=$1 i=$2 t0 t1 rc ns secs
	t0=$(date +%s%N)
	if [ "$name" = machina ]; then
		timeout "$((tmo + 10))" "$machina" run --firmware "$elf" --timeout "$tmo" \
			</dev/null >"$out" 2>&1
	else
		timeout "$tmo" "$qemu" -M spike -bios none -nographic -kernel "$elf" \
			</dev/null >"$out" 2>&1
	fi
	rc=$?
	t1=$(date +%s%N)
	ns=$((t1 - t0))
	secs=$(awk -v n="$ns" 'BEGIN { printf "%.3f", n / 1e9 }')
	if [ $rc -ne 0 ] || grep -q 'cpu-bench: FAIL' "$out" ||
		{ [ "$name" = qemu ] && ! grep -q 'cpu-bench: ok' "$out"; }; then
		echo "cpu-bench: run $i: $name FAILED after $secs s (exit $rc$([ $rc = 124 ] && echo ", timed out"))" >&2
		sed 's/^/    /' "$out" | tail -n 20 >&2
		exit 1
	fi
	printf 'cpu-bench: run %d: %-7s %s s\n' "$i" "$name" "$secs"
	if [ "$i" = 1 ]; then
		# the guest's own report, once per emulator
		grep 'cpu-bench: ok' "$out" | tr -d '\r' | sed "s/^/    [$name] /"
	fi
	eval "${name}_times=\"\$${name}_times $ns\""
}

median() { # nanosecond values -> median in seconds
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
		END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%.2f", m / 1e9 }'
}

echo "cpu-bench: $elf, $runs runs each, machina=$machina, qemu=$qemu"
for i in $(seq 1 "$runs"); do
	run_one machina "$i"
	run_one qemu "$i"
done

# shellcheck disable=SC2086
m=$(median $machina_times)
# shellcheck disable=SC2086
q=$(median $qemu_times)
ratio=$(awk -v m="$m" -v q="$q" 'BEGIN { printf "%.2f", (q > 0) ? m / q : 0 }')
echo "cpu-bench: machina median $m s, qemu median $q s, ratio ${ratio}x (target <= ${target}x)"
if awk -v r="$ratio" -v t="$target" 'BEGIN { exit !(r > t) }'; then
	echo "cpu-bench: ratio above target"
	[ "${CPU_BENCH_ENFORCE:-0}" = 1 ] && exit 2
fi
exit 0
