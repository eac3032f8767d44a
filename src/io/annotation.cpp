// MIT-format annotation files: a stream of 16-bit little-endian words, code in the top 6 bits,
// a 10-bit value below. Real annotations (codes 0-49 with a non-zero word) advance time by the
// value; the pseudo-codes that follow an annotation modify it: SUB (subtype), CHN and NUM (also
// carried over to later annotations), AUX (text). SKIP precedes an annotation and adds a signed
// 32-bit interval stored as high word then low word. A zero word ends the file.
#include "physiolite/io/annotation.hpp"

#include <fmt/format.h>

#include <array>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"

namespace physiolite::io {

namespace {

constexpr int kSkip = 59, kNum = 60, kSub = 61, kChn = 62, kAux = 63;

// WFDB's ecgcodes.h mnemonics; "" marks codes with no assigned meaning.
constexpr std::array<std::string_view, 50> kSymbols = {
    " ", "N", "L", "R", "a", "V",  "F", "J", "A", "S", "E", "j", "/", "Q", "~", "",  "|",
    "",  "s", "T", "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u", "?", "!", "[", "]",
    "e", "n", "@", "x", "f", "(",  ")", "r", "",  "",  "",  "",  "",  "",  "",  ""};

constexpr std::string_view kBeatSymbols = "NLRBAaJSVrFejnE/fQ?";

int sign_extend_10(int value) { return value >= 512 ? value - 1024 : value; }

class AnnotationParser {
 public:
  AnnotationParser(std::span<const uint8_t> bytes, const std::string& path)
      : bytes_(bytes), path_(path) {}

  std::vector<Annotation> parse() {
    std::vector<Annotation> out;
    int64_t time = 0;
    int chan = 0, num = 0;
    while (true) {
      if (pos_ + 2 > bytes_.size()) {
        error("terminator", "a zero word ending the file (the file is cut short)",
              pos_ == bytes_.size() ? "end of file" : "a single trailing byte");
      }
      const size_t word_at = pos_;
      const int word = read_word();
      const int code = word >> 10;
      const int value = word & 0x3FF;
      if (word == 0) break;
      switch (code) {
        case kSkip: {
          if (pos_ + 4 > bytes_.size()) error("SKIP interval", "4 bytes after SKIP", "end of file");
          uint32_t high = static_cast<uint32_t>(read_word());
          uint32_t low = static_cast<uint32_t>(read_word());
          time += static_cast<int32_t>((high << 16) | low);
          break;
        }
        case kNum:
          num = sign_extend_10(value);
          if (!out.empty()) out.back().num = num;
          break;
        case kSub:
          require_annotation(out, word_at, "SUB");
          out.back().subtype = sign_extend_10(value);
          break;
        case kChn:
          chan = value;
          if (!out.empty()) out.back().chan = chan;
          break;
        case kAux: {
          require_annotation(out, word_at, "AUX");
          const size_t padded = static_cast<size_t>(value + (value & 1));
          if (pos_ + padded > bytes_.size()) {
            error("AUX text", fmt::format("{} bytes of text", value), "end of file");
          }
          out.back().aux.assign(reinterpret_cast<const char*>(bytes_.data() + pos_),
                                static_cast<size_t>(value));
          // WFDB pads with NULs and some writers count the NUL; keep the text only.
          if (auto nul = out.back().aux.find('\0'); nul != std::string::npos) {
            out.back().aux.resize(nul);
          }
          pos_ += padded;
          break;
        }
        default: {
          time += value;
          if (time < 0) {
            throw InputError(InputLocation::at_byte(path_, static_cast<int64_t>(word_at)), "time",
                             "a non-negative sample number", std::to_string(time));
          }
          Annotation a;
          a.sample = time;
          a.code = code;
          a.chan = chan;
          a.num = num;
          out.push_back(std::move(a));
        }
      }
    }
    return out;
  }

 private:
  int read_word() {
    int w = bytes_[pos_] | (bytes_[pos_ + 1] << 8);
    pos_ += 2;
    return w;
  }

  void require_annotation(const std::vector<Annotation>& out, size_t at, const char* what) {
    if (out.empty()) {
      throw InputError(InputLocation::at_byte(path_, static_cast<int64_t>(at)), what,
                       "an annotation before it to modify", "none");
    }
  }

  [[noreturn]] void error(const std::string& field, const std::string& expected,
                          const std::string& found) {
    throw InputError(InputLocation::at_byte(path_, static_cast<int64_t>(pos_)), field, expected,
                     found);
  }

  std::span<const uint8_t> bytes_;
  const std::string& path_;
  size_t pos_ = 0;
};

}  // namespace

std::string_view annotation_symbol(int code) {
  if (code < 0 || code >= static_cast<int>(kSymbols.size())) return "";
  return kSymbols[static_cast<size_t>(code)];
}

int annotation_code(std::string_view symbol) {
  if (symbol.empty()) return -1;
  for (size_t c = 0; c < kSymbols.size(); ++c) {
    if (kSymbols[c] == symbol) return static_cast<int>(c);
  }
  return -1;
}

bool is_beat_code(int code) {
  std::string_view s = annotation_symbol(code);
  return s.size() == 1 && kBeatSymbols.find(s[0]) != std::string_view::npos;
}

std::string_view Annotation::symbol() const { return annotation_symbol(code); }

std::vector<Annotation> parse_annotations(std::span<const uint8_t> bytes, const std::string& path) {
  return AnnotationParser(bytes, path).parse();
}

std::vector<Annotation> read_annotations(const std::filesystem::path& record,
                                         std::string_view annotator) {
  std::filesystem::path path = record;
  path += ".";
  path += annotator;
  std::vector<uint8_t> bytes = read_file_bytes(path, kMaxAnnotationFileBytes);
  return parse_annotations(bytes, path.string());
}

}  // namespace physiolite::io
