#!/bin/sh
# Print the cache directory of the default riscv64 guest image for the current
# recipe (Image, initramfs.cpio.gz) without building anything. Exits 1, with
# the command that builds it on stderr, when that image is not built yet.
# Pass --bench for the benchmark variant.
exec "$(dirname "$0")/build.sh" --print-path "$@"
