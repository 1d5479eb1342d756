#!/bin/bash
# Build the default Machina riscv64 guest image: a Linux kernel `Image` and a
# busybox initramfs (`initramfs.cpio.gz`), from Debian's own source packages,
# cross-compiled with Debian's riscv64 toolchain. See images/README.md.
#
#   images/riscv64/build.sh                 build (or find) the default image
#   images/riscv64/build.sh --bench         build (or find) the benchmark variant
#   images/riscv64/build.sh --print-path    print the image directory for the
#                                           current recipe; exit 1 if not built
#   images/riscv64/build.sh --rebuild       build again even if cached
#
# Images live outside the checkout, in
#   ${MACHINA_CACHE:-$HOME/.cache/machina}/images/riscv64[-bench]-<hash>/
# where <hash> covers the recipe files and the versions of the Debian packages
# used. Progress goes to stderr; the last line on stdout is the directory
# holding `Image` and `initramfs.cpio.gz`.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
IMAGES=$(dirname "$HERE")
BENCH_DIR=$IMAGES/riscv64-bench
. "$IMAGES/lib.sh"
CROSS=riscv64-linux-gnu-
DEPS="$LINUX_PKG gcc-riscv64-linux-gnu libc6-dev-riscv64-cross gcc libc6-dev
      make bc bison flex perl cpio xz-utils gzip dpkg-dev"

variant=default
mode=build
rebuild=
for arg in "$@"; do
	case $arg in
	--bench) variant=bench ;;
	--print-path) mode=path ;;
	--rebuild) rebuild=1 ;;
	-h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "build.sh: unknown argument: $arg (see --help)" >&2; exit 2 ;;
	esac
done

# --- versions of the Debian packages that go into the image -----------------
# (load_versions, load_sources: images/lib.sh)

# The recipe: what the image hash covers. Sets NAME, HASH, RECIPE.
compute_recipe() {
	local f
	RECIPE="machina guest image recipe 1
arch riscv64
variant $variant
"
	RECIPE+=$(recipe_file lib.sh "$LIB_SH")$'\n'
	for f in build.sh linux.config busybox.config init; do
		RECIPE+=$(recipe_file "riscv64/$f" "$HERE/$f")$'\n'
	done
	load_versions $LINUX_PKG busybox gcc-riscv64-linux-gnu gcc-12-riscv64-linux-gnu \
		libc6-dev-riscv64-cross xz-utils
	load_sources busybox xz-utils
	RECIPE+="deb $LINUX_PKG ${VER[$LINUX_PKG]}
deb-src busybox ${SRC[busybox]}
deb gcc-riscv64-linux-gnu ${VER[gcc-riscv64-linux-gnu]}
deb gcc-12-riscv64-linux-gnu ${VER[gcc-12-riscv64-linux-gnu]}
deb libc6-dev-riscv64-cross ${VER[libc6-dev-riscv64-cross]}
"
	if [ "$variant" = bench ]; then
		for f in bench.sh benchtool.c; do
			RECIPE+=$(recipe_file "riscv64-bench/$f" "$BENCH_DIR/$f")$'\n'
		done
		RECIPE+="deb-src xz-utils ${SRC[xz-utils]}
"
		NAME=riscv64-bench
	else
		NAME=riscv64
	fi
	HASH=$(printf '%s' "$RECIPE" | sha256sum | cut -c1-16)
	OUT_DIR=$CACHE/images/$NAME-$HASH
}

complete() { [ -s "$1/Image" ] && [ -s "$1/initramfs.cpio.gz" ]; }

compute_recipe
if [ "$mode" = path ]; then
	echo "$OUT_DIR"
	if ! complete "$OUT_DIR"; then
		if [ "$variant" = bench ]; then
			echo "not built: run images/riscv64/build.sh --bench" >&2
		else
			echo "not built: run images/riscv64/build.sh" >&2
		fi
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

