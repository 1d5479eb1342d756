#!/bin/sh
# Run the x86-64 test guests (tests/kvm/README.md) and check every result:
# the ok lines and their exact values, the disk image afterwards, both
# directions of the UDP exchange, that the VM stopped by itself.
#
#   tests/kvm/run.sh machina [TEST...]   build/machina run --arch x86_64 ...
#                                        (MACHINA=path to use another binary)
#   tests/kvm/run.sh qemu [TEST...]      qemu-system-x86_64 -M microvm, TCG
#                                        (QEMU=path, QEMU_ACCEL=kvm to try KVM)
#
# TESTS: hello fault compute timer blk blk-ro net smp calib (default: all).
# The guests are built first (make -f tests/kvm/guests.mk kvm-guests) unless
# KVM_GUEST_DIR names a directory that has them. A test that needs something
# the VMM lacks fails; nothing is skipped. Exit status 0 when all passed.
# KEEP=1 keeps the temporary directory (console logs, images).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2

vmm=${1:-}
case $vmm in
machina) M=${MACHINA:-build/machina} ;;
qemu) Q=${QEMU:-qemu-system-x86_64} ;;
*) echo "usage: $0 machina|qemu [TEST...]" >&2; exit 2 ;;
esac
shift
tests=${*:-hello fault compute timer blk blk-ro net smp calib}
T=60	# seconds per VM

if [ -n "${KVM_GUEST_DIR:-}" ]; then
	G=$KVM_GUEST_DIR
else
	G=build/kvm
	make -s -f tests/kvm/guests.mk kvm-guests || { echo "FAIL: building the guests"; exit 1; }
fi
if [ "$vmm" = machina ] && [ ! -x "$M" ]; then
	echo "FAIL: $M not found (make)"; exit 1
fi
# without a usable /dev/kvm the KVM engine cannot run at all: say so and
# why (this is the only skip; anything else that fails is a failure)
if [ "$vmm" = machina ] || [ "${QEMU_ACCEL:-tcg}" = kvm ]; then
	why=$(python3 -c 'import os
try:
    os.close(os.open("/dev/kvm", os.O_RDWR))
except OSError as e:
    print(e.strerror)' 2>&1)
	if [ -n "$why" ]; then
		echo "SKIP kvm ($vmm): /dev/kvm is not usable here: $why"
		exit 0
	fi
fi

tmp=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	if [ -n "${KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
host() { python3 "$here/host.py" "$@"; }

# vm NAME ELF APPEND [cpus=N] [disk=FILE] [disk-ro=FILE] [net]
# Boots the guest; console in $tmp/NAME.out, exit status in $rc, the elapsed
# time in $secs.
vm() {
	name=$1 elf=$G/$2.elf append=$3
	shift 3
	cpus=1 disk="" ro="" net=""
	for o in "$@"; do
		case $o in
		cpus=*) cpus=${o#cpus=} ;;
		disk=*) disk=${o#disk=} ;;
		disk-ro=*) disk=${o#disk-ro=} ro=1 ;;
		net) net=1 ;;
		esac
	done
	out=$tmp/$name.out
	t0=$(date +%s.%N)
	if [ "$vmm" = qemu ]; then
		# microvm: virtio-mmio slots at 0xfeb00000 + 512 * i on GSI 5 + i,
		# listed on the command line (auto-kernel-cmdline, acpi=off only);
		# modern virtio-mmio needs force-legacy=false; no i8042, so the
		# guest writes isa-debug-exit's port 0xf4 first (exit=isa-debug)
		set -- -M microvm,acpi=off -accel "${QEMU_ACCEL:-tcg}" -cpu max -m 256 -smp "$cpus" \
			-nodefaults -no-user-config -display none -serial stdio -no-reboot \
			-global virtio-mmio.force-legacy=false \
			-device isa-debug-exit,iobase=0xf4,iosize=4 \
			-kernel "$elf" -append "exit=isa-debug $append"
		[ -n "$disk" ] && set -- "$@" -drive "id=d0,file=$disk,format=raw,if=none${ro:+,readonly=on}" \
			-device virtio-blk-device,drive=d0
		[ -n "$net" ] && set -- "$@" -netdev user,id=n0 -device virtio-net-device,netdev=n0
		timeout "$T" "$Q" "$@" </dev/null >"$out" 2>&1
		rc=$?
	else
		set -- run --arch x86_64 --kernel "$elf" --append "$append" --memory 256M --timeout "$T"
		[ "$cpus" -gt 1 ] && set -- "$@" --cpus "$cpus"
		[ -n "$disk" ] && set -- "$@" --disk "$disk${ro:+,readonly}"
		[ -n "$net" ] && set -- "$@" --net user
		timeout $((T + 30)) "$M" "$@" </dev/null >"$out" 2>&1
		rc=$?
	fi
	secs=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }')
	tr -d '\r' <"$out" >"$out.txt"
	out=$out.txt
}

