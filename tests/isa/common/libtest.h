/* C side of Machina's ISA tests: HTIF console output and checks.
 * main() returns 0 for pass or a non-zero check number for fail. */
#ifndef MACHINA_LIBTEST_H
#define MACHINA_LIBTEST_H
#include <stdint.h>
#include <stddef.h>

void t_putc(char c);
void t_puts(const char *s);
void t_puthex(uint64_t v);
void t_putdec(int64_t v);

/* fail with check number n when cond is false, printing where */
#define T_ASSERT(n, cond) do { if (!(cond)) { t_puts("FAIL check "); \
	t_putdec(n); t_puts(" line "); t_putdec(__LINE__); t_puts("\n"); return (n); } } while (0)

static inline uint64_t t_read_csr_mcause(void) { uint64_t v; __asm__ volatile("csrr %0, mcause" : "=r"(v)); return v; }
#endif