# Source packages need deb-src entries.
ensure_deb_src() { # binary package whose source we need
	local want=$1 v=${SRC[$1]}
	if apt-cache showsrc "$want" 2>/dev/null | grep -qx "Version: $v"; then return; fi
	[ "$(id -u)" = 0 ] || die "no deb-src entry for $want $v: add one to /etc/apt/sources.list.d/"
	local f=/etc/apt/sources.list.d/machina-deb-src.sources
	if [ ! -e "$f" ]; then
		local codename
		codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
		say "adding deb-src entries for $codename: $f"
		cat > "$f" <<-EOF
		# Added by Machina images/riscv64/build.sh, for apt-get source.
		Types: deb-src
		URIs: http://deb.debian.org/debian
		Suites: $codename $codename-updates
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

		Types: deb-src
		URIs: http://deb.debian.org/debian-security
		Suites: $codename-security
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		EOF
	fi
	changed=1
	say "apt-get update (for deb-src)"
	apt-get update -qq >&2 || die "apt-get update failed"
	apt-cache showsrc "$want" 2>/dev/null | grep -qx "Version: $v" \
		|| die "source package of $want $v not found in the deb-src lists"
}
ensure_deb_src busybox
[ "$variant" = bench ] && ensure_deb_src xz-utils

# Versions may have changed if packages were just installed.
if [ -n "$changed" ]; then
	old_hash=$HASH
	compute_recipe
	if [ "$HASH" != "$old_hash" ]; then
		say "recipe hash changed after installing packages: $old_hash -> $HASH"
		if [ -z "$rebuild" ] && complete "$OUT_DIR"; then echo "$OUT_DIR"; exit 0; fi
	fi
fi

begin_build

# The initramfs has no shared libraries: every program must be static.
check_static() {
	local f
	for f in "$@"; do
		if ${CROSS}readelf -l "$f" | grep -q 'Requesting program interpreter'; then
			die "$f is dynamically linked"
		fi
	done
}

linux_source

