#include "test.h"
	.text
	.globl main
main:
	TEST_NUM(1)
	li a0, 40
	addi a0, a0, 2
	CHECK(a0, 42)
	TEST_NUM(2)
	li a1, -1
	srli a1, a1, 60
	CHECK(a1, 15)
	j pass
