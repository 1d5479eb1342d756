/* types.h - address types shared by every Machina module.
 *
 * Three address spaces meet in a VMM and mixing them is the classic MMU bug,
 * so every prototype says which one it takes:
 *   gpa_t  guest-physical address (what the guest's bus sees)
 *   gva_t  guest-virtual address (before the guest MMU translates it)
 *   host pointers are plain C pointers (uint8_t *), never integers.
 */
#ifndef MACHINA_TYPES_H
#define MACHINA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t gpa_t;
typedef uint64_t gva_t;

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define must_check __attribute__((warn_unused_result))

#endif
