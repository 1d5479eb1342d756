#!/bin/sh
# Run bare-metal ISA test ELFs; each must end through HTIF with status 0.
#   tests/isa/run.sh MACHINA ELF...      run under Machina
#   tests/isa/run.sh qemu ELF...         run under qemu-system-riscv64 -M spike
#                                        (to check a test against the reference)
set -u
emu=$1; shift
pass=0; failed=""
for elf in "$@"; do
	if [ "$emu" = qemu ]; then
		out=$(timeout 20 qemu-system-riscv64 -M spike -bios none -nographic \
			-kernel "$elf" </dev/null 2>&1); rc=$?
	else
		out=$(timeout 60 "$emu" run --firmware "$elf" --timeout 20 </dev/null 2>&1); rc=$?
	fi
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL $elf (exit $rc)"
		printf '%s\n' "$out" | tail -n 5 | sed 's/^/    /'
		failed="$failed $elf"
	fi
done
total=$#
echo "isa: $pass/$total passed"
[ -z "$failed" ]
