/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/* Bounded string tests for BPF programs, written so the verifier can unroll them. */
#ifndef VIGIL_BPF_STRINGS_H
#define VIGIL_BPF_STRINGS_H

#include <bpf/bpf_helpers.h>

/* True when @text starts with the literal @prefix (both NUL-terminated buffers). */
#define vigil_has_prefix(text, prefix) vigil_bytes_equal((text), (prefix), sizeof(prefix) - 1)

static __always_inline bool vigil_bytes_equal(const char *a, const char *b, unsigned int size)
{
#pragma unroll
	for (unsigned int i = 0; i < 64; i++) {
		if (i >= size)
			return true;
		if (a[i] != b[i])
			return false;
	}
	return false;
}

/*
 * True when the NUL-terminated path in @buffer, whose strlen+1 is @size as
 * returned by bpf_probe_read_*_str, ends with the literal @suffix.
 */
#define vigil_has_suffix(buffer, buffer_capacity, size, suffix)                                                       \
	({                                                                                                             \
		bool match__ = false;                                                                                  \
		long end__ = (long)(size) - 1;                                                                         \
		long start__ = end__ - (long)(sizeof(suffix) - 1);                                                     \
		if (start__ >= 0 && start__ + (long)sizeof(suffix) <= (long)(buffer_capacity))                         \
			match__ = vigil_bytes_equal(&(buffer)[start__ & ((buffer_capacity) - 1)], (suffix),           \
						    sizeof(suffix) - 1);                                               \
		match__;                                                                                               \
	})

/*
 * Reads the decimal number of 1 to 10 digits at index @at of @buffer, whose
 * @capacity is a power of two, into @value (the <pid> of "/proc/<pid>/...");
 * returns the index after it, or -1 when no digit is there. Indexes are
 * masked by the capacity only to show the verifier they stay in bounds.
 */
static __always_inline int vigil_skip_number(const char *buffer, int capacity, int at, __u32 *value)
{
	__u32 number = 0;
	int digits = 0;

#pragma unroll
	for (int i = 0; i < 10; i++) {
		char c = buffer[(at + i) & (capacity - 1)];

		if (c < '0' || c > '9')
			break;
		number = number * 10 + (__u32)(c - '0');
		digits++;
	}
	if (digits == 0)
		return -1;
	*value = number;
	return at + digits;
}

#endif /* VIGIL_BPF_STRINGS_H */
