#!/bin/sh
# /bench.sh [MiB] [XZ_PRESET]: CPU benchmark inside the Machina riscv64 guest.
#
# Generates MiB (default 16) of deterministic text in the in-memory root file
# system, then times, one line each:
#   gen        benchtool gen (the generator itself)
#   sha256sum  busybox sha256sum
#   gzip       busybox gzip -c (level 6)
#   xz         xz -c -T1 -PRESET (default 1; xz -6, its own default, is
#              several times slower and would dominate the run)
#   gunzip     busybox gzip -dc | sha256sum, checked against the input
#   unxz       xz -dc | sha256sum, checked against the input
# Each line reads
#   machina-bench: NAME ms=ELAPSED out=RESULT
# with ELAPSED in milliseconds of the guest's CLOCK_MONOTONIC, and RESULT a
# deterministic value (sizes, digest prefix, ok/FAIL) that must be the same on
# every machine. The last line is "machina-bench: total ms=SUM"; the script
# exits 1 if a round trip did not give the input back.
#
# Run it as the init command: -append "console=ttyS0 quiet -- /bench.sh"
set -u
mib=${1:-16}
preset=${2:-1}
bytes=$((mib * 1024 * 1024))
dir=/tmp/bench
rm -rf "$dir"
mkdir -p "$dir" || exit 1
cd "$dir" || exit 1

total=0
status=0
# timed NAME CMD...: run CMD, print its line; CMD sets $out.
timed() {
	name=$1
	shift
	t0=$(benchtool now)
	"$@"
	t1=$(benchtool now)
	ms=$(( (t1 - t0 + 500) / 1000 ))
	total=$((total + ms))
	echo "machina-bench: $name ms=$ms out=$out"
}

w_gen() { benchtool gen "$bytes" > data; out=$(wc -c < data); }
w_sha() { sum=$(sha256sum < data); sum=${sum%% *}; out=$(echo "$sum" | cut -c1-16); }
w_gzip() { gzip -c data > data.gz; out=$(wc -c < data.gz); }
w_xz() { xz -c -T1 "-$preset" data > data.xz; out=$(wc -c < data.xz); }
check() { # digest-line
	if [ "${1%% *}" = "$sum" ]; then out=ok; else out=FAIL; status=1; fi
}
w_gunzip() { check "$(gzip -dc data.gz | sha256sum)"; }
w_unxz() { check "$(xz -dc data.xz | sha256sum)"; }

echo "machina-bench: start size=$bytes xz=-$preset"
timed gen w_gen
timed sha256sum w_sha
timed gzip w_gzip
timed xz w_xz
timed gunzip w_gunzip
timed unxz w_unxz
echo "machina-bench: total ms=$total"
cd /
rm -rf "$dir"
exit $status
