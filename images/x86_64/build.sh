#!/bin/bash
# Build the default Machina x86_64 guest image: a Linux `bzImage`, the same
# kernel as an ELF `vmlinux` (for the PVH entry point) and a busybox initramfs
# (`initrd.cpio.gz`), from Debian's linux-source-6.1 and busybox-static
# packages, with the host's compiler. See images/README.md.
#
#   images/x86_64/build.sh                 build (or find) the default image
#   images/x86_64/build.sh --print-path    print the image directory for the
#                                          current recipe; exit 1 if not built
#   images/x86_64/build.sh --rebuild       build again even if cached
#
# Images live outside the checkout, in
#   ${MACHINA_CACHE:-$HOME/.cache/machina}/images/x86_64-<hash>/
# where <hash> covers the recipe files and the versions of the Debian packages
# used. Progress goes to stderr; the last line on stdout is the directory
# holding `bzImage`, `vmlinux` and `initrd.cpio.gz`.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$HERE")/lib.sh"
BUSYBOX_PKG=busybox-static
BUSYBOX=/bin/busybox
# libelf-dev: objtool, which every x86_64 kernel build runs.
DEPS="$LINUX_PKG $BUSYBOX_PKG gcc libc6-dev make bc bison flex perl libelf-dev
      cpio xz-utils gzip binutils"

mode=build
rebuild=
for arg in "$@"; do
	case $arg in
	--print-path) mode=path ;;
	--rebuild) rebuild=1 ;;
	-h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "build.sh: unknown argument: $arg (see --help)" >&2; exit 2 ;;
	esac
done

# The kernel is built with the host's gcc and the initramfs takes the host's
# busybox-static: both need an amd64 host.
host_arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
case $host_arch in
amd64|x86_64) ;;
*) die "the x86_64 image is built on an amd64 host (this one is $host_arch)" ;;
esac

# --- versions of the Debian packages that go into the image -----------------

# (load_versions: images/lib.sh)

# The recipe: what the image hash covers. Sets NAME, HASH, RECIPE, OUT_DIR.
compute_recipe() {
	local f p
	RECIPE="machina guest image recipe 1
arch x86_64
variant default
"
	RECIPE+=$(recipe_file lib.sh "$LIB_SH")$'\n'
	for f in build.sh linux.config init udhcpc.script; do
		RECIPE+=$(recipe_file "x86_64/$f" "$HERE/$f")$'\n'
	done
	load_versions $LINUX_PKG $BUSYBOX_PKG gcc-12 binutils
	for p in $LINUX_PKG $BUSYBOX_PKG gcc-12 binutils; do
		RECIPE+="deb $p ${VER[$p]}
"
	done
	NAME=x86_64
	HASH=$(printf '%s' "$RECIPE" | sha256sum | cut -c1-16)
	OUT_DIR=$CACHE/images/$NAME-$HASH
}

complete() { [ -s "$1/bzImage" ] && [ -s "$1/vmlinux" ] && [ -s "$1/initrd.cpio.gz" ]; }

compute_recipe
if [ "$mode" = path ]; then
	echo "$OUT_DIR"
	if ! complete "$OUT_DIR"; then
		echo "not built: run images/x86_64/build.sh" >&2
		exit 1
	fi
	exit 0
fi
if [ -z "$rebuild" ] && complete "$OUT_DIR"; then
	echo "$OUT_DIR"
	exit 0
fi

# --- build -------------------------------------------------------------------

# Host packages.
changed=
install_missing $DEPS
if [ -n "$changed" ]; then
	# Versions may have changed now that the packages are installed.
	old_hash=$HASH
	compute_recipe
	if [ "$HASH" != "$old_hash" ]; then
		say "recipe hash changed after installing packages: $old_hash -> $HASH"
		if [ -z "$rebuild" ] && complete "$OUT_DIR"; then echo "$OUT_DIR"; exit 0; fi
	fi
fi

begin_build

linux_source

