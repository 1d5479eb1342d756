#!/usr/bin/env python3
"""Host side of the network workloads of bench/virtio_bench.sh.

    netsink.py PORTFILE RESULTFILE RX_MIB

Listens on 127.0.0.1 on two ephemeral ports and writes "TXPORT RXPORT" to
PORTFILE once both listen (the guest reaches them as 10.0.2.2:PORT through
slirp). Serves one connection on each, in either order:

  TX port (guest -> host): reads to EOF, checks a sample of the data (byte i
      is i & 255), then replies "netsink: net-tx ..." and closes. Throughput
      is bytes / time between the first and the last byte received.
  RX port (host -> guest): sends RX_MIB MiB of the same pattern and closes.

Results go to RESULTFILE, one line per connection:
    tx bytes=N secs=S mbps=X ok=1
    rx bytes=N secs=S mbps=X
Exits when both connections are done, or after 600 s.
"""
import socket
import sys
import threading
import time


def listener():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    s.settimeout(600)
    return s


def record(line):
    with lock:
        with open(resultfile, "a") as f:
            f.write(line + "\n")


def serve_tx(ls):
    c, _ = ls.accept()
    c.settimeout(600)
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    total = 0
    ok = 1
    t_first = t_last = None
    while True:
        n = c.recv_into(view)
        if n == 0:
            break
        t_last = time.monotonic()
        if t_first is None:
            t_first = t_last
        # sampled pattern check: first and last byte of each chunk
        if buf[0] != (total & 255) or buf[n - 1] != ((total + n - 1) & 255):
            ok = 0
        total += n
    secs = (t_last - t_first) if t_first is not None else 0.0
    mbps = total / secs / 1e6 if secs > 0 else 0.0
    line = "tx bytes=%d secs=%.6f mbps=%.3f ok=%d" % (total, secs, mbps, ok)
    try:
        c.sendall(("netsink: net-tx host " + line + "\n").encode())
    except OSError:
        pass
    c.close()
    record(line)


def serve_rx(ls, mib):
    c, _ = ls.accept()
    c.settimeout(600)
    chunk = bytes(range(256)) * 1024  # 256 KiB, pattern i & 255
    total = mib << 20
    sent = 0
    t0 = time.monotonic()
    view = memoryview(chunk)
    while sent < total:
        n = c.send(view[: min(len(chunk), total - sent)])
        # keep the pattern aligned: chunk length is a multiple of 256, so
        # restart from the offset that continues i & 255
        sent += n
        view = memoryview(chunk)[sent % 256:]
    c.shutdown(socket.SHUT_WR)
    # wait for the guest to close (it read everything)
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass
    secs = time.monotonic() - t0
    c.close()
    record("rx bytes=%d secs=%.6f mbps=%.3f" % (sent, secs, sent / secs / 1e6))


portfile, resultfile, rx_mib = sys.argv[1], sys.argv[2], int(sys.argv[3])
lock = threading.Lock()
tx, rx = listener(), listener()
with open(portfile + ".tmp", "w") as f:
    f.write("%d %d\n" % (tx.getsockname()[1], rx.getsockname()[1]))
import os
os.rename(portfile + ".tmp", portfile)
threads = [threading.Thread(target=serve_tx, args=(tx,), daemon=True),
           threading.Thread(target=serve_rx, args=(rx, rx_mib), daemon=True)]
for t in threads:
    t.start()
for t in threads:
    t.join(600)
