/* hmap: open-addressing hash map from small fixed-size keys to uint32 values. */
#ifndef ARPSWEEP_HMAP_H
#define ARPSWEEP_HMAP_H

#include <stddef.h>
#include <stdint.h>

#define HMAP_MAX_KEY 16

/*
 * Keys are compared as raw bytes, so callers zero any padding. Values are
 * indices into the caller's own arrays; the map never owns records, which
 * keeps records contiguous and iteration a plain loop. Each slot holds its
 * value then its key, so a lookup touches one cache line, not two: on a
 * large replay the maps outgrow the caches and every probe is a miss.
 */
struct hmap {
	uint8_t		*slots;		/* cap * stride */
	size_t		keylen, stride, cap, n;
};

#define HMAP_EMPTY UINT32_MAX

void hmap_init(struct hmap *m, size_t keylen);
void hmap_free(struct hmap *m);

/* The value for key, or HMAP_EMPTY. */
uint32_t hmap_get(const struct hmap *m, const void *key);

/*
 * The slot for key: *val is its value, or HMAP_EMPTY if the key was just
 * inserted (the caller must then store a value other than HMAP_EMPTY).
 * The pointer is valid until the next hmap_slot(). Returns NULL only when
 * out of memory.
 */
uint32_t *hmap_slot(struct hmap *m, const void *key);

/* Start loading key's home slot into the cache; no effect on the map. */
void hmap_prefetch(const struct hmap *m, const void *key);

#endif
