/* vm.c - VM lifetime. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "core/vm.h"
#include "engine/engine.h"

int vm_init(struct vm *vm, const char *name)
{
	memset(vm, 0, sizeof(*vm));
	snprintf(vm->name, sizeof(vm->name), "%s", name ? name : "");
	vm->log_level = LOG_INFO;
	as_init(&vm->as, vm);
	return 0;
}

int vm_alloc_ram_backing(struct vm *vm, uint64_t size)
{
	void *p;

	if (vm->ram || size == 0 || (size & 0xfff))
		return -EINVAL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	vm->ram = p;
	vm->ram_size = size;
	return 0;
}

int vm_alloc_ram(struct vm *vm, gpa_t base, uint64_t size)
{
	int ret = vm_alloc_ram_backing(vm, size);

	if (ret)
		return ret;
	ret = as_add_ram(&vm->as, base, size, vm->ram, "ram");
	if (ret) {
		munmap(vm->ram, size);
		vm->ram = NULL;
		return ret;
	}
	vm->ram_base = base;
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
	enum vm_stop_reason expected = VM_RUNNING;

	if (!__atomic_compare_exchange_n(&vm->stop_reason, &expected, reason, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	/* read only once the VM's threads are done (joined) */
	vm->stop_code = code;
	if (vm->stop_notify)
		vm->stop_notify(vm->stop_opaque);
}

void vm_pause(struct vm *vm)
{
	if (vm->engine && vm->engine->pause)
		vm->engine->pause(vm->engine_priv);
}

void vm_resume(struct vm *vm)
{
	if (vm->engine && vm->engine->resume)
		vm->engine->resume(vm->engine_priv);
}
