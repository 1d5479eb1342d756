/* vm.c - VM lifetime. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "core/vm.h"

int vm_init(struct vm *vm, const char *name)
{
	memset(vm, 0, sizeof(*vm));
	snprintf(vm->name, sizeof(vm->name), "%s", name ? name : "");
	vm->log_level = LOG_INFO;
	as_init(&vm->as, vm);
	return 0;
}

int vm_alloc_ram(struct vm *vm, gpa_t base, uint64_t size)
{
	void *p;
	int ret;

	if (vm->ram || size == 0 || (size & 0xfff))
		return -EINVAL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	ret = as_add_ram(&vm->as, base, size, p, "ram");
	if (ret) {
		munmap(p, size);
		return ret;
	}
	vm->ram = p;
	vm->ram_base = base;
	vm->ram_size = size;
	return 0;
}

void vm_destroy(struct vm *vm)
{
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	vm->ram = NULL;
}

void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int code)
{
	if (vm->stop_reason != VM_RUNNING)
		return;
	vm->stop_reason = reason;
	vm->stop_code = code;
}
