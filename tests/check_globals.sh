#!/bin/sh
# Fails when the core library defines a writable global or static variable.
# Machina runs many VMs in one process: all mutable state lives in struct vm
# and what hangs off it.
#
# Every object symbol is classified by its section (objdump -t): .data*, .bss*,
# .tdata/.tbss (thread-locals) and common symbols are writable and rejected;
# .rodata* and .data.rel.ro* (const tables holding pointers, read-only after
# relocation) are fine. An allow-list entry would go in tests/globals.allow
# (one symbol per line; it is empty and should stay so).
set -eu
lib=${1:-build/libmachina.a}
allow=$(dirname "$0")/globals.allow
bad=$(objdump -t "$lib" | awk '
	/^In archive/ { next }
	/file format/ { obj = $1; next }
	NF >= 5 && ($0 ~ / O / || $0 ~ /\*COM\*/) {
		sec = $(NF-2); sym = $NF
		if (sec ~ /^\.data\.rel\.ro/ || sec ~ /^\.rodata/) next
		if (sec ~ /^\.(data|bss|tdata|tbss|sdata|sbss)/ || sec == "*COM*")
			print obj, sec, sym
	}')
if [ -n "$bad" ] && [ -f "$allow" ]; then
	bad=$(printf '%s\n' "$bad" | while read -r o s sym; do
		grep -qx "$sym" "$allow" || echo "$o $s $sym"; done)
fi
if [ -n "$bad" ]; then
	echo "check-globals: writable global/static variables in $lib:" >&2
	echo "$bad" >&2
	exit 1
fi
echo "check-globals: no writable globals in $lib"
