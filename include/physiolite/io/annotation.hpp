// WFDB annotation files in MIT format (.atr and friends).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace physiolite::io {

struct Annotation {
  int64_t sample = 0;  // time in samples from the start of the record
  int code = 0;        // WFDB annotation code (1 = N, 5 = V, ...)
  int subtype = 0;     // SUB
  int chan = 0;        // CHN, carried over to later annotations
  int num = 0;         // NUM, carried over to later annotations
  std::string aux;     // AUX text, e.g. "(AFIB"

  std::string_view symbol() const;  // "N", "V", "+" ...
};

// WFDB's code -> mnemonic table ("N" for 1, "" for unassigned codes).
std::string_view annotation_symbol(int code);
// The inverse; -1 when `symbol` names no code.
int annotation_code(std::string_view symbol);
// True for the codes that mark a beat (N L R B A a J S V r F e j n E / f Q ?).
bool is_beat_code(int code);

// Decodes MIT-format bytes. `path` is only used in error messages (which name byte offsets).
std::vector<Annotation> parse_annotations(std::span<const uint8_t> bytes, const std::string& path);
// Largest annotation file read (docs/limits.md): MIT-BIH's largest .atr is ~20 KB.
inline constexpr uint64_t kMaxAnnotationFileBytes = uint64_t{256} << 20;

// Reads `<record>.<annotator>`.
std::vector<Annotation> read_annotations(const std::filesystem::path& record,
                                         std::string_view annotator = "atr");

}  // namespace physiolite::io
