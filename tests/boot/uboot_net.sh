#!/bin/sh
# U-Boot's virtio-net driver over Machina's virtio-mmio and libslirp: DHCP
# through the user-mode network gets the guest address 10.0.2.15.
set -eu
M=${MACHINA:-build/machina}
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
here=$(dirname "$0")
"$here/console.py" --pty --timeout 120 -- "$M" run --net user --kernel "$UBOOT" <<'SCRIPT'
expect Hit any key to stop autoboot
send \n
expect =>
send virtio scan\r
expect =>
send dhcp\r
expect DHCP client bound to address 10.0.2.15
expect =>
send \x01x
expect terminated
SCRIPT
echo "boot: uboot-net ok"
