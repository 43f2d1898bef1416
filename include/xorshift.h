/*
 * Marsaglia's xorshift generators: tiny, fast, and the same numbers on
 * every run and every machine (unlike rand()), which is what tests,
 * benchmarks and generated traces need. Not for anything secret.
 */
#ifndef CAIRN_XORSHIFT_H
#define CAIRN_XORSHIFT_H

#include <stdint.h>

/* The next 32-bit number; *state must start non-zero. */
static inline uint32_t
xorshift32(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* The next 64-bit number; *state must start non-zero. */
static inline uint64_t
xorshift64(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#endif /* CAIRN_XORSHIFT_H */
