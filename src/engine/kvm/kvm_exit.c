/* kvm_exit.c - the one function that handles a vCPU's exits to user space.
 * It trusts nothing in kvm_run beyond what it checks, so tests drive it with
 * fake contents. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/kvm.h>

#include "core/vm.h"
#include "engine/kvm/kvm.h"

static int handle_io(struct kvm_exit_ctx *ctx, struct kvm_run *run)
{
	unsigned size = run->io.size;
	uint64_t off = run->io.data_offset;
	uint64_t count = run->io.count;
	uint8_t *data;

	ctx->nr_io_exits++;
	/* the data area lies inside the kvm_run mapping: string I/O (rep
	 * ins/outs) hands over `count` elements at once */
	if ((size != 1 && size != 2 && size != 4) || count == 0 || off < sizeof(*run) ||
	    off > ctx->run_size || count > (ctx->run_size - off) / size) {
		vm_log_ratelimited(ctx->vm, &ctx->rl, LOG_ERROR,
				   "vCPU %d: malformed I/O exit (port 0x%x size %u count %llu)",
				   ctx->vcpu_id, run->io.port, size, (unsigned long long)count);
		vm_request_stop(ctx->vm, VM_STOP_ERROR, 0);
		return 1;
	}
	data = (uint8_t *)run + off;
	for (uint64_t i = 0; i < count; i++, data += size) {
		uint64_t v = 0;

		if (run->io.direction == KVM_EXIT_IO_OUT) {
			memcpy(&v, data, size);
			if (as_write(ctx->pio, run->io.port, size, v))
				vm_log_ratelimited(ctx->vm, &ctx->rl, LOG_DEBUG,
						   "vCPU %d: write to unassigned port 0x%x",
						   ctx->vcpu_id, run->io.port);
		} else {
			if (as_read(ctx->pio, run->io.port, size, &v)) {
				/* an empty ISA bus floats high: probes see "no device" */
				v = ~0ull;
				vm_log_ratelimited(ctx->vm, &ctx->rl, LOG_DEBUG,
						   "vCPU %d: read of unassigned port 0x%x",
						   ctx->vcpu_id, run->io.port);
			}
			memcpy(data, &v, size);
		}
	}
	return 0;
}

static int handle_mmio(struct kvm_exit_ctx *ctx, struct kvm_run *run)
{
	unsigned len = run->mmio.len;
	gpa_t gpa = run->mmio.phys_addr;
	uint64_t v = 0;

	ctx->nr_mmio_exits++;
	if (len != 1 && len != 2 && len != 4 && len != 8) {
		vm_log_ratelimited(ctx->vm, &ctx->rl, LOG_WARN,
				   "vCPU %d: MMIO access of %u bytes at 0x%llx ignored", ctx->vcpu_id,
				   len, (unsigned long long)gpa);
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0, sizeof(run->mmio.data));
		return 0;
	}
	if (run->mmio.is_write) {
		memcpy(&v, run->mmio.data, len);
		if (as_write(ctx->mmio, gpa, len, v))
			vm_log_ratelimited(ctx->vm, &ctx->rl, LOG_WARN,
					   "vCPU %d: write to unassigned MMIO 0x%llx", ctx->vcpu_id,
					   (unsigned long long)gpa);
	} else {
		if (as_read(ctx->mmio, gpa, len, &v)) {
			v = 0;
			vm_log_ratelimited(ctx->vm, &ctx->rl, LOG_WARN,
					   "vCPU %d: read of unassigned MMIO 0x%llx", ctx->vcpu_id,
					   (unsigned long long)gpa);
		}
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		memcpy(run->mmio.data, &v, len);
	}
	return 0;
}

static int handle_system_event(struct kvm_exit_ctx *ctx, struct kvm_run *run)
{
	switch (run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vm_request_stop(ctx->vm, VM_STOP_POWEROFF, 0);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		vm_request_stop(ctx->vm, VM_STOP_REBOOT, 0);
		break;
	default:
		vm_log(ctx->vm, LOG_ERROR, "vCPU %d: system event %u (guest crash)", ctx->vcpu_id,
		       run->system_event.type);
		vm_request_stop(ctx->vm, VM_STOP_ERROR, 0);
		break;
	}
	return 1;
}

int kvm_handle_exit(struct kvm_exit_ctx *ctx, struct kvm_run *run)
{
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return handle_io(ctx, run);
	case KVM_EXIT_MMIO:
		return handle_mmio(ctx, run);
	case KVM_EXIT_HLT:
		/* only without an in-kernel LAPIC: a halted CPU that nothing
		 * can wake, as Firecracker treats it */
		vm_log(ctx->vm, LOG_INFO, "vCPU %d halted", ctx->vcpu_id);
		vm_request_stop(ctx->vm, VM_STOP_POWEROFF, 0);
		return 1;
	case KVM_EXIT_SHUTDOWN:
		/* a triple fault: on a PC, the CPU resets */
		vm_log(ctx->vm, LOG_WARN, "vCPU %d: shutdown (triple fault): the guest resets",
		       ctx->vcpu_id);
		vm_request_stop(ctx->vm, VM_STOP_REBOOT, 0);
		return 1;
	case KVM_EXIT_SYSTEM_EVENT:
		return handle_system_event(ctx, run);
	case KVM_EXIT_FAIL_ENTRY:
		vm_log(ctx->vm, LOG_ERROR,
		       "vCPU %d: KVM could not enter the guest (hardware reason 0x%llx)",
		       ctx->vcpu_id,
		       (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		vm_request_stop(ctx->vm, VM_STOP_ERROR, 0);
		return 1;
	case KVM_EXIT_INTERNAL_ERROR: {
		unsigned n = run->internal.ndata < 4 ? run->internal.ndata : 4;
		char data[80] = "";

		for (unsigned i = 0, used = 0; i < n && used < sizeof(data); i++)
			used += (unsigned)snprintf(data + used, sizeof(data) - used, " 0x%llx",
						   (unsigned long long)run->internal.data[i]);
		vm_log(ctx->vm, LOG_ERROR, "vCPU %d: KVM internal error (suberror %u%s)%s%s",
		       ctx->vcpu_id, run->internal.suberror,
		       run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
		       ": KVM's instruction emulator could not run a guest instruction" : "",
		       n ? ", data" : "", data);
		vm_request_stop(ctx->vm, VM_STOP_ERROR, 0);
		return 1;
	}
	case KVM_EXIT_INTR:
		return 0;	/* a signal: the run loop re-checks the state */
	default:
		vm_log(ctx->vm, LOG_ERROR, "vCPU %d: unexpected KVM exit %u", ctx->vcpu_id,
		       run->exit_reason);
		vm_request_stop(ctx->vm, VM_STOP_ERROR, 0);
		return -EINVAL;
	}
}
