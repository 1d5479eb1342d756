#!/bin/sh
# Bad input gets a clear message naming the problem and exit status 2 (or the
# documented status), never a crash.
set -u
M=${MACHINA:-build/machina}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# check STATUS REGEX -- ARGS...: run machina, compare status and stderr
check() {
	want=$1; rx=$2; shift 3
	out=$("$M" "$@" </dev/null 2>&1 >/dev/null); st=$?
	if [ "$st" -ne "$want" ] || ! printf "%s" "$out" | grep -Eq -- "$rx"; then
		echo "FAIL: machina $* -> status $st, '$out' (want $want, /$rx/)"
		fails=$((fails + 1))
	fi
}

# a fake x86 bzImage: "HdrS" at 0x202
head -c 4096 /dev/zero > "$tmp/bzImage"
printf 'HdrS' | dd of="$tmp/bzImage" bs=1 seek=514 conv=notrunc 2>/dev/null
head -c 65536 /dev/urandom > "$tmp/random"
: > "$tmp/empty"
printf '#!/bin/sh\necho hello\n' > "$tmp/script"

check 2 "cannot open '$tmp/nope'.*No such file" -- run --kernel "$tmp/nope"
check 2 "cannot open '$tmp/nope'" -- run --firmware "$tmp/nope"
check 2 "x86 kernel \(bzImage\)" -- run --kernel "$tmp/bzImage"
check 2 "not a RISC-V kernel" -- run --kernel "$tmp/random"
check 2 "not a RISC-V kernel" -- run --kernel "$tmp/script"
check 2 "is empty|not a RISC-V" -- run --kernel "$tmp/empty"
check 2 "not a 64-bit little-endian RISC-V ELF" -- run --firmware /bin/sh
check 2 "not a 64-bit little-endian RISC-V ELF" -- run --kernel /bin/sh
check 2 "x86 kernel" -- run --firmware "$tmp/bzImage"
check 2 "not RISC-V firmware" -- run --firmware "$tmp/random"
check 2 "invalid memory size 'lots'" -- run --memory lots --kernel "$tmp/random"
check 2 "invalid memory size" -- run --memory 99999999999999999999 --kernel "$tmp/random"
check 2 "--memory must be" -- run --memory 1K --firmware build/isa/user/smoke.elf
check 2 "invalid timeout" -- run --timeout -3 --firmware build/isa/user/smoke.elf
check 2 "unknown option '--bogus'" -- run --bogus
check 2 "needs an argument" -- run --kernel
check 2 "unknown command 'frobnicate'" -- frobnicate
check 2 "unexpected argument" -- run stray
check 2 "--initrd needs --kernel" -- run --initrd "$tmp/random"
# images that do not fit in RAM
head -c $((40 * 1024 * 1024)) /dev/zero > "$tmp/big"
check 2 "does not fit" -- run --memory 32M --kernel /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin --initrd "$tmp/big"
# an HTIF failure code and a timeout have their own statuses
check 4 "timeout" -- run --kernel /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin --timeout 0.5

# x86-64 (KVM): usage errors need no /dev/kvm
check 2 "--arch x86: expected riscv64 or x86_64" -- run --arch x86
check 2 "--cpus 0: expected a number from 1 to" -- run --arch x86_64 --cpus 0 --kernel "$tmp/bzImage"
check 2 "--cpus 2x: expected a number" -- run --arch x86_64 --cpus 2x --kernel "$tmp/bzImage"
# no --kernel and no default x86 image in the cache: says how to build it
saved_cache=${MACHINA_CACHE-}
export MACHINA_CACHE="$tmp/no-cache"
check 2 "build it with: bash images/x86_64/build.sh" -- run --arch x86_64
if [ -n "$saved_cache" ]; then MACHINA_CACHE=$saved_cache; else unset MACHINA_CACHE; fi
check 2 "--firmware is for riscv64" -- run --arch x86_64 --firmware "$tmp/random"
check 2 "one hart" -- run --cpus 2 --kernel "$tmp/random"
if python3 -c 'import os; os.close(os.open("/dev/kvm", os.O_RDWR))' 2>/dev/null; then
	# files that are not x86-64 kernels, sizes that do not fit
	rv=$(bash images/riscv64/build.sh --print-path 2>/dev/null)/Image
	check 2 "cannot open '$tmp/nope'" -- run --arch x86_64 --kernel "$tmp/nope"
	check 2 "not a Linux bzImage or an ELF64|not an x86-64 kernel" -- run --arch x86_64 --kernel "$tmp/random"
	check 2 "is empty|not an x86-64" -- run --arch x86_64 --kernel "$tmp/empty"
	check 2 "RISC-V" -- run --arch x86_64 --kernel build/isa/user/smoke.elf
	[ -f "$rv" ] && check 2 "not a Linux bzImage or an ELF64|not an x86-64 kernel" -- run --arch x86_64 --kernel "$rv"
	check 2 "protocol|bzImage" -- run --arch x86_64 --kernel "$tmp/bzImage"
	check 2 "--memory must be" -- run --arch x86_64 --memory 4M --kernel build/kvm/hello.elf
	check 2 "does not fit|too big|initrd" -- run --arch x86_64 --memory 32M --kernel build/kvm/hello.elf --initrd "$tmp/big"
	check 2 "cannot open|No such file" -- run --arch x86_64 --kernel build/kvm/hello.elf --disk "$tmp/nope"
else
	echo "boot: errors: the x86-64 file checks need /dev/kvm: skipped"
fi
[ "$fails" -eq 0 ] && echo "boot: errors ok"
[ "$fails" -eq 0 ]
