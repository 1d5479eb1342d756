#!/bin/bash
# virtio I/O benchmark: the same guest (kernel, initramfs, OpenSBI, memory)
# and the same virtio-mmio devices under Machina and under Debian's
# qemu-system-riscv64 -M virt, interleaved (machina, qemu, machina, ...).
# Each run boots once and runs, inside the guest, bench/guest/iobench
# (static riscv64 binary, on a small read-only ext4 tools disk, /dev/vda):
#   virtio-blk on a raw data disk (/dev/vdb, O_DIRECT, queue depth 1):
#     seq-write / seq-read 1 MiB, rand-write / rand-read 4 KiB, each for
#     VIRTIO_BENCH_SECS, every sector read checked against the pattern written
#   virtio-net over slirp to bench/guest/netsink.py on 127.0.0.1:
#     net-tx guest->host VIRTIO_BENCH_NET_MIB MiB (timed on the host, first
#     to last byte), net-rx host->guest (timed in the guest)
# Prints every run, then medians and ratios machina/qemu (higher is better).
#
# Environment:
#   MACHINA, QEMU             binaries (default build/machina, qemu-system-riscv64)
#   IMAGE_DIR                 Image + initramfs.cpio.gz (default:
#                             images/riscv64/build.sh --print-path)
#   BENCH_RUNS                runs per emulator (default 5; VIRTIO_BENCH_RUNS wins)
#   VIRTIO_BENCH_SECS         seconds per block workload (default 3)
#   VIRTIO_BENCH_DISK_MIB     data disk size (default 256)
#   VIRTIO_BENCH_NET_MIB      MiB sent each way (default 128; 0: no network)
#   VIRTIO_BENCH_BLK          0: skip the block workloads
#   VIRTIO_BENCH_TMPDIR       where the data disk lives (default /tmp)
#   VIRTIO_BENCH_MEMORY       guest RAM (default 256M)
#   VIRTIO_BENCH_TIMEOUT      seconds before one run is killed (default 300)
#   VIRTIO_BENCH_QEMU_LEGACY  1: QEMU's default legacy virtio-mmio (version 1)
#                             instead of version 2 like Machina
#   VIRTIO_BENCH_ENFORCE      1: exit 2 when a ratio is below the target
#   VIRTIO_BENCH_KEEP         1: keep the console logs (path printed)
#   RV_LINUX_CC               cross compiler (default riscv64-linux-gnu-gcc)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
machina=${MACHINA:-$root/build/machina}
qemu=${QEMU:-qemu-system-riscv64}
runs=${VIRTIO_BENCH_RUNS:-${BENCH_RUNS:-5}}
secs=${VIRTIO_BENCH_SECS:-3}
disk_mib=${VIRTIO_BENCH_DISK_MIB:-256}
net_mib=${VIRTIO_BENCH_NET_MIB:-128}
do_blk=${VIRTIO_BENCH_BLK:-1}
mem=${VIRTIO_BENCH_MEMORY:-256M}
tmo=${VIRTIO_BENCH_TIMEOUT:-300}
cc=${RV_LINUX_CC:-riscv64-linux-gnu-gcc}
target=1.0
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
die() { echo "virtio-bench: ERROR: $*" >&2; exit 1; }

