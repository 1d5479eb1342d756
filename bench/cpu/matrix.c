/* Matrix kernel (after CoreMark's matrix benchmark): 16-bit input matrices,
 * 32-bit results; add/multiply by a constant, matrix-vector, matrix-matrix,
 * matrix-matrix with bit-field extraction, and a thresholded sum. */
#include "bench.h"

#define MN 28
typedef int16_t mat16[MN][MN];
typedef int32_t mat32[MN][MN];

static mat16 ma, mb;
static mat32 mc;

static void mat_add_const(mat16 a, int16_t v)
{
	for (int i = 0; i < MN; i++)
		for (int j = 0; j < MN; j++)
			a[i][j] = (int16_t)(a[i][j] + v);
}

static void mat_mul_const(mat32 c, mat16 a, int16_t v)
{
	for (int i = 0; i < MN; i++)
		for (int j = 0; j < MN; j++)
			c[i][j] = (int32_t)a[i][j] * (int32_t)v;
}

static void mat_mul_vect(mat32 c, mat16 a, const int16_t *b)
{
	for (int i = 0; i < MN; i++) {
		int32_t s = 0;
		for (int j = 0; j < MN; j++)
			s += (int32_t)a[i][j] * (int32_t)b[j];
		c[i][0] = s;
	}
}

static void mat_mul_mat(mat32 c, mat16 a, mat16 b)
{
	for (int i = 0; i < MN; i++)
		for (int j = 0; j < MN; j++) {
			int32_t s = 0;
			for (int k = 0; k < MN; k++)
				s += (int32_t)a[i][k] * (int32_t)b[k][j];
			c[i][j] = s;
		}
}

static void mat_mul_mat_bitextract(mat32 c, mat16 a, mat16 b)
{
	for (int i = 0; i < MN; i++)
		for (int j = 0; j < MN; j++) {
			int32_t s = 0;
			for (int k = 0; k < MN; k++) {
				uint32_t t = (uint32_t)((int32_t)a[i][k] * (int32_t)b[k][j]);
				s += (int32_t)(((t >> 2) & 0xf) * ((t >> 5) & 0x7f));
			}
			c[i][j] = s;
		}
}

/* CoreMark's matrix_sum: count threshold crossings of a running sum */
static int16_t mat_sum(mat32 c, int32_t clip)
{
	int64_t tmp = 0;
	int32_t prev = 0;
	int16_t ret = 0;
	for (int i = 0; i < MN; i++)
		for (int j = 0; j < MN; j++) {
			int32_t cur = c[i][j];
			tmp += cur;
			if (tmp > clip) {
				ret = (int16_t)(ret + 10);
				tmp = 0;
			} else {
				ret = (int16_t)(ret + (cur > prev ? 1 : 0));
			}
			prev = cur;
		}
	return ret;
}

static int64_t mat_trace64(mat32 c)
{
	int64_t t = 0;
	for (int i = 0; i < MN; i++)
		t += (int64_t)c[i][i] * (int64_t)c[i][MN - 1 - i];
	return t;
}

uint32_t bench_matrix(uint32_t seed)
{
	rng_t r;
	rng_seed(&r, seed ^ 0x3a7);
	for (int i = 0; i < MN; i++)
		for (int j = 0; j < MN; j++) {
			uint32_t v = rng_next(&r);
			ma[i][j] = (int16_t)((int32_t)(v & 0x1ff) - 256);
			mb[i][j] = (int16_t)((int32_t)((v >> 16) & 0x3ff) - 512);
		}
	int16_t val = (int16_t)(rng_next(&r) & 0x7f) | 1;
	int32_t clip = (int32_t)(0xf000 | (uint32_t)val);
	uint16_t crc = 0;

	mat_add_const(ma, val);
	mat_mul_const(mc, ma, val);
	crc = crc16_u32((uint32_t)(uint16_t)mat_sum(mc, clip), crc);
	mat_mul_vect(mc, ma, mb[0]);
	crc = crc16_u32((uint32_t)(uint16_t)mat_sum(mc, clip), crc);
	mat_mul_mat(mc, ma, mb);
	crc = crc16_u32((uint32_t)(uint16_t)mat_sum(mc, clip), crc);
	int64_t tr = mat_trace64(mc);
	mat_mul_mat_bitextract(mc, ma, mb);
	crc = crc16_u32((uint32_t)(uint16_t)mat_sum(mc, clip), crc);
	mat_add_const(ma, (int16_t)-val);

	return ((uint32_t)crc << 16) ^ (uint32_t)tr ^ (uint32_t)((uint64_t)tr >> 32) ^ (uint16_t)ma[3][5];
}
