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
CACHE=${MACHINA_CACHE:-$HOME/.cache/machina}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
# Fixed timestamp for everything that embeds one (2024-01-01 00:00:00 UTC).
EPOCH=1704067200
LINUX_PKG=linux-source-6.1
LINUX_TARBALL=/usr/src/$LINUX_PKG.tar.xz
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

T0=${MACHINA_BUILD_T0:-$(date +%s)}
export MACHINA_BUILD_T0=$T0
say() { printf '[%4ds] %s\n' $(( $(date +%s) - T0 )) "$*" >&2; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

# The kernel is built with the host's gcc and the initramfs takes the host's
# busybox-static: both need an amd64 host.
host_arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
case $host_arch in
amd64|x86_64) ;;
*) die "the x86_64 image is built on an amd64 host (this one is $host_arch)" ;;
esac

# --- versions of the Debian packages that go into the image -----------------

# load_versions PKG...: VER[pkg] = installed version, else apt's candidate,
# else "none". Two queries in all, so that --print-path stays quick.
declare -A VER
load_versions() {
	local p s v
	declare -A inst cand
	while IFS='|' read -r p s v; do
		[ "$s" = "install ok installed" ] && inst[${p%%:*}]=$v
	done < <(dpkg-query -W -f='${Package}|${Status}|${Version}\n' "$@" 2>/dev/null || true)
	while read -r p v; do
		[ "$v" = "(none)" ] || cand[$p]=$v
	done < <(apt-cache policy "$@" 2>/dev/null | awk '
		/^[^ ].*:$/ { p = substr($0, 1, length($0) - 1) }
		/^  Candidate:/ { print p, $2 }')
	for p in "$@"; do
		VER[$p]=${inst[$p]:-${cand[$p]:-none}}
	done
}

# The recipe: what the image hash covers. Sets NAME, HASH, RECIPE, OUT_DIR.
compute_recipe() {
	local f p
	RECIPE="machina guest image recipe 1
arch x86_64
variant default
"
	for f in build.sh linux.config init udhcpc.script; do
		RECIPE+="file x86_64/$f $(sha256sum < "$HERE/$f" | cut -c1-64)
"
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
missing=
for p in $DEPS; do
	case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) in
	"install ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root, or apt-get install them)"
	say "apt-get install$missing"
	apt_log=$(mktemp)
	if ! { apt-get update && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $missing; } > "$apt_log" 2>&1; then
		tail -n 20 "$apt_log" >&2
		rm -f "$apt_log"
		die "apt-get install$missing failed"
	fi
	rm -f "$apt_log"
	# Versions may have changed now that the packages are installed.
	old_hash=$HASH
	compute_recipe
	if [ "$HASH" != "$old_hash" ]; then
		say "recipe hash changed after installing packages: $old_hash -> $HASH"
		if [ -z "$rebuild" ] && complete "$OUT_DIR"; then echo "$OUT_DIR"; exit 0; fi
	fi
fi

mkdir -p "$CACHE/images/logs" "$CACHE/images/.locks" "$CACHE/src"
exec 9> "$CACHE/images/.locks/$NAME-$HASH"
if ! flock -n 9; then
	say "another build of $NAME-$HASH is running; waiting for it"
	flock 9
	if [ -z "$rebuild" ] && complete "$OUT_DIR"; then echo "$OUT_DIR"; exit 0; fi
fi

# Holding the lock: leftovers of an interrupted build of this image can go.
rm -rf "$CACHE/images/.tmp-$NAME-$HASH."*
LOG=$CACHE/images/logs/$NAME-$HASH.log
: > "$LOG"
TMP=$(mktemp -d "$CACHE/images/.tmp-$NAME-$HASH.XXXXXX")
B=$TMP/build
OUT=$TMP/out
mkdir -p "$B" "$OUT"
job=
cleanup() {
	[ -n "$job" ] && kill "$job" 2>/dev/null || true
	if [ -n "${MACHINA_KEEP_BUILD:-}" ]; then
		echo "build.sh: build tree kept in $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building $NAME-$HASH (log: $LOG)"
export SOURCE_DATE_EPOCH=$EPOCH KBUILD_BUILD_TIMESTAMP=@$EPOCH \
	KBUILD_BUILD_USER=machina KBUILD_BUILD_HOST=machina KCONFIG_NOTIMESTAMP=1 \
	LC_ALL=C TZ=UTC

# step NAME CMD...: run CMD with its output in the log; report progress every
# 30 s; on failure print the end of the log and stop.
step() {
	local name=$1 t=0 s rc=0
	shift
	s=$(date +%s)
	say "$name"
	printf '\n===== %s: %s\n' "$name" "$*" >> "$LOG"
	"$@" >> "$LOG" 2>&1 < /dev/null &
	job=$!
	while kill -0 "$job" 2>/dev/null; do
		sleep 1
		t=$((t + 1))
		if [ $((t % 30)) -eq 0 ]; then
			say "  ... $name: ${t}s, $(tail -n 1 "$LOG" | cut -c1-70)"
		fi
	done
	wait "$job" || rc=$?
	job=
	if [ $rc -ne 0 ]; then
		printf '%s\n' "----- last 40 lines of $LOG -----" >&2
		tail -n 40 "$LOG" >&2
		die "$name failed (exit $rc); full log: $LOG"
	fi
	say "  $name done in $(( $(date +%s) - s ))s"
}

# check_config FRAGMENT DOTCONFIG: every option the fragment sets must have
# that value in the resolved config ("is not set" means absent or =n).
check_config() {
	local line key bad=0
	while IFS= read -r line; do
		case $line in
		"# CONFIG_"*" is not set")
			key=${line#\# }; key=${key%% *}
			if grep -q "^$key=" "$2" && ! grep -qx "$key=n" "$2"; then
				echo "config: $key wanted unset, got: $(grep "^$key=" "$2")" >&2; bad=1
			fi ;;
		CONFIG_*=*)
			if ! grep -qxF "$line" "$2"; then
				echo "config: wanted $line, got: $(grep "^${line%%=*}=" "$2" || echo unset)" >&2; bad=1
			fi ;;
		esac
	done < "$1"
	[ $bad -eq 0 ] || die "$(basename "$1") does not resolve as written (dependencies?)"
}

# Kernel source: extracted once per package version into the cache (shared
# with the riscv64 image), built out of tree (O=) so the tree stays pristine.
LINUX_VER=${VER[$LINUX_PKG]}
KSRC=$CACHE/src/$LINUX_PKG-$LINUX_VER
extract_linux() {
	local t
	t=$(mktemp -d "$CACHE/src/.tmp-linux.XXXXXX")
	xz -T0 -dc "$LINUX_TARBALL" | tar -x -C "$t"
	mv -T "$t/$LINUX_PKG" "$KSRC" || [ -f "$KSRC/Makefile" ]
	rm -rf "$t"
}
if [ ! -f "$KSRC/Makefile" ]; then
	step "extract $LINUX_PKG $LINUX_VER" extract_linux
fi

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

# make_initramfs LIST OUTPUT: files get the fixed timestamp so the archive
# only depends on its contents (all of them are copies under $B).
make_initramfs() {
	gcc -O2 -o "$B/gen_init_cpio" "$KSRC/usr/gen_init_cpio.c"
	awk '$1 == "file" { print $3 }' "$1" | xargs touch -h -d "@$EPOCH"
	"$B/gen_init_cpio" -t "$EPOCH" "$1" | gzip -n -9 > "$2"
}

write_etc "$B/etc"
cp "$HERE/init" "$B/init"
write_rootfs "$B/busybox" "$B/busybox.links" "$B/init" "$B/etc" > "$B/initramfs.list"
step "initramfs: gen_init_cpio | gzip" make_initramfs "$B/initramfs.list" "$OUT/initrd.cpio.gz"

printf '%s' "$RECIPE" > "$OUT/recipe.txt"
cp "$LOG" "$OUT/build.log"
# Publish atomically. An existing directory (--rebuild, or an incomplete
# leftover) is first moved into the temporary directory, which is removed.
if [ -e "$OUT_DIR" ] && { [ -n "$rebuild" ] || ! complete "$OUT_DIR"; }; then
	mv -T "$OUT_DIR" "$TMP/old"
fi
mv -T "$OUT" "$OUT_DIR" 2>/dev/null || complete "$OUT_DIR" || die "cannot create $OUT_DIR"
kib() { echo $(( $(stat -c %s "$1") / 1024 )); }
say "done: $OUT_DIR ($(kib "$OUT_DIR/bzImage") KiB bzImage, $(kib "$OUT_DIR/vmlinux") KiB vmlinux, $(kib "$OUT_DIR/initrd.cpio.gz") KiB initramfs)"
echo "$OUT_DIR"