for v in runs:"$runs" secs:"$secs" disk_mib:"$disk_mib" net_mib:"$net_mib" tmo:"$tmo"; do
	case ${v#*:} in ''|*[!0-9]*) die "${v%%:*} must be a non-negative integer (got '${v#*:}')";; esac
done
[ "$runs" -gt 0 ] && [ "$secs" -gt 0 ] && [ "$tmo" -gt 0 ] || die "runs, secs and timeout must be > 0"
[ "$disk_mib" -ge 4 ] || die "VIRTIO_BENCH_DISK_MIB must be >= 4"
[ "$do_blk" = 0 ] && [ "$net_mib" = 0 ] && die "nothing to do (VIRTIO_BENCH_BLK=0 and VIRTIO_BENCH_NET_MIB=0)"

command -v "$qemu" >/dev/null || die "$qemu not found: apt-get install qemu-system-misc"
[ -x "$machina" ] || die "Machina binary '$machina' not found (make, or set MACHINA=...)"
[ -f "$fw" ] || die "$fw not found: apt-get install opensbi"
command -v mke2fs >/dev/null || die "mke2fs not found: apt-get install e2fsprogs"
command -v python3 >/dev/null || die "python3 not found"
dir=${IMAGE_DIR:-$("$root/images/riscv64/build.sh" --print-path 2>/dev/null)} ||
	die "default image not built: run images/riscv64/build.sh (or set IMAGE_DIR)"
K=$dir/Image; I=$dir/initramfs.cpio.gz
[ -f "$K" ] && [ -f "$I" ] || die "no Image / initramfs.cpio.gz in $dir"

# --- the guest tool ----------------------------------------------------------
tool=$root/build/bench/iobench
src=$root/bench/guest/iobench.c
if [ ! -x "$tool" ] || [ "$src" -nt "$tool" ]; then
	command -v "$cc" >/dev/null ||
		die "$cc not found: apt-get install gcc-riscv64-linux-gnu libc6-dev-riscv64-cross"
	mkdir -p "$(dirname "$tool")" || die "cannot create $(dirname "$tool")"
	echo "virtio-bench: building $tool"
	"$cc" -static -O2 -Wall -Wextra -o "$tool.tmp" "$src" || die "building iobench failed"
	mv -f "$tool.tmp" "$tool" || die "cannot write $tool"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/virtio-bench.XXXXXX") || die "mktemp failed"
sink_pid=
data=
cleanup() {
	[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null
	[ -n "$data" ] && rm -f "$data"
	if [ "${VIRTIO_BENCH_KEEP:-0}" = 1 ]; then
		echo "virtio-bench: logs kept in $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# tools disk: iobench + run.sh, ext4, attached read-only as /dev/vda
mkdir "$tmp/tools" && cp "$tool" "$tmp/tools/iobench" && cp "$root/bench/guest/run.sh" "$tmp/tools/run.sh" ||
	die "cannot stage the tools disk"
mke2fs -q -F -t ext4 -L vbtools -d "$tmp/tools" "$tmp/tools.img" 8M >/dev/null 2>&1 ||
	die "mke2fs -d failed (e2fsprogs >= 1.43 needed)"

# data disk: allocated (not sparse) and in the host page cache, the same
# file for both VMMs; after the first run it holds guest-written data
data_dir=${VIRTIO_BENCH_TMPDIR:-/tmp}
data=$(mktemp "$data_dir/virtio-bench-data.XXXXXX") || die "mktemp in $data_dir failed"
data_bytes=0
if [ "$do_blk" != 0 ]; then
	dd if=/dev/zero of="$data" bs=1M count="$disk_mib" conv=fsync status=none ||
		die "cannot create the $disk_mib MiB data disk in $data_dir"
	cat "$data" >/dev/null
	data_bytes=$((disk_mib * 1024 * 1024))
else
	truncate -s 4M "$data"
fi

qemu_global=(-global virtio-mmio.force-legacy=false)
[ "${VIRTIO_BENCH_QEMU_LEGACY:-0}" = 1 ] && qemu_global=()

# one NAME RUN: boot once, run the workloads; prints "key=value ..." results
one() {
	local name=$1 run=$2 seed log txp=0 rxp=0 rc
	seed=$(( (run * 7919 + ${#name} * 104729 + $$) % 1000000007 ))
	log=$tmp/$name-$run.log
	: >"$tmp/sink.res"
	if [ "$net_mib" != 0 ]; then
		rm -f "$tmp/ports"
		python3 "$root/bench/guest/netsink.py" "$tmp/ports" "$tmp/sink.res" "$net_mib" \
			</dev/null >"$tmp/sink.out" 2>&1 &
		sink_pid=$!
		for _ in $(seq 100); do [ -s "$tmp/ports" ] && break; sleep 0.05; done
		[ -s "$tmp/ports" ] || die "netsink did not start: $(cat "$tmp/sink.out")"
		read -r txp rxp <"$tmp/ports"
	fi
	local append="console=ttyS0 quiet -- mount -t ext4 -o ro /dev/vda /mnt && sh /mnt/run.sh $seed $secs $data_bytes $txp $net_mib $rxp"
	if [ "$name" = machina ]; then
		timeout $((tmo + 10)) "$machina" run --memory "$mem" --kernel "$K" --initrd "$I" \
			--append "$append" --disk "$tmp/tools.img,readonly" --disk "$data" \
			--net user --timeout "$tmo" </dev/null >"$log" 2>&1
	else
		timeout "$tmo" "$qemu" -M virt -m "$mem" -nographic -bios "$fw" \
			-kernel "$K" -initrd "$I" -append "$append" "${qemu_global[@]}" \
			-drive "file=$tmp/tools.img,format=raw,if=none,id=d0,readonly=on" \
			-device virtio-blk-device,drive=d0 \
			-drive "file=$data,format=raw,if=none,id=d1" \
			-device virtio-blk-device,drive=d1 \
			-netdev user,id=n0 -device virtio-net-device,netdev=n0 \
			</dev/null >"$log" 2>&1
	fi
	rc=$?
	if [ -n "$sink_pid" ]; then
		kill "$sink_pid" 2>/dev/null; wait "$sink_pid" 2>/dev/null; sink_pid=
	fi
	tr -d '\r' <"$log" >"$log.txt"
	if [ $rc -ne 0 ] || ! grep -q '^iobench: done' "$log.txt" || grep -q '^iobench: FAIL' "$log.txt"; then
		echo "virtio-bench: run $run: $name FAILED (exit $rc$([ $rc = 124 ] && echo ", timed out"))" >&2
		grep -a -E 'iobench|machina-init|Kernel panic|error' "$log.txt" | tail -n 20 | sed 's/^/    /' >&2
		tail -n 5 "$log.txt" | sed 's/^/    /' >&2
		return 1
	fi
	if [ "$run" = 1 ]; then
		grep -a -E '^iobench: (disk|virtio) ' "$log.txt" | sed "s/^/    [$name] /"
	fi
	local k v out=
	for k in seq-write seq-read rand-write rand-read net-tx net-rx; do
		v=$(grep -a "^iobench: $k " "$log.txt" | sed -n 's/.* mbps=\([0-9.]*\).*/\1/p' | head -1)
		[ -n "$v" ] && out+=" $k=$v"
	done
	for k in rand-write rand-read; do
		v=$(grep -a "^iobench: $k " "$log.txt" | sed -n 's/.* iops=\([0-9.]*\).*/\1/p' | head -1)
		[ -n "$v" ] && out+=" $k-iops=$v"
	done
	if [ "$net_mib" != 0 ]; then
		v=$(sed -n 's/^tx .* mbps=\([0-9.]*\) ok=1$/\1/p' "$tmp/sink.res")
		[ -n "$v" ] || { echo "virtio-bench: run $run: $name: no good net-tx result from the host sink: $(cat "$tmp/sink.res")" >&2; return 1; }
		out+=" net-tx-host=$v"
	fi
	echo "${out# }"
}

get() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
median() { sort -g | awk '{v[NR]=$1} END{if (!NR) exit; if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }

echo "virtio-bench: $runs runs each, ${secs} s per block workload, data disk $disk_mib MiB in $data_dir, net $net_mib MiB each way, guest $mem, image $dir"
: >"$tmp/m"; : >"$tmp/q"
for i in $(seq 1 "$runs"); do
	for name in machina qemu; do
		r=$(one "$name" "$i") || exit 1
		echo "$r" >>"$tmp/${name:0:1}"
		line=
		for k in seq-write seq-read rand-write rand-read net-tx-host net-rx; do
			v=$(get "$k" "$r"); [ -n "$v" ] || continue
			case $k in
			rand-*) line+=", $k $(printf '%.1f' "$v") MB/s ($(printf '%.0f' "$(get "$k-iops" "$r")") IOPS)";;
			net-tx-host) line+=", net-tx $(printf '%.1f' "$v") MB/s (guest $(printf '%.1f' "$(get net-tx "$r")"))";;
			*) line+=", $k $(printf '%.1f' "$v") MB/s";;
			esac
		done
		echo "virtio-bench: run $i: $name:${line#,}"
	done
done

below=0
summary() {	# summary KEY LABEL
	local mm qq r
	mm=$(while read -r l; do get "$1" "$l"; done <"$tmp/m" | median)
	qq=$(while read -r l; do get "$1" "$l"; done <"$tmp/q" | median)
	[ -n "$mm" ] && [ -n "$qq" ] || return 0
	r=$(awk -v a="$mm" -v b="$qq" 'BEGIN{printf "%.2f", (b > 0) ? a / b : 0}')
	printf 'virtio-bench: %s: machina %.1f MB/s, qemu %.1f MB/s, ratio %s (target >= %s)\n' "$2" "$mm" "$qq" "$r" "$target"
	awk -v r="$r" -v t="$target" 'BEGIN{exit !(r < t)}' && below=1
	return 0
}
summary seq-read "seq-read 1MiB"
summary seq-write "seq-write 1MiB"
summary rand-read "rand-read 4KiB"
summary rand-write "rand-write 4KiB"
summary net-tx-host "net-tx TCP guest->host"
summary net-rx "net-rx TCP host->guest"
if [ $below = 1 ]; then
	echo "virtio-bench: some ratios below target"
	[ "${VIRTIO_BENCH_ENFORCE:-0}" = 1 ] && exit 2
fi
exit 0
