#!/bin/sh
# Boot tests: firmware and kernels driven through the console.
set -u
cd "$(dirname "$0")/../.."
fails=0
for t in tests/boot/errors.sh tests/boot/uboot.sh tests/boot/uboot_net.sh \
	 tests/boot/linux.sh tests/boot/virtio.sh tests/boot/linux_x86.sh; do
	echo "== $t"
	sh "$t" || fails=$((fails + 1))
done
# several VMs in one process at the same time
echo "== tests/multi/multi_vm"
dir=${IMAGE_DIR:-$(bash images/riscv64/build.sh --print-path)}
build/tests/multi_vm "$dir/Image" "$dir/initramfs.cpio.gz" build/isa/user/smoke.elf \
	build/tests/htif_fail.elf build/kvm/compute.elf || fails=$((fails + 1))
# the engine interface: pause and resume a booting guest from another thread
echo "== tests/engine/interp_pause"
build/tests/interp_pause "$dir/Image" "$dir/initramfs.cpio.gz" || fails=$((fails + 1))
[ "$fails" -eq 0 ] && echo "boot: all passed"
[ "$fails" -eq 0 ]
