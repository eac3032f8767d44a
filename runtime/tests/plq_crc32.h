/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32) for the tests and the fuzz target that write
 * or patch .plq files: bitwise, so an implementation independent of the runtime's table-driven
 * one in src/verify.c. One copy for plq_builder.c and fuzz/plrt_model_fuzz.c. */
#ifndef PLRT_TESTS_PLQ_CRC32_H
#define PLRT_TESTS_PLQ_CRC32_H

#include <stddef.h>
#include <stdint.h>

static uint32_t plq_crc32(const uint8_t* bytes, size_t size) {
  uint32_t crc = 0xFFFFFFFFu;
  size_t i;
  int bit;
  for (i = 0; i < size; ++i) {
    crc ^= bytes[i];
    for (bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

#endif
