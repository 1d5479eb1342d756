#!/bin/sh
# Install what Machina needs to build and test on Debian 12 (run as root).
# Idempotent: packages already present are skipped by apt.
set -eu
PKGS="build-essential pkg-config gcc-riscv64-unknown-elf libcmocka-dev libfdt-dev libslirp-dev opensbi u-boot-qemu python3 e2fsprogs"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
fi
