#!/usr/bin/env python3
"""KVM start-up benchmark: Machina's x86-64 microVM against Debian's
qemu-system-x86_64 -accel kvm -M microvm, booting the same tiny PVH guest
(bench/kvm/tiny.S), interleaved runs, medians.

Per run and VMM:
  first output  process spawn -> first console byte from the guest (wall ms)
  total CPU     user+sys CPU of the whole run (start, guest, teardown; ms)
  RSS-guest     resident memory minus the guest RAM mapping, sampled while
                the -DHOLD variant of the guest sits halted (KiB)
Machina only (MACHINA_STATS=1): spawn -> first KVM_RUN (wall ms), the CPU
time spent before it, and the user-space exits per serial byte.
Targets (issue): first KVM_RUN <= 4 CPU ms; RSS-guest <= 2.5 MiB; start-up
time <= 0.25x QEMU's.
"""
import os, re, signal, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MACHINA = os.environ.get("MACHINA", os.path.join(ROOT, "build/machina"))
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
RUNS = int(os.environ.get("KVM_BENCH_RUNS", "9"))
MEM = os.environ.get("KVM_BENCH_MEMORY", "256M")
TINY = os.path.join(ROOT, "build/bench/tiny.elf")
TINY_HOLD = os.path.join(ROOT, "build/bench/tiny-hold.elf")
MSG = b"tiny: hello\n"


def die(msg):
    print("kvm-bench: ERROR: " + msg, file=sys.stderr)
    sys.exit(1)


