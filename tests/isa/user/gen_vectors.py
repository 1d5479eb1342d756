#!/usr/bin/env python3
"""Reference model that generated the test vectors in rv64i_alu.S (from the
"---- add ----" section on), rv64m.S, rv64a_amo.S and misaligned.S (the
generated TEST_* lines). Kept for maintenance; the build does not run it.
Usage: gen_vectors.py alu|m|amo|misaligned  -> prints the generated lines.
All vectors were also checked against QEMU (tests/isa/run.sh qemu)."""
import sys

M = (1 << 64) - 1
M32 = (1 << 32) - 1
def u(v): return v & M
def s(v):
    v &= M
    return v - (1 << 64) if v >> 63 else v
def sx32(v):
    v &= M32
    return u(v - (1 << 32) if v >> 31 else v)
def s32(v):
    v &= M32
    return v - (1 << 32) if v >> 31 else v
def tdiv(a, b):
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q

OPS = {
 'add': lambda a, b: u(a + b),
 'sub': lambda a, b: u(a - b),
 'sll': lambda a, b: u(a << (b & 63)),
 'slt': lambda a, b: int(s(a) < s(b)),
 'sltu': lambda a, b: int(u(a) < u(b)),
 'xor': lambda a, b: u(a ^ b),
 'or': lambda a, b: u(a | b),
 'and': lambda a, b: u(a & b),
 'srl': lambda a, b: u(a) >> (b & 63),
 'sra': lambda a, b: u(s(a) >> (b & 63)),
 'addw': lambda a, b: sx32(a + b),
 'subw': lambda a, b: sx32(a - b),
 'sllw': lambda a, b: sx32(a << (b & 31)),
 'srlw': lambda a, b: sx32((a & M32) >> (b & 31)),
 'sraw': lambda a, b: sx32(s32(a) >> (b & 31)),
 'mul': lambda a, b: u(a * b),
 'mulh': lambda a, b: u((s(a) * s(b)) >> 64),
 'mulhsu': lambda a, b: u((s(a) * u(b)) >> 64),
 'mulhu': lambda a, b: u((u(a) * u(b)) >> 64),
 'mulw': lambda a, b: sx32(a * b),
 'div': lambda a, b: M if u(b) == 0 else (u(a) if (s(a) == -(1 << 63) and s(b) == -1) else u(tdiv(s(a), s(b)))),
 'divu': lambda a, b: M if u(b) == 0 else u(a) // u(b),
 'rem': lambda a, b: u(a) if u(b) == 0 else (0 if (s(a) == -(1 << 63) and s(b) == -1) else u(s(a) - tdiv(s(a), s(b)) * s(b))),
 'remu': lambda a, b: u(a) if u(b) == 0 else u(a) % u(b),
 'divw': lambda a, b: M if s32(b) == 0 else (sx32(a) if (s32(a) == -(1 << 31) and s32(b) == -1) else sx32(tdiv(s32(a), s32(b)))),
 'divuw': lambda a, b: M if (b & M32) == 0 else sx32((a & M32) // (b & M32)),
 'remw': lambda a, b: sx32(a) if s32(b) == 0 else (0 if (s32(a) == -(1 << 31) and s32(b) == -1) else sx32(s32(a) - tdiv(s32(a), s32(b)) * s32(b))),
 'remuw': lambda a, b: sx32(a) if (b & M32) == 0 else sx32((a & M32) % (b & M32)),
}
def imm_sx(i): return u(i)
IOPS = {
 'addi': lambda a, i: u(a + i),
 'slti': lambda a, i: int(s(a) < i),
 'sltiu': lambda a, i: int(u(a) < u(i)),
 'xori': lambda a, i: u(a ^ u(i)),
 'ori': lambda a, i: u(a | u(i)),
 'andi': lambda a, i: u(a & u(i)),
 'slli': lambda a, i: u(a << i),
 'srli': lambda a, i: u(a) >> i,
 'srai': lambda a, i: u(s(a) >> i),
 'addiw': lambda a, i: sx32(a + i),
 'slliw': lambda a, i: sx32(a << i),
 'srliw': lambda a, i: sx32((a & M32) >> i),
 'sraiw': lambda a, i: sx32(s32(a) >> i),
}
def h(v): return '0x%x' % u(v)

class Gen:
    def __init__(self, start=2):
        self.n = start
        self.lines = []
    def num(self):
        n = self.n; self.n += 1; return n
    def rr(self, op, a, b):
        r = OPS[op](u(a), u(b))
        self.lines.append('\tTEST_RR(%d, %s, %s, %s, %s)' % (self.num(), op, h(r), h(a), h(b)))
    def imm(self, op, a, i):
        r = IOPS[op](u(a), i)
        self.lines.append('\tTEST_IMM(%d, %s, %s, %s, %d)' % (self.num(), op, h(r), h(a), i))
    def raw(self, s):
        self.lines.append(s)
    def text(self): return '\n'.join(self.lines) + '\n'

def gen_alu():
    MAX = 0x7fffffffffffffff; MIN = -0x8000000000000000
    PAIRS = [(0, 0), (1, 1), (-1, 1), (-1, -1), (MAX, 1), (MIN, -1), (MIN, MIN), (MAX, MIN),
             (MIN, MAX), (0x7fffffff, 1), (0xffffffff, 1), (-0x80000000, -1), (0x80000000, 0x80000000),
             (0x123456789abcdef0, 0x0fedcba987654321), (5, -3), (-3, 5), (0, -1), (-1, 0),
             (0x00ff00ff00ff00ff, 0x0f0f0f0f0f0f0f0f), (0x1234567800000001, 0xabcdef0000000002),
             (0x7fffffff80000000, 0x0000000080000000), (-2, -1), (MAX, MAX)]
    SHV = [1, -1, 0x8123456789abcdef, 0x7edcba9876543210, 0x80000000, 0x7fffffff, 0x0000000080000001,
           0xffffffff7fffffff]
    SH64 = [0, 1, 31, 32, 33, 63, 64, 65, -1, 0x7fffffc0]
    SH32 = [0, 1, 15, 31, 32, 33, 63, -1, 0x7fffffe0]
    g = Gen(10)
    def section(t): g.raw('\n\t/* ---- %s ---- */' % t)
    for op in ['add', 'sub', 'slt', 'sltu', 'xor', 'or', 'and']:
        section(op)
        for a, b in PAIRS: g.rr(op, a, b)
    for op in ['sll', 'srl', 'sra']:
        section(op + ' (shift amount is rs2[5:0])')
        for v in SHV:
            for sh in SH64:
                if v in (1, 0x80000000) and sh in (33, 65, 0x7fffffc0): continue
                g.rr(op, v, sh)
    for op in ['addw', 'subw']:
        section(op + ' (32-bit result, sign-extended; upper source bits ignored)')
        for a, b in PAIRS: g.rr(op, a, b)
    for op in ['sllw', 'srlw', 'sraw']:
        section(op + ' (shift amount is rs2[4:0])')
        for v in SHV + [0x123456789abcdef0]:
            for sh in SH32:
                g.rr(op, v, sh)
    IV = [0, 1, -1, MAX, MIN, 0x7fffffff, 0x80000000, 0xffffffff, 0x123456789abcdef0, -0x800, 0x7ff]
    IMMS = [0, 1, -1, 2047, -2048, 0x555, -0x556]
    for op in ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi']:
        section(op + ' (12-bit immediate, sign-extended)')
        for a in IV:
            for i in IMMS:
                if op in ('xori', 'ori', 'andi') and a in (1, 0x7ff, -0x800): continue
                g.imm(op, a, i)
    for op in ['slli', 'srli', 'srai']:
        section(op + ' (6-bit shamt)')
        for v in SHV:
            for sh in [0, 1, 31, 32, 33, 63]:
                g.imm(op, v, sh)
    section('addiw (sext.w when imm == 0)')
    for a in IV + [0x1234567880000000, 0x00000000fffff800]:
        for i in [0, 1, -1, 2047, -2048]:
            g.imm('addiw', a, i)
    for op in ['slliw', 'srliw', 'sraiw']:
        section(op + ' (5-bit shamt)')
        for v in SHV + [0x123456789abcdef0]:
            for sh in [0, 1, 15, 31]:
                g.imm(op, v, sh)
    return g.text()

def gen_m():
    MAX = 0x7fffffffffffffff; MIN = -0x8000000000000000
    P64 = [(0, 0), (1, 0), (-1, 0), (MIN, 0), (MAX, 0), (MIN, -1), (MIN, 1), (MIN, MIN), (MAX, -1),
           (MAX, MAX), (-1, -1), (20, 6), (-20, 6), (20, -6), (-20, -6), (7, 7), (6, 20), (-6, 20),
           (0x123456789abcdef0, 0x0fedcba987654321), (0xfedcba9876543210, 0x0000000100000001),
           (-1, 1), (1, -1), (MIN, 2), (MIN, -2), (0xffffffff, 0xffffffff), (0x80000000, 0x80000000),
           (0, -1), (0x8000000000000001, 0x7fffffffffffffff), (3, MIN), (-3, MIN), (MAX, 3)]
    P32 = [(0, 0), (1, 0), (-1, 0), (0x80000000, 0), (0x7fffffff, 0), (0x80000000, -1),
           (-0x80000000, -1), (0x80000000, 0xffffffff), (0x80000000, 1), (0x7fffffff, -1),
           (20, 6), (-20, 6), (20, -6), (-20, -6), (0x123456789abcdef0, 0x0fedcba987654321),
           (0x1234567800000014, 0xabcdef00fffffffa),   # upper halves must be ignored
           (0xffffffff00000007, 0x0000000100000000),   # rs2 low word is 0: division by zero
           (0x00000000ffffffff, 0x00000000ffffffff), (0xffffffff, 2), (0x10000, 0x10000),
           (0x7fffffff, 0x7fffffff), (MIN, -1), (5, 0x80000000), (-5, 0x80000000), (0x80000001, 0x7fffffff)]
    g = Gen(1)
    def section(t): g.raw('\n\t/* ---- %s ---- */' % t)
    for op in ['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu']:
        section(op)
        for a, b in P64: g.rr(op, a, b)
    for op in ['mulw', 'divw', 'divuw', 'remw', 'remuw']:
        section(op + ' (operands are rs1[31:0]/rs2[31:0]; result sign-extended)')
        for a, b in P32: g.rr(op, a, b)
    return g.text()

def gen_amo():
    M32 = 0xffffffff
    def s64(v): return s(v)
    W = {
     'swap': lambda m, v: v, 'add': lambda m, v: m + v, 'xor': lambda m, v: m ^ v,
     'and': lambda m, v: m & v, 'or': lambda m, v: m | v,
     'min': None, 'max': None, 'minu': None, 'maxu': None,
    }
    def op32(op, m, v):
        m &= M32; v &= M32
        if op == 'min': return m if s32(m) <= s32(v) else v
        if op == 'max': return m if s32(m) >= s32(v) else v
        if op == 'minu': return min(m, v)
        if op == 'maxu': return max(m, v)
        return W[op](m, v) & M32
    def op64(op, m, v):
        m = u(m); v = u(v)
        if op == 'min': return m if s(m) <= s(v) else v
        if op == 'max': return m if s(m) >= s(v) else v
        if op == 'minu': return min(m, v)
        if op == 'maxu': return max(m, v)
        return u(W[op](m, v))
    OPS = ['swap', 'add', 'xor', 'and', 'or', 'min', 'max', 'minu', 'maxu']
    V32 = [(0x00000001, 0xfffffffe), (0x80000000, 0x7fffffff), (0x7fffffff, 0x80000000),
           (0xffffffff, 0x00000001), (0x00000000, 0xffffffff), (0x12345678, 0x0f0f0f0f),
           (0x80000001, 0xdeadbeef80000000),   # rs2 upper half must be ignored
           (0x7fffffff, 0x0000000100000001)]
    V64 = [(1, 0xfffffffffffffffe), (0x8000000000000000, 0x7fffffffffffffff),
           (0x7fffffffffffffff, 0x8000000000000000), (0xffffffffffffffff, 1), (0, 0xffffffffffffffff),
           (0x123456789abcdef0, 0x0f0f0f0f0f0f0f0f), (0x00000000ffffffff, 0x0000000100000000),
           (0xffffffff00000000, 0x00000000ffffffff)]
    GUARD = 0xa5a5a5a5
    g = Gen(1)
    orders = ['', '.aq', '.rl', '.aqrl']
    k = 0
    for op in OPS:
        g.raw('\n\t/* ---- amo%s.w / amo%s.d ---- */' % (op, op))
        for i, (m, v) in enumerate(V32):
            off = 4 * (i & 1)   # low and high word of the doubleword
            full = (m << 32 | GUARD) if off else (GUARD << 32 | m)
            new = op32(op, m, v)
            fulln = (new << 32 | GUARD) if off else (GUARD << 32 | new)
            old = sx32(m)
            ins = 'amo%s.w%s' % (op, orders[k % 4]); k += 1
            g.raw('\tTEST_AMO(%d, %s, %d, %s, %s, %s, %s)' % (g.num(), ins, off, h(full), h(v), h(old), h(fulln)))
        for m, v in V64:
            new = op64(op, m, v)
            ins = 'amo%s.d%s' % (op, orders[k % 4]); k += 1
            g.raw('\tTEST_AMO(%d, %s, 0, %s, %s, %s, %s)' % (g.num(), ins, h(m), h(v), h(m), h(new)))
    return g.text()

def gen_misaligned():
    B = [(0x81 + 0x1d * i) & 0xff for i in range(24)]
    def le(bs): return sum(b << (8 * i) for i, b in enumerate(bs))
    def sxt(v, bits):
        v &= (1 << bits) - 1
        return u(v - (1 << bits)) if v >> (bits - 1) else v
    L = []
    n = [1]
    def num():
        k = n[0]; n[0] += 1; return k
    loads = [('lh', 2, True), ('lhu', 2, False), ('lw', 4, True), ('lwu', 4, False), ('ld', 8, True)]
    L.append('\t/* ---- loads at every offset 1..15 (many cross the 8-byte boundary) ---- */')
    L.append('\tla s0, ldat')
    for name, w, sg in loads:
        for off in range(1, 16):
            if off % w == 0: continue
            v = le(B[off:off + w])
            e = sxt(v, 8 * w) if sg else v
            L.append('\tTEST_NUM(%d); %s a0, %d(s0); CHECK(a0, 0x%x)' % (num(), name, off, e))
    # stores
    stores = [('sh', 2), ('sw', 4), ('sd', 8)]
    VAL = 0x8899aabbccddeeff
    L.append('\n\t/* ---- stores at every offset; the bytes around are untouched ---- */')
    L.append('\tla s1, sbuf')
    L.append('\tli s2, 0x%x' % VAL)
    for name, w in stores:
        for off in range(1, 16):
            if off % w == 0: continue
            mem = list(B[:24])
            for i in range(w): mem[off + i] = (VAL >> (8 * i)) & 0xff
            lo, hi, h2 = le(mem[:8]), le(mem[8:16]), le(mem[16:24])
            L.append('\tTEST_NUM(%d); RESET_SBUF; %s s2, %d(s1); ld a0, 0(s1); CHECK(a0, 0x%x); ld a0, 8(s1); CHECK(a0, 0x%x); ld a0, 16(s1); CHECK(a0, 0x%x)' % (num(), name, off, lo, hi, h2))
            # read back with the matching misaligned load
            ld = {2: 'lhu', 4: 'lwu', 8: 'ld'}[w]
            L.append('\t%s a0, %d(s1); CHECK(a0, 0x%x)' % (ld, off, VAL & ((1 << (8 * w)) - 1)))
    return '\n'.join(L) + '\n'

if __name__ == '__main__':
    sys.stdout.write({'alu': gen_alu, 'm': gen_m, 'amo': gen_amo, 'misaligned': gen_misaligned}[sys.argv[1]]())
