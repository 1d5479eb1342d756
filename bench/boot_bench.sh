#!/bin/bash
# Boot benchmark: the default guest (same kernel, initramfs, OpenSBI and
# memory) under Machina and under Debian's qemu-system-riscv64 -M virt,
# interleaved. For each run: the time init reads from /proc/uptime (boot to
# init, guest clock), the whole process's wall time (start to power-off) and
# its peak RSS. Prints medians and the ratios machina/qemu.
#
# Environment: MACHINA, QEMU, IMAGE_DIR (default: the cached default image),
# BOOT_BENCH_RUNS (default 5), BOOT_BENCH_MEMORY (default 256M).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
machina=${MACHINA:-$root/build/machina}
qemu=${QEMU:-qemu-system-riscv64}
runs=${BOOT_BENCH_RUNS:-5}
mem=${BOOT_BENCH_MEMORY:-256M}
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
die() { echo "boot-bench: ERROR: $*" >&2; exit 1; }
command -v "$qemu" >/dev/null || die "$qemu not found: apt-get install qemu-system-misc"
[ -x /usr/bin/time ] || die "/usr/bin/time not found: apt-get install time"
dir=${IMAGE_DIR:-$("$root/images/riscv64/build.sh" --print-path 2>/dev/null)} ||
	die "default image not built: run images/riscv64/build.sh"
K=$dir/Image; I=$dir/initramfs.cpio.gz
append="console=ttyS0 -- cat /proc/uptime"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

one() {	# one NAME CMD...: prints "uptime wall_s rss_kb"
	local name=$1; shift
	local t0 t1
	t0=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$tmp/rss" timeout 120 "$@" </dev/null >"$tmp/out" 2>&1 ||
		die "$name failed: $(tail -3 "$tmp/out")"
	t1=$(date +%s%N)
	local up
	up=$(grep -aEo '^[0-9]+\.[0-9]+ [0-9]+\.[0-9]+' "$tmp/out" | head -1 | cut -d' ' -f1)
	[ -n "$up" ] || die "$name: no /proc/uptime line in the console"
	echo "$up $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}') $(cat "$tmp/rss")"
}
median() { sort -g | awk '{v[NR]=$1} END{if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }

: >"$tmp/m"; : >"$tmp/q"
for i in $(seq 1 "$runs"); do
	m=$(one machina "$machina" run --memory "$mem" --kernel "$K" --initrd "$I" --append "$append") || exit 1
	q=$(one qemu "$qemu" -M virt -m "$mem" -nographic -bios "$fw" -kernel "$K" -initrd "$I" -append "$append") || exit 1
	echo "boot-bench: run $i: machina init at $(cut -d' ' -f1 <<<"$m") s, wall $(cut -d' ' -f2 <<<"$m") s, rss $(( $(cut -d' ' -f3 <<<"$m") / 1024 )) MiB | qemu init at $(cut -d' ' -f1 <<<"$q") s, wall $(cut -d' ' -f2 <<<"$q") s, rss $(( $(cut -d' ' -f3 <<<"$q") / 1024 )) MiB"
	echo "$m" >>"$tmp/m"; echo "$q" >>"$tmp/q"
done
for k in 1 2 3; do
	mm=$(cut -d' ' -f$k "$tmp/m" | median); qq=$(cut -d' ' -f$k "$tmp/q" | median)
	r=$(awk -v a="$mm" -v b="$qq" 'BEGIN{printf "%.2f", a/b}')
	case $k in
	1) echo "boot-bench: boot to init (guest /proc/uptime): machina $mm s, qemu $qq s, ratio ${r}x (target <= 1.0x)";;
	2) echo "boot-bench: process wall time to power-off: machina $mm s, qemu $qq s, ratio ${r}x (target <= 1.0x)";;
	3) echo "boot-bench: peak RSS at --memory $mem: machina $((mm / 1024)) MiB, qemu $((qq / 1024)) MiB, ratio ${r}x (target <= 0.5x)";;
	esac
done
