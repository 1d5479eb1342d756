#!/bin/sh
# Debian's OpenSBI starts Debian's U-Boot (qemu-riscv64_smode) as the next
# stage; U-Boot reaches its prompt and answers `version`; Ctrl-A x quits.
set -eu
M=${MACHINA:-build/machina}
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
here=$(dirname "$0")
"$here/console.py" --pty --timeout 120 -- "$M" run --kernel "$UBOOT" <<'SCRIPT'
expect OpenSBI v1
expect Platform Console Device +: uart8250
expect U-Boot 20
expect Hit any key to stop autoboot
send \n
expect =>
send version\r
expect riscv64-linux-gnu-gcc
expect =>
send \x01x
expect terminated
SCRIPT
echo "boot: uboot ok"
