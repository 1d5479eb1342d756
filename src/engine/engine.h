/* engine.h - what every engine offers whoever owns a VM (the frontend, and
 * later the control API, the GDB stub, snapshot/restore): control of the
 * VM's CPUs from another thread while the engine runs them.
 *
 *   pause   returns once no CPU of the VM executes guest code (interpreter:
 *           at a slice boundary; KVM: every vCPU thread out of KVM_RUN and
 *           parked); device state stays live (I/O completes, timers run)
 *   resume  lets them run again
 * Stopping is vm_request_stop(), the same for every engine.
 *
 * An engine registers itself in vm->engine / vm->engine_priv when its
 * machine is created; vm_pause() / vm_resume() call through. */
#ifndef MACHINA_ENGINE_ENGINE_H
#define MACHINA_ENGINE_ENGINE_H

struct engine_ops {
	const char *name;
	void (*pause)(void *priv);
	void (*resume)(void *priv);
};

#endif
