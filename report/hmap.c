/* hmap: linear probing over a power-of-two table, grown at 50% load. */
#include "hmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t
hash_bytes(const uint8_t *p, size_t n)
{
	/* FNV-1a then a murmur finaliser: cheap, and the finaliser spreads the
	 * low bits we index with even when keys differ only in the last octet. */
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

void
hmap_init(struct hmap *m, size_t keylen)
{
	memset(m, 0, sizeof(*m));
	m->keylen = keylen;
}

void
hmap_free(struct hmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static size_t
find(const struct hmap *m, const void *key)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)hash_bytes(key, m->keylen) & mask;

	while (m->vals[i] != HMAP_EMPTY &&
	    memcmp(m->keys + i * m->keylen, key, m->keylen) != 0)
		i = (i + 1) & mask;
	return i;
}

uint32_t
hmap_get(const struct hmap *m, const void *key)
{
	if (m->cap == 0)
		return HMAP_EMPTY;
	return m->vals[find(m, key)];
}

static int
grow(struct hmap *m)
{
	struct hmap n = *m;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.keys = malloc(n.cap * m->keylen);
	n.vals = malloc(n.cap * sizeof(*n.vals));
	if (n.keys == NULL || n.vals == NULL) {
		free(n.keys);
		free(n.vals);
		return -1;
	}
	memset(n.vals, 0xff, n.cap * sizeof(*n.vals));
	for (size_t i = 0; i < m->cap; i++) {
		if (m->vals[i] == HMAP_EMPTY)
			continue;
		size_t j = find(&n, m->keys + i * m->keylen);
		memcpy(n.keys + j * m->keylen, m->keys + i * m->keylen,
		    m->keylen);
		n.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	*m = n;
	return 0;
}

uint32_t *
hmap_slot(struct hmap *m, const void *key)
{
	if ((m->n + 1) * 2 > m->cap && grow(m) == -1)
		return NULL;
	size_t i = find(m, key);
	if (m->vals[i] == HMAP_EMPTY) {
		memcpy(m->keys + i * m->keylen, key, m->keylen);
		m->n++;
	}
	return &m->vals[i];
}
