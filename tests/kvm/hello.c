/* hello: print one line and stop at once. The smoke test of the runtime
 * (PVH entry, long mode, the drop to CPL3 with IOPL 3, serial output, the
 * i8042 stop) and the guest of the start-up benchmark: no calibration, as
 * little output as possible.
 *   ok hello cpl=3 iopl=3          (iopl=0 on PVM, see kernel.c)
 * `fault=ud|gp|pf` then raises that exception at CPL3, to check that the
 * runtime reports it (FAIL exception vector=...) and still stops the VM. */
#include "rt/rt.h"

const char test_name[] = "hello";

void test_main(void)
{
	unsigned cpl = read_cs() & 3, iopl = read_rflags() >> 12 & 3;
	const char *fault = param_str("fault", "");

	/* IOPL is only informational: port I/O also works through the TSS
	 * I/O bitmap (PVM runs CPL3 with IOPL 0) */
	if (cpl != 3)
		fail("hello", "running at CPL%u, expected CPL3", cpl);
	else
		ok("hello", "cpl=3 iopl=%u", iopl);
	if (strcmp(fault, "ud") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(fault, "gp") == 0)
		__asm__ volatile("hlt");	/* privileged: #GP(0) at CPL3 */
	else if (strcmp(fault, "pf") == 0)
		(void)*(volatile uint64_t *)0x100000000ull;	/* beyond the 4 GiB map */
}
