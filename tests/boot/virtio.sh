#!/bin/sh
# virtio devices under the emulator with the default guest: an ext4 disk
# written in the guest and read back on the host, a read-only disk refusing
# writes, DHCP and HTTP through user-mode networking both ways (guest to a
# host server; host to a guest server through hostfwd), the entropy device,
# and a tap device where one can be created.
set -eu
M=${MACHINA:-build/machina}
here=$(cd "$(dirname "$0")" && pwd)
dir=${IMAGE_DIR:-$(bash images/riscv64/build.sh --print-path)}
K="$dir/Image"
I="$dir/initramfs.cpio.gz"
tmp=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

run() {	# run ARGS...: boot with a command, output in $tmp/out
	"$M" run --kernel "$K" --initrd "$I" --timeout 120 "$@" </dev/null >"$tmp/out" 2>&1
}
expect() {	# expect REGEX WHAT
	if ! grep -Eq "$1" "$tmp/out"; then
		echo "FAIL: $2: no /$1/ in the console:"; tail -20 "$tmp/out"; exit 1
	fi
}

# 1. ext4: write and sync in the guest, read back on the host with debugfs
truncate -s 64M "$tmp/disk.img"
mke2fs -q -t ext4 -F "$tmp/disk.img"
run --disk "$tmp/disk.img" --append "console=ttyS0 -- mount -t ext4 /dev/vda /mnt && echo machina-disk-ok > /mnt/hello.txt && sync && umount /mnt && echo synced"
expect "synced" "ext4 write"
[ "$(debugfs -R 'cat /hello.txt' "$tmp/disk.img" 2>/dev/null)" = machina-disk-ok ] ||
	{ echo "FAIL: the host does not read back the guest's file"; exit 1; }
echo "virtio: ext4 disk ok"

# 2. read-only: the kernel sees it read-only and writes fail; the data stays
run --disk "$tmp/disk.img,readonly" --append "console=ttyS0 -- cat /sys/block/vda/ro; dd if=/dev/zero of=/dev/vda bs=4096 count=1 conv=fsync 2>&1; echo dd=\$?; mount -t ext4 /dev/vda /mnt 2>/dev/null; cat /mnt/hello.txt; echo x > /mnt/new.txt; echo write=\$?"
expect "^1" "read-only flag"
expect "dd=1" "raw write refused"
expect "write=1" "file write refused"
expect "machina-disk-ok" "read-only data readable"
echo "virtio: read-only disk ok"

# 3. user networking: DHCP, then a page from a host HTTP server on 127.0.0.1,
# and (4) a server inside the guest reached from the host through hostfwd.
# Driven through the shell: the kernel command line cannot carry quotes.
mkdir "$tmp/www"
echo "machina-http-ok" > "$tmp/www/index.html"
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(freeport)
fport=$(freeport)
(cd "$tmp/www" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
pids="$pids $!"
sleep 0.5
"$here/console.py" --timeout 180 -- "$M" run --kernel "$K" --initrd "$I" \
	--net "user,hostfwd=tcp:127.0.0.1:$fport-:8080" --append "console=ttyS0" >"$tmp/net.log" 2>&1 <<SCRIPT &
expect # \$
send printf '#!/bin/sh\\n[ "\$1" = bound ] && ip addr add \$ip/\$mask dev \$interface && ip route add default via \$router\\nexit 0\\n' > /tmp/dhcp.sh; chmod +x /tmp/dhcp.sh\n
send ip link set eth0 up; udhcpc -i eth0 -n -q -s /tmp/dhcp.sh >/dev/null 2>&1; echo dhcp=\$?\n
expect dhcp=0
send ip -4 addr show eth0 | grep -o 'inet [0-9./]*'\n
expect inet 10\.0\.2\.15/24
send wget -q -O - http://10.0.2.2:$port/index.html\n
expect machina-http-ok
send mkdir -p /www && echo machina-guest-http-ok > /www/index.html && httpd -p 8080 -h /www && echo serving\n
expect serving
sleep 60
SCRIPT
cpid=$!
pids="$pids $cpid"
got=""
for _ in $(seq 1 120); do
	sleep 0.5
	got=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$fport/index.html', timeout=2).read().decode().strip())" 2>/dev/null) && break
	kill -0 "$cpid" 2>/dev/null || break
done
kill "$cpid" 2>/dev/null || true
if [ "$got" != machina-guest-http-ok ]; then
	echo "FAIL: networking (got '$got' through hostfwd):"; tail -20 "$tmp/net.log"; exit 1
fi
echo "virtio: user networking: DHCP, guest->host HTTP, host->guest hostfwd ok"

# 5. entropy
run --append "console=ttyS0 -- head -c 64 /dev/hwrng | od -An -tx1 | tr -d ' \n' | wc -c"
expect "^128" "64 random bytes from /dev/hwrng"
echo "virtio: rng ok"

# 6. tap, where this host lets us create one
if ip tuntap add dev machina-t0 mode tap 2>/dev/null; then
	ip addr add 192.168.77.1/24 dev machina-t0 && ip link set machina-t0 up
	run --net tap,ifname=machina-t0 --append "console=ttyS0 -- ip link set eth0 up; ip addr add 192.168.77.2/24 dev eth0; ping -c 2 -W 3 192.168.77.1 >/dev/null && echo ping-ok"
	ip link del machina-t0
	expect "ping-ok" "tap ping"
	echo "virtio: tap ok"
else
	echo "virtio: tap SKIPPED: cannot create a tap device here (needs CAP_NET_ADMIN and /dev/net/tun)"
fi
