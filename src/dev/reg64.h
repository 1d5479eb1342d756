/* reg64.h - 64-bit device registers reached with one 8-byte access or two
 * 4-byte accesses to either half (CLINT mtime/mtimecmp, HTIF tohost/fromhost). */
#ifndef MACHINA_DEV_REG64_H
#define MACHINA_DEV_REG64_H

#include <stdint.h>

/* the value a read of `size` bytes at register offset `off` returns */
static inline uint64_t reg64_read(uint64_t reg, uint64_t off, unsigned size)
{
	if (size == 8)
		return reg;
	return (off & 4) ? reg >> 32 : (uint32_t)reg;
}

/* the register after a write of `size` bytes at offset `off` */
static inline uint64_t reg64_write(uint64_t reg, uint64_t off, uint64_t val, unsigned size)
{
	if (size == 8)
		return val;
	if (off & 4)
		return (reg & 0xffffffffull) | (val << 32);
	return (reg & ~0xffffffffull) | (uint32_t)val;
}

#endif
