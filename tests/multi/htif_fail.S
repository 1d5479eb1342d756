/* A bare-metal program that reports failure 7 through HTIF (multi_vm.c). */
#include "test.h"
	.text
	.globl main
main:
	TEST_NUM(7)
	j fail