# ---- checks: each appends to $why; a test passes when $why stays empty
why=""
bad() { why="$why
    $*"; }
line() { grep -E "^ok $1( |\$)" "$out" | head -n 1; }
# expect_ok NAME [PATTERN...]: an `ok NAME` line containing every PATTERN
# (fixed strings)
expect_ok() {
	n=$1
	shift
	l=$(line "$n")
	if [ -z "$l" ]; then
		bad "no 'ok $n' line"
		return 1
	fi
	for p in "$@"; do
		case "$l " in
		*"$p"*) ;;
		*) bad "'ok $n' without '$p': $l" ;;
		esac
	done
}
# the VM ran to `done`, printed no FAIL and stopped by itself
expect_end() {
	grep '^FAIL' "$out" >"$tmp/fails"
	while IFS= read -r l; do bad "guest: $l"; done <"$tmp/fails"
	grep -qx 'done' "$out" || bad "no 'done' line"
	expect_stopped
}
expect_stopped() {
	if [ "$vmm" = qemu ]; then
		case $rc in
		1 | 3) ;;	# isa-debug-exit: (value << 1) | 1
		124) bad "the VM did not stop within ${T} s" ;;
		*) bad "qemu exited with status $rc" ;;
		esac
	else
		case $rc in
		0 | 3) ;;	# stopped by the i8042 reset (power-off or reboot status)
		4 | 124) bad "the VM did not stop within ${T} s (status $rc)" ;;
		*) bad "machina exited with status $rc" ;;
		esac
	fi
}

# ---- the tests
t_hello() {
	vm hello hello ""
	expect_ok hello "cpl=3 iopl="
	expect_end
}

# an exception at CPL3 is reported and still stops the VM
t_fault() {
	vm fault hello "fault=ud"
	expect_ok hello
	grep -q '^FAIL exception vector=6 (#UD)' "$out" || bad "no 'FAIL exception vector=6 (#UD)' line"
	grep -qx 'done' "$out" && bad "'done' after an exception"
	expect_stopped
}

t_compute() {
	seed=0x0123456789abcdef mib=4 passes=4
	want=$(host compute $seed $mib $passes)
	vm compute compute "seed=$seed mib=$mib passes=$passes"
	expect_ok compute "crc32=$want " "mib=$mib passes=$passes"
	expect_end
}

t_timer() {
	vm timer timer "ticks=50 pit_ticks=20"
	expect_ok timer.lapic "from_cpl3="
	expect_ok timer.hlt "wakeups=10 "
	expect_ok timer.pit "from_cpl3="
	for n in timer.lapic timer.pit; do
		tv=$(line $n | sed -n 's/.* ticks=\([0-9]*\) from_cpl3=\([0-9]*\).*/\1 \2/p')
		case $n in timer.lapic) min=50 ;; *) min=20 ;; esac
		# shellcheck disable=SC2086
		set -- $tv
		# more than asked is fine: the timer runs on until the guest
		# stops it, and a descheduled vCPU may get missed ticks in a burst
		if [ $# -ne 2 ] || [ "$1" -lt $min ] || [ "$1" != "$2" ]; then
			bad "$n: ticks/from_cpl3 '$tv', expected at least $min ticks, all from CPL3"
		fi
	done
	expect_end
}

