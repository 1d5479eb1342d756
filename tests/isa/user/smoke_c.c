#include "libtest.h"
int main(void)
{
	volatile int64_t a = 6, b = 7;
	t_puts("hello from C\n");
	T_ASSERT(1, a * b == 42);
	return 0;
}
