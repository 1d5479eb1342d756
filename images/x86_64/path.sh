#!/bin/sh
# Print the cache directory of the default x86_64 guest image for the current
# recipe (bzImage, vmlinux, initrd.cpio.gz) without building anything. Exits 1,
# with the command that builds it on stderr, when that image is not built yet.
exec "$(dirname "$0")/build.sh" --print-path "$@"
