#!/bin/sh
# The default guest (Linux + busybox initramfs) under Debian's OpenSBI:
# OpenSBI's banner, the kernel reaching init, a command from --append run
# and a clean power-off with status 0; the busybox shell answering commands
# typed through a pipe and through a terminal; the SBI early console; the
# shell on a virtio-console (hvc0).
# IMAGE_DIR (default: the cached image of images/riscv64) holds Image and
# initramfs.cpio.gz.
set -eu
M=${MACHINA:-build/machina}
here=$(dirname "$0")
dir=${IMAGE_DIR:-$(bash images/riscv64/build.sh --print-path)}
K="$dir/Image"
I="$dir/initramfs.cpio.gz"

"$here/console.py" --timeout 120 -- "$M" run --kernel "$K" --initrd "$I" \
	--append "console=ttyS0 -- echo machina-hello from \$(uname -m)" <<'SCRIPT'
expect OpenSBI v1
expect Linux version 6\.1
expect Run /init as init process
expect machina-hello from riscv64
expect machina-init: exit status 0
expect reboot: Power down
SCRIPT
echo "boot: linux command ok"

# a failing command powers off too, and init reports its status
"$here/console.py" --timeout 120 -- "$M" run --kernel "$K" --initrd "$I" \
	--append "console=ttyS0 -- exit 3" <<'SCRIPT'
expect machina-init: exit status 3
expect reboot: Power down
SCRIPT
echo "boot: linux exit status ok"

# the shell over a pipe
"$here/console.py" --timeout 120 -- "$M" run --kernel "$K" --initrd "$I" \
	--append "console=ttyS0" <<'SCRIPT'
expect Run /init as init process
expect # $
send echo $((6 * 7))\n
expect \n42\r?\n
send cat /proc/cpuinfo\n
expect isa\s+: rv64imafdc
send poweroff -f\n
expect reboot: Power down
SCRIPT
echo "boot: linux shell over a pipe ok"

# the shell on a terminal, left with Ctrl-A x
"$here/console.py" --pty --timeout 120 -- "$M" run --kernel "$K" --initrd "$I" \
	--append "console=ttyS0" <<'SCRIPT'
expect # $
send echo tty-$((40 + 2))\r
expect tty-42
send \x01h
expect C-a x +exit machina
send \x01x
expect terminated
SCRIPT
echo "boot: linux shell on a terminal ok"

# the SBI console as early console (through OpenSBI)
"$here/console.py" --timeout 120 -- "$M" run --kernel "$K" --initrd "$I" \
	--append "earlycon=sbi console=ttyS0 -- echo after-earlycon" <<'SCRIPT'
expect earlycon: sbi0
expect after-earlycon
expect machina-init: exit status 0
SCRIPT
echo "boot: linux earlycon=sbi ok"

# virtio-console as the main console (hvc0): output, and the shell's input
"$here/console.py" --timeout 120 -- "$M" run --console virtio --kernel "$K" --initrd "$I" \
	--append "console=hvc0" <<'SCRIPT'
expect Run /init as init process
expect # $
send echo hvc-$((40 + 2)); readlink /proc/self/fd/0\n
expect hvc-42
expect /dev/(hvc0|console)
send poweroff -f\n
SCRIPT
echo "boot: linux shell on hvc0 (virtio-console) ok"
