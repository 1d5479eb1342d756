/* HTIF console (device 1, command 1) used by C ISA tests. */
#include "libtest.h"

extern volatile uint64_t tohost, fromhost;

void t_putc(char c)
{
	tohost = (1ULL << 56) | (1ULL << 48) | (uint8_t)c;
	while (tohost != 0 && fromhost == 0)
		;
	fromhost = 0;
}

void t_puts(const char *s)
{
	while (*s)
		t_putc(*s++);
}

void t_puthex(uint64_t v)
{
	t_puts("0x");
	for (int i = 60; i >= 0; i -= 4)
		t_putc("0123456789abcdef"[(v >> i) & 15]);
}

void t_putdec(int64_t v)
{
	char buf[24];
	int n = 0;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	if (v < 0)
		t_putc('-');
	do {
		buf[n++] = '0' + u % 10;
		u /= 10;
	} while (u);
	while (n)
		t_putc(buf[--n]);
}
