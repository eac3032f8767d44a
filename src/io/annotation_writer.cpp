// MIT-format annotation writer; the layout is described in annotation.cpp (the reader).
#include <fmt/format.h>

#include <fstream>

#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/io/wfdb_writer.hpp"

namespace physiolite::io {

namespace {

constexpr int kSkip = 59, kNum = 60, kSub = 61, kChn = 62, kAux = 63;
constexpr int kMaxInterval = 1023;  // what the 10-bit time field holds
constexpr int kMaxCode = 49;        // ACMAX: the largest annotation code
constexpr size_t kMaxAux = 255;     // WFDB stores the AUX length in one byte

void put_word(std::vector<uint8_t>& out, uint32_t word) {
  out.push_back(static_cast<uint8_t>(word & 0xFF));
  out.push_back(static_cast<uint8_t>((word >> 8) & 0xFF));
}

void put(std::vector<uint8_t>& out, int code, int value) {
  put_word(out, (static_cast<uint32_t>(code) << 10) | (static_cast<uint32_t>(value) & 0x3FF));
}

void check_range(size_t i, const char* field, int value, int lo, int hi) {
  if (value < lo || value > hi) {
    throw UsageError(
        fmt::format("annotation {}: {} {} is outside [{}, {}]", i, field, value, lo, hi));
  }
}

}  // namespace

std::vector<uint8_t> encode_annotations(std::span<const Annotation> annotations) {
  std::vector<uint8_t> out;
  int64_t time = 0;
  int chan = 0, num = 0;
  for (size_t i = 0; i < annotations.size(); ++i) {
    const Annotation& a = annotations[i];
    check_range(i, "code", a.code, 1, kMaxCode);
    check_range(i, "subtype", a.subtype, -512, 511);
    check_range(i, "chan", a.chan, 0, 1023);
    check_range(i, "num", a.num, -512, 511);
    if (a.aux.size() > kMaxAux || a.aux.find('\0') != std::string::npos) {
      throw UsageError(
          fmt::format("annotation {}: AUX text must be at most {} bytes, no NUL", i, kMaxAux));
    }
    const int64_t interval = a.sample - time;
    if (interval < 0) {
      throw UsageError(fmt::format("annotation {}: sample {} comes before the previous one ({})", i,
                                   a.sample, time));
    }
    if (interval > 0x7FFFFFFF) {
      throw UsageError(
          fmt::format("annotation {}: gap of {} samples does not fit SKIP", i, interval));
    }
    if (interval > kMaxInterval) {
      // SKIP carries a 32-bit interval, high 16 bits first; the annotation then has time 0.
      put(out, kSkip, 0);
      const auto skip = static_cast<uint32_t>(interval);
      put_word(out, skip >> 16);
      put_word(out, skip & 0xFFFF);
      put(out, a.code, 0);
    } else {
      put(out, a.code, static_cast<int>(interval));
    }
    time = a.sample;
    if (a.subtype != 0) put(out, kSub, a.subtype);
    if (a.chan != chan) put(out, kChn, chan = a.chan);
    if (a.num != num) put(out, kNum, num = a.num);
    if (!a.aux.empty()) {
      put(out, kAux, static_cast<int>(a.aux.size()));
      out.insert(out.end(), a.aux.begin(), a.aux.end());
      if (a.aux.size() % 2 != 0) out.push_back(0);
    }
  }
  put_word(out, 0);
  return out;
}

void write_annotations(const std::filesystem::path& record, std::string_view annotator,
                       std::span<const Annotation> annotations) {
  const std::vector<uint8_t> bytes = encode_annotations(annotations);
  std::filesystem::path path = record;
  path += ".";
  path += annotator;
  write_file_atomically(path, [&](std::ostream& out) {
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  });
}

}  // namespace physiolite::io
