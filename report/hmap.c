/* hmap: linear probing over a power-of-two table, grown at 50% load. */
#include "hmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t
mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

/*
 * Word-at-a-time for the 8- and 16-byte keys the table uses (a byte loop
 * was a fifth of replay time), FNV-1a for anything else; the final mix
 * spreads the low bits we index with even when keys differ in one octet.
 */
static uint64_t
hash_key(const uint8_t *p, size_t n)
{
	uint64_t a, b;

	if (n == 8 || n == 16) {
		memcpy(&a, p, 8);
		b = 0;
		if (n == 16)
			memcpy(&b, p + 8, 8);
		return mix(a * 0x9e3779b97f4a7c15ull ^
		    (b + 0x632be59bd9b4e019ull) * 0xc2b2ae3d27d4eb4full);
	}
	a = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		a = (a ^ p[i]) * 1099511628211ull;
	return mix(a);
}

/* Word compares for the two key sizes the table uses; memcmp's call costs
 * more than the compare itself. */
static int
key_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint64_t x[2], y[2];

	if (n == 16) {
		memcpy(x, a, 16);
		memcpy(y, b, 16);
		return x[0] == y[0] && x[1] == y[1];
	}
	if (n == 8) {
		memcpy(x, a, 8);
		memcpy(y, b, 8);
		return x[0] == y[0];
	}
	return memcmp(a, b, n) == 0;
}

static uint32_t *
slot_val(const struct hmap *m, size_t i)
{
	return (uint32_t *)(void *)(m->slots + i * m->stride);
}

static uint8_t *
slot_key(const struct hmap *m, size_t i)
{
	return m->slots + i * m->stride + sizeof(uint32_t);
}

void
hmap_init(struct hmap *m, size_t keylen)
{
	memset(m, 0, sizeof(*m));
	m->keylen = keylen;
	/* Keep the uint32 value aligned. */
	m->stride = sizeof(uint32_t) + (keylen + 3) / 4 * 4;
}

void
hmap_free(struct hmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}

static size_t
find(const struct hmap *m, const void *key)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)hash_key(key, m->keylen) & mask;

	while (*slot_val(m, i) != HMAP_EMPTY &&
	    !key_eq(slot_key(m, i), key, m->keylen))
		i = (i + 1) & mask;
	return i;
}

void
hmap_prefetch(const struct hmap *m, const void *key)
{
	if (m->cap > 0)
		__builtin_prefetch(m->slots + ((size_t)hash_key(key,
		    m->keylen) & (m->cap - 1)) * m->stride);
}

uint32_t
hmap_get(const struct hmap *m, const void *key)
{
	if (m->cap == 0)
		return HMAP_EMPTY;
	return *slot_val(m, find(m, key));
}

static int
grow(struct hmap *m)
{
	struct hmap n = *m;

	n.cap = m->cap ? m->cap * 2 : 64;
	if ((n.slots = malloc(n.cap * n.stride)) == NULL)
		return -1;
	for (size_t i = 0; i < n.cap; i++)
		*slot_val(&n, i) = HMAP_EMPTY;
	for (size_t i = 0; i < m->cap; i++) {
		if (*slot_val(m, i) == HMAP_EMPTY)
			continue;
		size_t j = find(&n, slot_key(m, i));
		memcpy(n.slots + j * n.stride, m->slots + i * m->stride,
		    m->stride);
	}
	free(m->slots);
	*m = n;
	return 0;
}

uint32_t *
hmap_slot(struct hmap *m, const void *key)
{
	if ((m->n + 1) * 2 > m->cap && grow(m) == -1)
		return NULL;
	size_t i = find(m, key);
	if (*slot_val(m, i) == HMAP_EMPTY) {
		memcpy(slot_key(m, i), key, m->keylen);
		m->n++;
	}
	return slot_val(m, i);
}