def cmd(vmm, elf):
    if vmm == "machina":
        return [MACHINA, "run", "--arch", "x86_64", "--memory", MEM, "--kernel", elf,
                "--timeout", "30"]
    return [QEMU, "-M", "microvm", "-accel", "kvm", "-cpu", "host", "-m", MEM, "-smp", "1",
            "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio",
            "-kernel", elf, "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]


def run_once(vmm):
    env = dict(os.environ, MACHINA_STATS="1")
    t0 = time.time_ns()
    p = subprocess.Popen(cmd(vmm, TINY), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env)
    first = p.stdout.read(1)
    t_first = time.time_ns()
    rest = p.stdout.read()
    err = p.stderr.read().decode(errors="replace")
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    out = first + rest
    if MSG not in out:
        die(f"{vmm}: the guest did not print its line (exit {p.returncode}): {err[-300:]}")
    r = {"first_out_ms": (t_first - t0) / 1e6,
         "cpu_ms": (ru.ru_utime + ru.ru_stime) * 1e3}
    if vmm == "machina":
        m = re.search(r"first_kvm_run_realtime_ns=(\d+) first_kvm_run_cpu_ms=([\d.]+).*"
                      r" io_exits=(\d+)", err)
        if not m:
            die("machina printed no statistics: " + err[-300:])
        r["first_run_ms"] = (int(m.group(1)) - t0) / 1e6
        r["first_run_cpu_ms"] = float(m.group(2))
        # the guest's port writes: its message plus the two exit ports
        r["exits_per_byte"] = (int(m.group(3)) - 2) / len(MSG)
    return r


def rss_excluding_guest(vmm, mem_bytes):
    p = subprocess.Popen(cmd(vmm, TINY_HOLD), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    try:
        if p.stdout.read(len(MSG)) != MSG:
            die(f"{vmm}: the hold guest did not start")
        time.sleep(0.3)
        total = guest = 0
        in_guest = False
        with open(f"/proc/{p.pid}/smaps") as f:
            for line in f:
                m = re.match(r"([0-9a-f]+)-([0-9a-f]+) ", line)
                if m:
                    size = int(m.group(2), 16) - int(m.group(1), 16)
                    # the guest RAM: an anonymous mapping at least as big as --memory
                    in_guest = size >= mem_bytes and len(line.split()) < 6
                elif line.startswith("Rss:"):
                    kib = int(line.split()[1])
                    total += kib
                    if in_guest:
                        guest += kib
        return total - guest
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()


def exits_per_request(tmpimg):
    """user-space exits one virtio-blk request costs: the blk test guest
    with and without 200 extra 4 KiB reads completed by interrupt"""
    subprocess.check_call([sys.executable, os.path.join(ROOT, "tests/kvm/host.py"), "mkimage",
                           tmpimg, "2048"])
    counts = []
    for n in (0, 200):
        p = subprocess.run([MACHINA, "run", "--arch", "x86_64", "--memory", MEM, "--kernel",
                            os.path.join(ROOT, "build/kvm/blk.elf"), "--disk", tmpimg,
                            "--append", f"blk_bench={n}", "--timeout", "60"],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           env=dict(os.environ, MACHINA_STATS="1"))
        m = re.search(r" io_exits=(\d+) mmio_exits=(\d+)", p.stderr)
        if not m or "FAIL" in p.stdout or (n and "ok blk.bench" not in p.stdout):
            die("blk guest failed: " + p.stdout[-300:] + p.stderr[-300:])
        # the bench line itself is printed through the serial port
        serial = len(re.search(r"ok blk.bench.*\n", p.stdout).group(0)) if n else 0
        counts.append((int(m.group(1)) - serial, int(m.group(2))))
    return [(counts[1][i] - counts[0][i]) / 200 for i in range(2)]


def main():
    if not os.path.exists("/dev/kvm"):
        die("/dev/kvm is missing")
    if subprocess.call(["sh", "-c", f"command -v {QEMU}"], stdout=subprocess.DEVNULL) != 0:
        die(f"{QEMU} not found: apt-get install qemu-system-x86")
    subprocess.check_call(["make", "-s", "-C", ROOT, "build/machina", "build/bench/tiny.elf",
                           "build/bench/tiny-hold.elf", "build/kvm/blk.elf"])
    mem_bytes = int(MEM[:-1]) << {"M": 20, "G": 30}[MEM[-1]]
    res = {"machina": [], "qemu": []}
    for i in range(RUNS):
        for vmm in ("machina", "qemu"):
            r = run_once(vmm)
            r["rss_kib"] = rss_excluding_guest(vmm, mem_bytes)
            res[vmm].append(r)
        m, q = res["machina"][-1], res["qemu"][-1]
        print(f"kvm-bench: run {i + 1}: machina first KVM_RUN {m['first_run_ms']:.1f} ms "
              f"({m['first_run_cpu_ms']:.2f} CPU ms), first output {m['first_out_ms']:.1f} ms, "
              f"CPU {m['cpu_ms']:.1f} ms, RSS-guest {m['rss_kib']} KiB | qemu first output "
              f"{q['first_out_ms']:.1f} ms, CPU {q['cpu_ms']:.1f} ms, RSS-guest {q['rss_kib']} KiB")

    def med(vmm, k):
        return statistics.median(r[k] for r in res[vmm])

    fr, frc = med("machina", "first_run_ms"), med("machina", "first_run_cpu_ms")
    print(f"kvm-bench: machina: process start -> first KVM_RUN: {fr:.2f} ms wall, "
          f"{frc:.2f} ms CPU (target <= 4 CPU ms)")
    print(f"kvm-bench: machina: user-space exits per serial byte: "
          f"{med('machina', 'exits_per_byte'):.2f}")
    img = f"/tmp/machina-kvm-bench-{os.getpid()}.img"
    try:
        io, mmio = exits_per_request(img)
    finally:
        if os.path.exists(img):
            os.unlink(img)
    print(f"kvm-bench: machina: user-space exits per virtio-blk request (4 KiB read, interrupt "
          f"completion): {io + mmio:.2f} ({mmio:.2f} MMIO: InterruptStatus read + InterruptACK "
          f"write; the notify is an ioeventfd, the interrupt an irqfd)")
    for k, label, unit in (("first_out_ms", "start -> first guest output", "ms"),
                           ("cpu_ms", "CPU for the whole run", "ms"),
                           ("rss_kib", "RSS excluding guest RAM", "KiB")):
        a, b = med("machina", k), med("qemu", k)
        target = {"first_out_ms": " (target <= 0.25x)",
                  "rss_kib": f" (target: machina <= 2560 KiB)"}.get(k, "")
        print(f"kvm-bench: {label}: machina {a:.1f} {unit}, qemu {b:.1f} {unit}, "
              f"ratio {a / b:.2f}x{target}")


if __name__ == "__main__":
    main()
