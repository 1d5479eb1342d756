#!/usr/bin/env python3
"""Drive a guest console: start machina, wait for output, type input.

    console.py [--pty] [--timeout S] [--expect-status N] -- MACHINA ARGS... \
        < script

The script (stdin) has one step per line:
    expect REGEX      wait until the console output matches REGEX
    send TEXT         type TEXT (\\n, \\r, \\x01 escapes are understood)
    sleep SECONDS
    eof               close the guest's stdin
Exits 0 when every step succeeded and machina exited with the expected
status, 1 otherwise, printing the tail of the console on failure.
"""
import argparse
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pty", action="store_true", help="give machina a terminal")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--expect-status", type=int, default=0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    steps = [l.rstrip("\n") for l in sys.stdin if l.strip() and not l.startswith("#")]

    if a.pty:
        master, slave = pty.openpty()
        p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=subprocess.STDOUT,
                             close_fds=True)
        os.close(slave)
        rfd = wfd = master
    else:
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        rfd, wfd = p.stdout.fileno(), p.stdin.fileno()
    def on_term(signum, frame):
        p.kill()
        sys.exit(1)
    signal.signal(signal.SIGTERM, on_term)
    deadline = time.time() + a.timeout
    out = b""
    pos = 0

    def pump(wait):
        nonlocal out
        r, _, _ = select.select([rfd], [], [], wait)
        if r:
            try:
                data = os.read(rfd, 65536)
            except OSError:
                data = b""
            out += data
            return bool(data)
        return True

    def fail(why):
        sys.stdout.write("console.py: FAIL: %s\n--- console tail ---\n%s\n" %
                         (why, out[-3000:].decode("utf-8", "replace")))
        p.kill()
        sys.exit(1)

    for step in steps:
        op, _, arg = step.partition(" ")
        if op == "expect":
            rx = re.compile(arg.encode())
            while True:
                m = rx.search(out, pos)
                if m:
                    pos = m.end()
                    break
                if time.time() > deadline:
                    fail("timed out waiting for /%s/" % arg)
                if not pump(0.1) and p.poll() is not None:
                    fail("machina exited (status %s) before /%s/" % (p.returncode, arg))
        elif op == "send":
            text = arg.encode().decode("unicode_escape").encode("latin-1")
            os.write(wfd, text)
        elif op == "sleep":
            end = time.time() + float(arg)
            while time.time() < end:
                pump(0.05)
        elif op == "eof":
            if a.pty:
                fail("eof needs a pipe")
            p.stdin.close()
        else:
            fail("bad script step %r" % step)
    while p.poll() is None:
        if time.time() > deadline:
            fail("machina did not exit in time")
        pump(0.1)
    while pump(0) and select.select([rfd], [], [], 0)[0]:
        pass
    if p.returncode != a.expect_status:
        fail("exit status %d, expected %d" % (p.returncode, a.expect_status))
    return 0


if __name__ == "__main__":
    sys.exit(main())
