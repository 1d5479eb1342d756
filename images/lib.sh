# images/lib.sh - what every guest image recipe (images/<arch>/build.sh)
# shares: the cache layout, progress output, Debian package versions, host
# packages, the build lock and temporary tree, logged build steps, kernel
# config checks, the Linux source tree, the initramfs archive and the atomic
# publication of the result. Sourced by bash after `set -euo pipefail`; the
# recipe sets HERE first. This file is part of every recipe's hash.

CACHE=${MACHINA_CACHE:-$HOME/.cache/machina}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
# Fixed timestamp for everything that embeds one (2024-01-01 00:00:00 UTC).
EPOCH=1704067200
LINUX_PKG=linux-source-6.1
LINUX_TARBALL=/usr/src/$LINUX_PKG.tar.xz
LIB_SH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh

# A nested build (the benchmark image building the default one) keeps the clock.
T0=${MACHINA_BUILD_T0:-$(date +%s)}
export MACHINA_BUILD_T0=$T0
say() { printf '[%4ds] %s\n' $(( $(date +%s) - T0 )) "$*" >&2; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

# --- versions of the Debian packages that go into the image -----------------

# load_versions PKG...: VER[pkg] = installed version, else apt's candidate
# (CAND[pkg]), else "none". Two queries in all, so that --print-path stays
# quick.
declare -A VER SRC CAND
load_versions() {
	local p s v
	declare -A inst
	while IFS='|' read -r p s v; do
		[ "$s" = "install ok installed" ] && inst[${p%%:*}]=$v
	done < <(dpkg-query -W -f='${Package}|${Status}|${Version}\n' "$@" 2>/dev/null || true)
	while read -r p v; do
		[ "$v" = "(none)" ] || CAND[$p]=$v
	done < <(apt-cache policy "$@" 2>/dev/null | awk '
		/^[^ ].*:$/ { p = substr($0, 1, length($0) - 1) }
		/^  Candidate:/ { print p, $2 }')
	for p in "$@"; do
		VER[$p]=${inst[$p]:-${CAND[$p]:-none}}
	done
}

# load_sources PKG... (after load_versions): SRC[pkg] = version of the
# source package that built the candidate (what `apt-get source PKG`
# fetches), else "none". One query.
load_sources() {
	local p v src show=()
	for p in "$@"; do
		SRC[$p]=none
		[ -n "${CAND[$p]:-}" ] && show+=("$p=${CAND[$p]}")
	done
	[ ${#show[@]} -gt 0 ] || return 0
	while read -r p v src; do
		SRC[$p]=${src:-$v}
	done < <(apt-cache show "${show[@]}" 2>/dev/null | awk '
		/^Package:/ { p = $2; v = ""; s = "" }
		/^Version:/ { v = $2 }
		/^Source:/ && match($0, /\(.*\)/) { s = substr($0, RSTART + 1, RLENGTH - 2) }
		NF == 0 && p != "" { print p, v, s; p = "" }
		END { if (p != "") print p, v, s }')
}

# recipe_file LABEL PATH: the recipe line for one file (its sha256)
recipe_file() { printf 'file %s %s\n' "$1" "$(sha256sum < "$2" | cut -c1-64)"; }

# --- build -------------------------------------------------------------------

# install_missing PKG...: apt-get install the host packages that are not
# installed (as root); sets changed=1 when it installed any.
install_missing() {
	local p missing= apt_log
	for p in "$@"; do
		case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) in
		"install ok installed") ;;
		*) missing="$missing $p" ;;
		esac
	done
	[ -n "$missing" ] || return 0
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
	changed=1
}

# begin_build: take the build lock of $NAME-$HASH (another build of the
# same image is waited for, and its result used), then set LOG, TMP, B
# (build tree) and OUT (result), removed on exit unless MACHINA_KEEP_BUILD
# is set. Uses rebuild, OUT_DIR and the recipe's complete().
begin_build() {
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
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	say "building $NAME-$HASH (log: $LOG)"
	export SOURCE_DATE_EPOCH=$EPOCH KBUILD_BUILD_TIMESTAMP=@$EPOCH \
		KBUILD_BUILD_USER=machina KBUILD_BUILD_HOST=machina KCONFIG_NOTIMESTAMP=1 \
		LC_ALL=C TZ=UTC
}

cleanup() {
	[ -n "${job:-}" ] && kill "$job" 2>/dev/null || true
	if [ -n "${MACHINA_KEEP_BUILD:-}" ]; then
		echo "build.sh: build tree kept in $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}

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

# linux_source: KSRC = the kernel source, extracted once per package version
# into the cache (shared by every image), built out of tree (O=) so the
# extracted tree stays pristine. Needs VER[$LINUX_PKG].
extract_linux() {
	local t
	t=$(mktemp -d "$CACHE/src/.tmp-linux.XXXXXX")
	xz -T0 -dc "$LINUX_TARBALL" | tar -x -C "$t"
	mv -T "$t/$LINUX_PKG" "$KSRC" || [ -f "$KSRC/Makefile" ]
	rm -rf "$t"
}
linux_source() {
	LINUX_VER=${VER[$LINUX_PKG]}
	KSRC=$CACHE/src/$LINUX_PKG-$LINUX_VER
	if [ ! -f "$KSRC/Makefile" ]; then
		step "extract $LINUX_PKG $LINUX_VER" extract_linux
	fi
}

# make_initramfs LIST OUTPUT: files get the fixed timestamp so the archive
# only depends on its contents (all of them are copies under $B).
make_initramfs() {
	gcc -O2 -o "$B/gen_init_cpio" "$KSRC/usr/gen_init_cpio.c"
	awk '$1 == "file" { print $3 }' "$1" | xargs touch -h -d "@$EPOCH"
	"$B/gen_init_cpio" -t "$EPOCH" "$1" | gzip -n -9 > "$2"
}

# publish: write the recipe and log into $OUT and move it to $OUT_DIR
# atomically. An existing directory (--rebuild, or an incomplete leftover)
# is first moved into the temporary directory, which is removed.
publish() {
	printf '%s' "$RECIPE" > "$OUT/recipe.txt"
	cp "$LOG" "$OUT/build.log"
	if [ -e "$OUT_DIR" ] && { [ -n "$rebuild" ] || ! complete "$OUT_DIR"; }; then
		mv -T "$OUT_DIR" "$TMP/old"
	fi
	mv -T "$OUT" "$OUT_DIR" 2>/dev/null || complete "$OUT_DIR" || die "cannot create $OUT_DIR"
}
