#!/usr/bin/env python3
"""Host side of the x86-64 guest tests (tests/kvm/run.sh): the values the
guests must print, the disk image pattern, and the UDP server of the net test.
Each formula here is written independently of the guest's C code.

  host.py compute SEED MIB PASSES          expected CRC-32 of the compute test
  host.py mkimage FILE SECTORS             disk image with the read pattern
  host.py crc FILE SECTOR COUNT            CRC-32 of sectors of an image
  host.py write-crc SECTOR COUNT SEED      CRC-32 of what the blk test writes
  host.py check-image FILE SECTORS [WSEC WCOUNT SEED]
                                           the pattern everywhere, except the
                                           written sectors when given
  host.py udp-server PORTFILE LOGFILE TOKEN [SECONDS]
                                           answer "machina-udp-ping TOKEN" with
                                           "machina-udp-pong TOKEN" on 127.0.0.1
"""
import array
import os
import socket
import sys
import zlib

SECTOR = 512


def compute(seed, mib, passes):
    """Marsaglia's xorshift64 (13, 7, 17) over MIB MiB, CRC-32'd PASSES times."""
    mask = (1 << 64) - 1
    words = mib << 17
    a = array.array("Q", bytes(8 * words))
    x = seed
    for i in range(words):
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
        a[i] = x
    if sys.byteorder != "little":
        a.byteswap()
    data = a.tobytes()
    crc = 0
    for _ in range(passes):
        crc = zlib.crc32(data, crc)
    return crc


def _sector(step, offset):
    """bytes (i * step + offset) & 0xff for i in 0..511"""
    return bytes((i * step + offset) & 0xFF for i in range(SECTOR))


def disk_sector(s):
    """byte i of sector s on the host's image"""
    return _sector(7, s * 131 + (s >> 8))


def write_sector(s, seed):
    """byte i of sector s as the blk test writes it"""
    return _sector(3, s * 17 + seed)


def mkimage(path, sectors):
    with open(path, "wb") as f:
        for s in range(sectors):
            f.write(disk_sector(s))


def check_image(path, sectors, wsec=None, wcount=0, seed=0):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) != sectors * SECTOR:
        return "image is %d bytes, expected %d" % (len(data), sectors * SECTOR)
    for s in range(sectors):
        want = write_sector(s, seed) if wsec is not None and wsec <= s < wsec + wcount else disk_sector(s)
        got = data[s * SECTOR:(s + 1) * SECTOR]
        if got != want:
            i = next(i for i in range(SECTOR) if got[i] != want[i])
            return "sector %d byte %d is 0x%02x, expected 0x%02x" % (s, i, got[i], want[i])
    return None


def udp_server(portfile, logfile, token, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(seconds)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    with open(logfile, "a") as log:
        while True:
            try:
                msg, addr = s.recvfrom(2048)
            except socket.timeout:
                return
            text = msg.decode("ascii", "replace")
            log.write("got %r from %s:%d\n" % (text, addr[0], addr[1]))
            log.flush()
            if text == "machina-udp-ping " + token:
                s.sendto(("machina-udp-pong " + token).encode(), addr)
                log.write("answered\n")
                log.flush()


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    a = argv[2:]
    if cmd == "compute":
        print("0x%08x" % compute(int(a[0], 0), int(a[1], 0), int(a[2], 0)))
    elif cmd == "mkimage":
        mkimage(a[0], int(a[1], 0))
    elif cmd == "crc":
        with open(a[0], "rb") as f:
            f.seek(int(a[1], 0) * SECTOR)
            print("0x%08x" % zlib.crc32(f.read(int(a[2], 0) * SECTOR)))
    elif cmd == "write-crc":
        s0, n, seed = (int(v, 0) for v in a[:3])
        print("0x%08x" % zlib.crc32(b"".join(write_sector(s, seed) for s in range(s0, s0 + n))))
    elif cmd == "check-image":
        w = [int(v, 0) for v in a[2:5]] if len(a) >= 5 else [None, 0, 0]
        err = check_image(a[0], int(a[1], 0), *w)
        if err:
            print(err)
            return 1
    elif cmd == "udp-server":
        udp_server(a[0], a[1], a[2], float(a[3]) if len(a) > 3 else 120)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
