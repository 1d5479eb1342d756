/* Sv48 paging: see vm_common.h for the checks. */
#include "vm_common.h"

int main(void)
{
	priv_init();
	return vm_suite(4);
}
