#!/bin/bash
# In-guest CPU benchmark: the benchmark image's /bench.sh (busybox sha256sum
# and gzip, xz cross-built from Debian's xz-utils, over generated data) under
# Machina and under Debian's qemu-system-riscv64 -M virt (same kernel,
# initramfs, OpenSBI, memory), interleaved. Times are measured inside the
# guest; the result is speed = qemu_ms / machina_ms per workload (higher is
# better for Machina; target >= 0.5 for the interpreter).
#
# Environment: MACHINA, QEMU, BENCH_IMAGE_DIR (default: images/riscv64/build.sh
# --bench --print-path), GUEST_BENCH_RUNS (default 3), GUEST_BENCH_MIB (default 8).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
machina=${MACHINA:-$root/build/machina}
qemu=${QEMU:-qemu-system-riscv64}
runs=${GUEST_BENCH_RUNS:-3}
mib=${GUEST_BENCH_MIB:-8}
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
die() { echo "guest-cpu-bench: ERROR: $*" >&2; exit 1; }
command -v "$qemu" >/dev/null || die "$qemu not found: apt-get install qemu-system-misc"
dir=${BENCH_IMAGE_DIR:-$(bash "$root/images/riscv64/build.sh" --bench --print-path 2>/dev/null)} ||
	die "benchmark image not built: run images/riscv64/build.sh --bench"
K=$dir/Image; I=$dir/initramfs.cpio.gz
[ -f "$K" ] && [ -f "$I" ] || die "no Image / initramfs.cpio.gz in $dir"
append="console=ttyS0 quiet -- /bench.sh $mib"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

one() {	# one NAME OUTFILE CMD...
	local name=$1 out=$2; shift 2
	timeout 600 "$@" </dev/null >"$out" 2>&1 || die "$name failed: $(tail -3 "$out")"
	grep -q "machina-bench: total" "$out" || die "$name: no benchmark output: $(tail -3 "$out")"
	grep -q "out=FAIL" "$out" && die "$name: a round trip failed"
	return 0
}
for i in $(seq 1 "$runs"); do
	one machina "$tmp/m$i" "$machina" run --memory 256M --kernel "$K" --initrd "$I" --append "$append"
	one qemu "$tmp/q$i" "$qemu" -M virt -m 256M -nographic -bios "$fw" -kernel "$K" -initrd "$I" -append "$append"
	echo "guest-cpu-bench: run $i: machina total $(grep -o 'total ms=[0-9]*' "$tmp/m$i" | cut -d= -f2) ms, qemu total $(grep -o 'total ms=[0-9]*' "$tmp/q$i" | cut -d= -f2) ms"
done
median() { sort -n | awk '{v[NR]=$1} END{if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
for w in gen sha256sum gzip xz gunzip unxz total; do
	m=$(cat "$tmp"/m* | grep -o "machina-bench: $w ms=[0-9]*" | cut -d= -f2 | median)
	q=$(cat "$tmp"/q* | grep -o "machina-bench: $w ms=[0-9]*" | cut -d= -f2 | median)
	echo "guest-cpu-bench: $w: machina $m ms, qemu $q ms, speed $(awk -v a="$m" -v b="$q" 'BEGIN{printf "%.2f", b/a}')x of qemu (target >= 0.5x)"
done
