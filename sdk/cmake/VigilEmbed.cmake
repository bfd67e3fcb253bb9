# SPDX-License-Identifier: Apache-2.0
# Turns a compiled BPF object into a C header that embeds it, for plugins:
#   cmake -DINPUT=x.bpf.o -DOUTPUT=x.skel.h -DNAME=x -P VigilEmbed.cmake
#
# The header defines `static inline const void *<NAME>__elf_bytes(size_t *size)`.
# Only the bytes are embedded: the sensor opens, loads and attaches the object,
# so a plugin needs no libbpf code of its own (a libbpf skeleton would pull it in).
file(READ "${INPUT}" bytes HEX)
string(LENGTH "${bytes}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${bytes}")
# Line breaks every 16 bytes keep the header readable by tools.
string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}" "/* Generated from ${INPUT} by VigilEmbed.cmake: do not edit. */
#ifndef VIGIL_EMBEDDED_${NAME}_H
#define VIGIL_EMBEDDED_${NAME}_H
#include <stddef.h>

static inline const void *${NAME}__elf_bytes(size_t *size)
{
	/* 8-byte aligned: libbpf reads ELF headers in place. */
	static const unsigned char elf[${size}] __attribute__((aligned(8))) = {
${bytes}
	};
	*size = sizeof(elf);
	return elf;
}

#endif
")
