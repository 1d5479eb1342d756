#!/bin/sh
# Fails when the core library defines a writable global or static variable
# (nm types D/d data, B/b bss, V/v weak objects, G/g/S/s small data, C common).
# Machina runs many VMs in one process: all mutable state lives in struct vm
# and what hangs off it. Constant tables (R/r) are fine.
# An allow-list entry would go in tests/globals.allow (one symbol per line).
set -eu
lib=${1:-build/libmachina.a}
allow=$(dirname "$0")/globals.allow
bad=$(nm -A "$lib" | awk '$(NF-1) ~ /^[DdBbVvGgSsC]$/ {print $1, $(NF-1), $NF}' |
      while read -r where type sym; do
	      if [ -f "$allow" ] && grep -qx "$sym" "$allow"; then continue; fi
	      echo "$where $type $sym"
      done)
if [ -n "$bad" ]; then
	echo "check-globals: writable global/static variables in $lib:" >&2
	echo "$bad" >&2
	exit 1
fi
echo "check-globals: no writable globals in $lib"
