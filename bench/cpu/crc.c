/* CRC kernels: CoreMark-style bitwise CRC-16, table-driven CRC-32 and a
 * bitwise CRC-32C (Castagnoli), over a seeded buffer. */
#include "bench.h"

static uint32_t crc32_table[256];

void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
		crc32_table[i] = c;
	}
}

/* CRC-16 (poly 0xa001, reflected), bit by bit as in CoreMark's crcu8 */
uint16_t crc16_update(uint8_t data, uint16_t crc)
{
	for (int i = 0; i < 8; i++) {
		uint8_t x16 = (uint8_t)((data & 1) ^ ((uint8_t)crc & 1));
		data >>= 1;
		if (x16 == 1) {
			crc ^= 0x4002;
			crc = (uint16_t)((crc >> 1) | 0x8000);
		} else {
			crc = (uint16_t)(crc >> 1);
		}
	}
	return crc;
}

uint16_t crc16_u32(uint32_t v, uint16_t crc)
{
	crc = crc16_update((uint8_t)v, crc);
	crc = crc16_update((uint8_t)(v >> 8), crc);
	crc = crc16_update((uint8_t)(v >> 16), crc);
	return crc16_update((uint8_t)(v >> 24), crc);
}

uint32_t crc32_buf(const uint8_t *p, size_t n, uint32_t crc)
{
	crc = ~crc;
	while (n--)
		crc = crc32_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

uint32_t crc32c_bitwise(const uint8_t *p, size_t n, uint32_t crc)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}

#define CRC_BUF 2048
static uint8_t crc_buf[CRC_BUF];

uint32_t bench_crc(uint32_t seed)
{
	rng_t r;
	rng_seed(&r, seed ^ 0xc7c);
	for (size_t i = 0; i < CRC_BUF; i += 4) {
		uint32_t v = rng_next(&r);
		crc_buf[i] = (uint8_t)v;
		crc_buf[i + 1] = (uint8_t)(v >> 8);
		crc_buf[i + 2] = (uint8_t)(v >> 16);
		crc_buf[i + 3] = (uint8_t)(v >> 24);
	}
	uint16_t c16 = 0;
	for (size_t i = 0; i < CRC_BUF; i++)
		c16 = crc16_update(crc_buf[i], c16);
	uint32_t c32 = crc32_buf(crc_buf, CRC_BUF, 0);
	/* a few sub-ranges, as a protocol stack would do per packet */
	for (size_t off = 0; off + 256 <= CRC_BUF; off += 384)
		c32 ^= crc32_buf(crc_buf + off, 256, off);
	uint32_t c32c = crc32c_bitwise(crc_buf, 1024, seed);
	return c32 ^ ((uint32_t)c16 << 7) ^ (c32c * 3u);
}