SECTORS=4096	# 2 MiB image
t_blk() {
	img=$tmp/blk.img wsec=100 wcount=2 seed=0x3c
	host mkimage "$img" $SECTORS
	c0=$(host crc "$img" 0 8)
	c8=$(host crc "$img" 8 8)
	cw=$(host write-crc $wsec $wcount $seed)
	vm blk blk "blk_write=$wsec blk_count=$wcount blk_seed=$seed" "disk=$img"
	expect_ok blk.probe "capacity=$SECTORS "
	expect_ok blk.read-poll "sectors=0-7 crc32=$c0 "
	expect_ok blk.read-irq "sectors=8-15 crc32=$c8 "
	expect_ok blk.write "sectors=$wsec-$((wsec + wcount - 1)) " "crc32=$cw"
	expect_ok blk.flush
	expect_ok blk.readback
	expect_ok blk.oob
	expect_ok blk.irq
	expect_end
	err=$(host check-image "$img" $SECTORS $wsec $wcount $seed) || bad "image after the run: $err"
}

t_blk_ro() {
	img=$tmp/blk-ro.img wsec=100 wcount=2
	host mkimage "$img" $SECTORS
	c0=$(host crc "$img" 0 8)
	c8=$(host crc "$img" 8 8)
	cw=$(host crc "$img" $wsec $wcount)
	vm blk-ro blk "blk_ro=1 blk_write=$wsec blk_count=$wcount" "disk-ro=$img"
	expect_ok blk.probe "capacity=$SECTORS "
	expect_ok blk.read-poll "crc32=$c0 "
	expect_ok blk.read-irq "crc32=$c8 "
	expect_ok blk.ro-readback "crc32=$cw "
	expect_ok blk.ro "status=1"
	expect_ok blk.oob
	expect_ok blk.irq
	expect_end
	err=$(host check-image "$img" $SECTORS) || bad "read-only image changed: $err"
}

t_net() {
	tok=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
	rm -f "$tmp/udp.port"
	# python itself in the background (not a subshell running it), so the
	# kill below reaches it, and off our stdout, so a pipe reading this
	# script's output is not held open by the server
	python3 "$here/host.py" udp-server "$tmp/udp.port" "$tmp/udp.log" "$tok" $((T + 30)) \
		</dev/null >"$tmp/udp.stdout" 2>&1 &
	spid=$!
	pids="$pids $spid"
	for _ in $(seq 50); do [ -s "$tmp/udp.port" ] && break; sleep 0.1; done
	port=$(cat "$tmp/udp.port" 2>/dev/null)
	vm net net "net_port=${port:-0} net_token=$tok" net
	kill "$spid" 2>/dev/null
	expect_ok net.probe "mac=52:54:00:12:34:56"
	expect_ok net.arp "gw_mac=52:55:0a:00:02:02"
	expect_ok net.icmp "payload=\"machina-icmp $tok\""
	expect_ok net.udp "sent=\"machina-udp-ping $tok\"" "reply=\"machina-udp-pong $tok\""
	expect_ok net.irq
	expect_end
	grep -q "^got 'machina-udp-ping $tok' from 127.0.0.1:" "$tmp/udp.log" 2>/dev/null ||
		bad "the host's UDP server did not get 'machina-udp-ping $tok'"
	grep -qx answered "$tmp/udp.log" 2>/dev/null || bad "the host's UDP server did not answer"
}

t_smp() {
	iters=1000000
	vm smp smp "cpus=2 smp_iters=$iters" cpus=2
	expect_ok smp.cpu1 "apic_id=1 cpl=3"
	expect_ok smp.counter "cpus=2 inc=$((2 * iters)) cmpxchg=$((2 * iters)) "
	expect_end
}

t_calib() {
	vm calib calib "loops=2000000"
	expect_ok calib "loops=2000000 "
	expect_end
}

pass=0 total=0 failed=""
for t in $tests; do
	fn=t_$(echo "$t" | tr - _)
	if ! command -v "$fn" >/dev/null 2>&1; then
		echo "unknown test $t (hello fault compute timer blk blk-ro net smp calib)"
		exit 2
	fi
	why="" secs="?" out=/dev/null
	total=$((total + 1))
	$fn
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		echo "PASS $t (${secs} s)"
	else
		failed="$failed $t"
		echo "FAIL $t (${secs} s):$why"
		[ -f "$out" ] && tail -n 8 "$out" | sed 's/^/    | /'
	fi
done
echo "kvm ($vmm): $pass/$total passed${failed:+, failed:$failed}"
[ -z "$failed" ]
