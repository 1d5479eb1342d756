/* print.c - formatted output on the 16550 at port 0x3f8 and the ok/FAIL
 * protocol lines. Every port access is a VM exit (~40 us on PVM), so the
 * transmitter is fed in 16-byte bursts when its FIFO is on: LSR bit 5
 * (THRE) set means the whole transmit FIFO is empty. */
#include "rt.h"

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding register (write) */
#define UART_IER	1	/* interrupt enable */
#define UART_FCR	2	/* FIFO control (write); IIR (read) */
#define UART_LCR	3	/* line control */
#define UART_LSR	5	/* line status: bit 5 THRE */
#define LSR_THRE	0x20

static int uart_burst = 1;	/* bytes per THRE poll: 16 with the FIFO on */
static volatile int out_lock;
volatile int rt_failures;

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);	/* no UART interrupts */
	outb(COM1 + UART_LCR, 0x03);	/* 8N1 (the divisor latch is left alone) */
	outb(COM1 + UART_FCR, 0x07);	/* enable and clear the FIFOs */
	if ((inb(COM1 + UART_FCR) & 0xc0) == 0xc0)	/* IIR: FIFOs enabled */
		uart_burst = 16;
}

/* The output lock is taken with a bounded spin: an exception report at CPL0
 * must not hang on a lock its own CPU holds. */
void serial_write(const char *s, size_t n)
{
	int locked = 0;

	for (long i = 0; i < 100000000 && !(locked = !__atomic_exchange_n(&out_lock, 1, __ATOMIC_ACQUIRE)); i++)
		cpu_relax();
	while (n) {
		for (long i = 0; i < 10000000 && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
			cpu_relax();
		for (int b = 0; b < uart_burst && n; b++, n--)
			outb(COM1 + UART_THR, (uint8_t)*s++);
	}
	if (locked)
		__atomic_store_n(&out_lock, 0, __ATOMIC_RELEASE);
}

/* ---- a small vsnprintf: %[0][width][l|ll|z](d|i|u|x|X|c|s|p|%) */
struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_num(struct out *o, uint64_t v, int neg, unsigned base, int upper, int width, int zero)
{
	char tmp[24];
	int n = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && zero)
		put(o, '-');
	for (int w = n; w < width; w++)
		put(o, zero ? '0' : ' ');
	if (neg && !zero)
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

int vfmt(char *buf, size_t len, const char *f, va_list ap)
{
	struct out o = { buf, len, 0 };

	for (; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		int zero = 0, width = 0, lng = 0;
		f++;
		if (*f == '0')
			zero = 1, f++;
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		while (*f == 'l' || *f == 'z')
			lng = 1, f++;
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, 0, width, zero);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_num(&o, v, 0, *f == 'u' ? 10 : 16, *f == 'X', width, zero);
			break;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uint64_t)va_arg(ap, void *), 0, 16, 0, 0, 0);
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;
			for (s = s ? s : "(null)"; *s; s++, n++)
				put(&o, *s);
			for (; n < width; n++)
				put(&o, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:	/* unknown: print it as is */
			put(&o, '%');
			if (!*f)
				goto end;
			put(&o, *f);
		}
	}
end:
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = 0;
	return (int)o.pos;
}

int fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = vfmt(buf, len, f, ap);
	va_end(ap);
	return n;
}

void print(const char *f, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, f);
	int n = vfmt(buf, sizeof(buf), f, ap);
	va_end(ap);
	serial_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* `PREFIX NAME DETAILS\n` as one write, so lines of several CPUs never mix */
static void line(const char *prefix, const char *name, const char *f, va_list ap)
{
	char buf[512];
	int n = fmt(buf, sizeof(buf) - 1, "%s %s ", prefix, name);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	int m = vfmt(buf + n, sizeof(buf) - 1 - n, f, ap);
	if (m == 0)
		n--;	/* no details: no trailing space */
	else
		n += m < (int)(sizeof(buf) - 1 - n) ? m : (int)(sizeof(buf) - 2 - n);
	buf[n++] = '\n';
	serial_write(buf, n);
}

void ok(const char *name, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	line("ok", name, f, ap);
	va_end(ap);
}

void fail(const char *name, const char *f, ...)
{
	va_list ap;
	__atomic_add_fetch(&rt_failures, 1, __ATOMIC_RELAXED);
	va_start(ap, f);
	line("FAIL", name, f, ap);
	va_end(ap);
}