# apt-get source PKG=VER into the cache (downloaded once), unpack into $2.
fetch_source() { # pkg version destdir
	local dsc=$CACHE/src/$1_${2#*:}.dsc
	if [ ! -f "$dsc" ]; then
		(cd "$CACHE/src" && apt-get source --download-only "$1=$2")
	fi
	dpkg-source --no-check -x "$dsc" "$3"
}

# Files of the root file system, in gen_init_cpio's list format.
write_rootfs() { # busybox busybox.links init extra_dir
	local bb=$1 links=$2 init=$3 etc=$4 d p
	cat <<-EOF
	dir /dev 0755 0 0
	nod /dev/console 0600 0 0 c 5 1
	nod /dev/null 0666 0 0 c 1 3
	EOF
	for d in /bin /sbin /usr /usr/bin /usr/sbin /usr/share /usr/share/udhcpc \
		/etc /proc /sys /run /mnt /var /root; do
		echo "dir $d 0755 0 0"
	done
	echo "dir /tmp 1777 0 0"
	echo "file /init $init 0755 0 0"
	echo "file /bin/busybox $bb 0755 0 0"
	while IFS= read -r p; do
		[ "$p" = /bin/busybox ] || echo "slink $p /bin/busybox 0777 0 0"
	done < "$links"
	for p in passwd group hosts; do echo "file /etc/$p $etc/$p 0644 0 0"; done
	echo "file /usr/share/udhcpc/default.script $etc/udhcpc.script 0755 0 0"
}

write_etc() { # dir busybox-source-dir
	mkdir -p "$1"
	printf 'root:x:0:0:root:/root:/bin/sh\n' > "$1/passwd"
	printf 'root:x:0:\ntty:x:5:\n' > "$1/group"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\tmachina\n' > "$1/hosts"
	cp "$2/examples/udhcp/simple.script" "$1/udhcpc.script"
}

if [ "$variant" = default ]; then
	# --- kernel ---
	KO=$B/linux
	kmake() { make -C "$KSRC" O="$KO" ARCH=riscv CROSS_COMPILE=$CROSS "$@"; }
	kconfig() {
		kmake KCONFIG_ALLCONFIG="$HERE/linux.config" allnoconfig
		kmake olddefconfig
	}
	step "linux: configure (allnoconfig + linux.config)" kconfig
	check_config "$HERE/linux.config" "$KO/.config"
	step "linux: build Image (make -j$JOBS)" kmake -j"$JOBS" Image
	cp "$KO/arch/riscv/boot/Image" "$OUT/Image"
	cp "$KO/.config" "$OUT/kernel.config"

	# --- busybox ---
	BB_VER=${SRC[busybox]}
	BBS=$B/busybox
	step "busybox: apt-get source busybox=$BB_VER" fetch_source busybox "$BB_VER" "$BBS"
	bbmake() { make -C "$BBS" CROSS_COMPILE=$CROSS "$@"; }
	bbconfig() {
		bbmake defconfig
		# drop the fragment's options from .config, then append the fragment
		local keys
		keys=$(sed -n 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1/p; s/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p' \
			"$HERE/busybox.config" | paste -sd'|')
		grep -v -E "^(# )?($keys)[= ]" "$BBS/.config" > "$BBS/.config.new" || true
		grep -E '^(CONFIG_|# CONFIG_)' "$HERE/busybox.config" >> "$BBS/.config.new"
		mv "$BBS/.config.new" "$BBS/.config"
		(yes '' || true) | bbmake oldconfig
	}
	step "busybox: configure (defconfig + busybox.config)" bbconfig
	check_config "$HERE/busybox.config" "$BBS/.config"
	step "busybox: build (static, make -j$JOBS)" bbmake -j"$JOBS" busybox busybox.links
	check_static "$BBS/busybox"
	cp "$BBS/.config" "$OUT/busybox.config"

	# --- initramfs ---
	write_etc "$B/etc" "$BBS"
	cp "$HERE/init" "$B/init"
	write_rootfs "$BBS/busybox" "$BBS/busybox.links" "$B/init" "$B/etc" > "$B/initramfs.list"
	step "initramfs: gen_init_cpio | gzip" make_initramfs "$B/initramfs.list" "$OUT/initramfs.cpio.gz"
else
	# The benchmark image reuses the default image: same kernel, and its
	# initramfs followed by a second archive with the benchmark files (Linux
	# unpacks concatenated, separately compressed cpio archives in order).
	say "default image (kernel, busybox initramfs)"
	BASE=$("$0" | tail -n 1) || die "building the default image failed"
	complete "$BASE" || die "default image not found after building it"
	say "  default image: $BASE"
	cp "$BASE/Image" "$OUT/Image"
	echo "$BASE" > "$OUT/base-image"

	# --- xz ---
	XZ_VER=${SRC[xz-utils]}
	XZS=$B/xz-utils
	step "xz-utils: apt-get source xz-utils=$XZ_VER" fetch_source xz-utils "$XZ_VER" "$XZS"
	xzbuild() {
		cd "$XZS"
		# dpkg-source gives patched files a new mtime: keep autotools quiet
		find . -exec touch -h -d "@$EPOCH" {} +
		./configure --host=riscv64-linux-gnu --disable-shared --enable-static \
			--disable-nls --disable-doc --disable-scripts --disable-xzdec \
			--disable-lzmadec --disable-lzmainfo --disable-lzma-links \
			--disable-threads CFLAGS=-O2
		make -j"$JOBS" -C src/liblzma
		# libtool's spelling of a fully static link
		make -j"$JOBS" -C src/xz LDFLAGS=-all-static
		${CROSS}strip -o "$B/xz" src/xz/xz
	}
	step "xz-utils: build static xz" xzbuild

	# --- benchtool ---
	step "benchtool: build" ${CROSS}gcc -O2 -static -s -Wall -o "$B/benchtool" "$BENCH_DIR/benchtool.c"
	check_static "$B/xz" "$B/benchtool"

	# --- initramfs ---
	cp "$BENCH_DIR/bench.sh" "$B/bench.sh"
	cat > "$B/initramfs.list" <<-EOF
	file /usr/bin/xz $B/xz 0755 0 0
	file /usr/bin/benchtool $B/benchtool 0755 0 0
	file /bench.sh $B/bench.sh 0755 0 0
	EOF
	step "initramfs: gen_init_cpio | gzip" make_initramfs "$B/initramfs.list" "$B/bench.cpio.gz"
	cat "$BASE/initramfs.cpio.gz" "$B/bench.cpio.gz" > "$OUT/initramfs.cpio.gz"
fi

publish
say "done: $OUT_DIR ($(du -k "$OUT_DIR/Image" | cut -f1) KiB Image, $(du -k "$OUT_DIR/initramfs.cpio.gz" | cut -f1) KiB initramfs)"
echo "$OUT_DIR"
