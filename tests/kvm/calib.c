/* calib: a fixed loop AT CPL0 (`loops`, default 2000000 iterations of `dec;
 * jnz`, through the SVC_SPIN service), then stop. It measures how fast the
 * hypervisor runs guest kernel code: ~1 ms on hardware KVM, seconds on a
 * nested software implementation such as PVM, where CPL0 is emulated. A
 * later Linux test times the whole run to decide whether booting Linux
 * under KVM is practical.
 *   ok calib loops=2000000 tsc=CYCLES */
#include "rt/rt.h"

const char test_name[] = "calib";

void test_main(void)
{
	uint64_t loops = param_u64("loops", 2000000);
	uint64_t tsc = svc(SVC_SPIN, loops);

	ok("calib", "loops=%lu tsc=%lu", loops, tsc);
}
