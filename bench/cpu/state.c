/* State-machine kernel (after CoreMark's core_state): scan a text buffer of
 * comma-separated numbers (integers, decimals, scientific notation, hex and
 * junk) with a switch-based recogniser, corrupt it and scan again, and parse
 * the numbers it accepts. */
#include "bench.h"

enum { S_START, S_INVALID, S_S1, S_S2, S_INT, S_FLOAT, S_EXP, S_SCI, S_HEX0, S_HEX, S_COUNT };

static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int is_hex(uint8_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* advance over one token starting at *pp; returns the final state */
static int next_state(const uint8_t **pp, uint32_t *transitions)
{
	const uint8_t *p = *pp;
	int state = S_START;
	for (; *p && state != S_INVALID; p++) {
		uint8_t c = *p;
		if (c == ',') {
			p++;
			break;
		}
		switch (state) {
		case S_START:
			if (c == '0')
				state = S_HEX0;
			else if (is_digit(c))
				state = S_INT;
			else if (c == '+' || c == '-')
				state = S_S1;
			else if (c == '.')
				state = S_FLOAT;
			else {
				state = S_INVALID;
				transitions[S_INVALID]++;
			}
			transitions[S_START]++;
			break;
		case S_S1:
			if (is_digit(c)) {
				state = S_INT;
				transitions[S_S1]++;
			} else if (c == '.') {
				state = S_FLOAT;
				transitions[S_S1]++;
			} else {
				state = S_INVALID;
				transitions[S_S1]++;
			}
			break;
		case S_HEX0:
			if (c == 'x' || c == 'X')
				state = S_HEX;
			else if (is_digit(c))
				state = S_INT;
			else if (c == '.')
				state = S_FLOAT;
			else
				state = S_INVALID;
			transitions[S_HEX0]++;
			break;
		case S_HEX:
			if (!is_hex(c)) {
				state = S_INVALID;
				transitions[S_HEX]++;
			}
			break;
		case S_INT:
			if (c == '.') {
				state = S_FLOAT;
				transitions[S_INT]++;
			} else if (!is_digit(c)) {
				state = S_INVALID;
				transitions[S_INT]++;
			}
			break;
		case S_FLOAT:
			if (c == 'E' || c == 'e') {
				state = S_S2;
				transitions[S_FLOAT]++;
			} else if (!is_digit(c)) {
				state = S_INVALID;
				transitions[S_FLOAT]++;
			}
			break;
		case S_S2:
			if (c == '+' || c == '-') {
				state = S_EXP;
				transitions[S_S2]++;
			} else {
				state = S_INVALID;
				transitions[S_S2]++;
			}
			break;
		case S_EXP:
			if (is_digit(c)) {
				state = S_SCI;
				transitions[S_EXP]++;
			} else {
				state = S_INVALID;
				transitions[S_EXP]++;
			}
			break;
		case S_SCI:
			if (!is_digit(c)) {
				state = S_INVALID;
				transitions[S_INVALID]++;
			}
			break;
		default:
			break;
		}
	}
	/* skip the rest of an invalid token */
	if (state == S_INVALID) {
		while (*p && *p != ',')
			p++;
		if (*p == ',')
			p++;
	}
	*pp = p;
	return state;
}

/* strtol-like parse of a decimal or 0x hex integer prefix */
static int64_t parse_int(const uint8_t *p)
{
	int neg = 0;
	int64_t v = 0;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		for (; is_hex(*p); p++) {
			uint8_t c = *p;
			int d = is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
			v = v * 16 + d;
		}
	} else {
		for (; is_digit(*p); p++)
			v = v * 10 + (*p - '0');
	}
	return neg ? -v : v;
}

#define STATE_BUF 3072
static uint8_t text[STATE_BUF + 1];

static size_t put_digits(uint8_t *p, rng_t *r, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)('0' + rng_next(r) % 10);
	return (size_t)n;
}

static void gen_text(rng_t *r)
{
	static const uint8_t hexd[] = "0123456789abcdefABCDEF";
	size_t n = 0;
	while (n + 24 < STATE_BUF) {
		uint32_t kind = rng_next(r) % 8;
		uint8_t *p = text + n;
		size_t k = 0;
		switch (kind) {
		case 0: case 1: /* integer */
			if (rng_next(r) & 1)
				p[k++] = '-';
			k += put_digits(p + k, r, 1 + (int)(rng_next(r) % 6));
			break;
		case 2: case 3: /* decimal */
			k += put_digits(p + k, r, 1 + (int)(rng_next(r) % 4));
			p[k++] = '.';
			k += put_digits(p + k, r, 1 + (int)(rng_next(r) % 4));
			break;
		case 4: /* scientific */
			p[k++] = '+';
			k += put_digits(p + k, r, 1);
			p[k++] = '.';
			k += put_digits(p + k, r, 3);
			p[k++] = 'e';
			p[k++] = (rng_next(r) & 1) ? '-' : '+';
			k += put_digits(p + k, r, 2);
			break;
		case 5: /* hex */
			p[k++] = '0';
			p[k++] = 'x';
			for (int i = 1 + (int)(rng_next(r) % 8); i > 0; i--)
				p[k++] = hexd[rng_next(r) % 22];
			break;
		default: /* junk */
			for (int i = 1 + (int)(rng_next(r) % 5); i > 0; i--)
				p[k++] = (uint8_t)(' ' + 1 + rng_next(r) % 94);
			if (p[0] == ',' )
				p[0] = '#';
			break;
		}
		p[k++] = ',';
		n += k;
	}
	text[n] = 0;
}

static uint32_t scan(uint32_t *final_count, uint32_t *transitions, uint32_t *parsed)
{
	const uint8_t *p = text;
	while (*p) {
		const uint8_t *tok = p;
		int s = next_state(&p, transitions);
		final_count[s]++;
		if (s == S_INT || s == S_HEX)
			*parsed = *parsed * 33u + (uint32_t)parse_int(tok);
	}
	return (uint32_t)(p - text);
}

uint32_t bench_state(uint32_t seed)
{
	rng_t r;
	uint32_t final_count[S_COUNT], transitions[S_COUNT];
	uint32_t parsed = 0;
	uint16_t crc = 0;

	rng_seed(&r, seed ^ 0x57a7e);
	gen_text(&r);
	for (int i = 0; i < S_COUNT; i++)
		final_count[i] = transitions[i] = 0;
	uint32_t len = scan(final_count, transitions, &parsed);

	/* corrupt every few bytes (keeping the separators), scan again, undo */
	for (int pass = 0; pass < 3; pass++) {
		uint32_t step = 5 + (rng_next(&r) % 7);
		for (uint32_t i = pass; i < len; i += step)
			if (text[i] != ',')
				text[i] ^= 0x20;
		scan(final_count, transitions, &parsed);
		for (uint32_t i = pass; i < len; i += step)
			if (text[i] != ',')
				text[i] ^= 0x20;
		scan(final_count, transitions, &parsed);
	}

	for (int i = 0; i < S_COUNT; i++) {
		crc = crc16_u32(final_count[i], crc);
		crc = crc16_u32(transitions[i], crc);
	}
	return ((uint32_t)crc << 16) ^ parsed ^ len;
}