# --- kernel ---
KO=$B/linux
kmake() { make -C "$KSRC" O="$KO" ARCH=x86_64 "$@"; }
kconfig() {
	kmake KCONFIG_ALLCONFIG="$HERE/linux.config" allnoconfig
	kmake olddefconfig
}
step "linux: configure (allnoconfig + linux.config)" kconfig
check_config "$HERE/linux.config" "$KO/.config"
step "linux: build bzImage and vmlinux (make -j$JOBS)" kmake -j"$JOBS" bzImage
# The PVH entry point is an ELF note of type XEN_ELFNOTE_PHYS32_ENTRY (18).
# (Output captured first: with pipefail, grep -q closing the pipe early
# could fail the pipeline.)
has_pvh_note() {
	local notes
	notes=$(readelf -n "$1") || return 1
	grep -Eq '^ +Xen +0x[0-9a-f]+[[:space:]]+(Unknown note type: \(0x00000012\)|XEN_ELFNOTE_PHYS32_ENTRY)' <<< "$notes"
}
has_pvh_note "$KO/vmlinux" || die "vmlinux has no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY)"
cp "$KO/arch/x86/boot/bzImage" "$OUT/bzImage"
cp "$KO/vmlinux" "$OUT/vmlinux"
cp "$KO/.config" "$OUT/kernel.config"

# --- initramfs ---
# Debian's busybox-static: one static amd64 binary, and its list of applets
# (`busybox --list-full`) for the symlinks.
bb_prepare() {
	local headers
	cp "$BUSYBOX" "$B/busybox"
	headers=$(readelf -l "$B/busybox")
	if grep -q 'Requesting program interpreter' <<< "$headers"; then
		echo "$BUSYBOX is dynamically linked" >&2
		return 1
	fi
	"$B/busybox" --list-full | sed 's|^|/|' | LC_ALL=C sort > "$B/busybox.links"
	[ -s "$B/busybox.links" ]
}
step "busybox: $BUSYBOX ($BUSYBOX_PKG ${VER[$BUSYBOX_PKG]})" bb_prepare

# Files of the root file system, in gen_init_cpio's list format.
write_rootfs() { # busybox busybox.links init etc_dir
	local bb=$1 links=$2 init=$3 etc=$4 d p
	cat <<-EOF
	dir /dev 0755 0 0
	nod /dev/console 0600 0 0 c 5 1
	nod /dev/null 0666 0 0 c 1 3
	EOF
	for d in /bin /sbin /usr /usr/bin /usr/sbin /etc /etc/udhcpc \
		/proc /sys /run /mnt /var /root; do
		echo "dir $d 0755 0 0"
	done
	echo "dir /tmp 1777 0 0"
	echo "file /init $init 0755 0 0"
	echo "file /bin/busybox $bb 0755 0 0"
	while IFS= read -r p; do
		[ "$p" = /bin/busybox ] || echo "slink $p /bin/busybox 0777 0 0"
	done < "$links"
	for p in passwd group hosts; do echo "file /etc/$p $etc/$p 0644 0 0"; done
	# where Debian's busybox looks for udhcpc's script
	echo "file /etc/udhcpc/default.script $etc/udhcpc.script 0755 0 0"
}

write_etc() { # dir
	mkdir -p "$1"
	printf 'root:x:0:0:root:/root:/bin/sh\n' > "$1/passwd"
	printf 'root:x:0:\ntty:x:5:\n' > "$1/group"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\tmachina\n' > "$1/hosts"
	cp "$HERE/udhcpc.script" "$1/udhcpc.script"
}

write_etc "$B/etc"
cp "$HERE/init" "$B/init"
write_rootfs "$B/busybox" "$B/busybox.links" "$B/init" "$B/etc" > "$B/initramfs.list"
step "initramfs: gen_init_cpio | gzip" make_initramfs "$B/initramfs.list" "$OUT/initrd.cpio.gz"

publish
kib() { echo $(( $(stat -c %s "$1") / 1024 )); }
say "done: $OUT_DIR ($(kib "$OUT_DIR/bzImage") KiB bzImage, $(kib "$OUT_DIR/vmlinux") KiB vmlinux, $(kib "$OUT_DIR/initrd.cpio.gz") KiB initramfs)"
echo "$OUT_DIR"
