#!/bin/sh
# Guest side of bench/virtio_bench.sh, run by busybox sh from the tools disk
# (/dev/vda, mounted read-only on /mnt):
#
#   sh /mnt/run.sh SEED SECS DATA_BYTES TX_PORT TX_MIB RX_PORT
#
# Checks that the tools disk is /dev/vda and the DATA_BYTES data disk is
# /dev/vdb, runs `iobench blk /dev/vdb` unless DATA_BYTES is 0, then brings up
# eth0 with slirp's static addresses and runs `iobench net-tx 10.0.2.2
# TX_PORT TX_MIB` and `iobench net-rx 10.0.2.2 RX_PORT` unless the port is 0.
# Prints "iobench: done" and exits 0 when everything passed.
seed=$1 secs=$2 bytes=$3 txport=$4 txmib=$5 rxport=$6
T=/mnt/iobench

fail() { echo "iobench: FAIL $*"; exit 1; }

grep -q '^/dev/vda /mnt ' /proc/mounts || fail "tools disk is not /dev/vda"
for d in /sys/block/vd*; do
	echo "iobench: disk ${d##*/} $(( $(cat "$d/size") * 512 )) bytes ro=$(cat "$d/ro")"
done
for d in /sys/bus/virtio/devices/virtio*; do
	echo "iobench: virtio ${d##*/} device $(cat "$d/device") features $(cat "$d/features")"
done

if [ "$bytes" != 0 ]; then
	[ -e /sys/block/vdb ] || fail "no /dev/vdb"
	[ $(( $(cat /sys/block/vdb/size) * 512 )) = "$bytes" ] ||
		fail "/dev/vdb is not the $bytes-byte data disk"
	$T blk /dev/vdb "$seed" "$secs" || fail "blk"
fi

if [ "$txport" != 0 ] || [ "$rxport" != 0 ]; then
	ip link set eth0 up &&
	ip addr add 10.0.2.15/24 dev eth0 &&
	ip route add default via 10.0.2.2 || fail "network setup"
	if [ "$txport" != 0 ]; then
		$T net-tx 10.0.2.2 "$txport" "$txmib" || fail "net-tx"
	fi
	if [ "$rxport" != 0 ]; then
		$T net-rx 10.0.2.2 "$rxport" || fail "net-rx"
	fi
fi
echo "iobench: done"
