#include "physiolite/data/aami.hpp"

#include "physiolite/io/annotation.hpp"

namespace physiolite::data {

namespace {
constexpr int kDs1[] = {101, 106, 108, 109, 112, 114, 115, 116, 118, 119, 122,
                        124, 201, 203, 205, 207, 208, 209, 215, 220, 223, 230};
constexpr int kDs2[] = {100, 103, 105, 111, 113, 117, 121, 123, 200, 202, 210,
                        212, 213, 214, 219, 221, 222, 228, 231, 232, 233, 234};
constexpr int kPaced[] = {102, 104, 107, 217};
constexpr int kAll[] = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 111, 112,
                        113, 114, 115, 116, 117, 118, 119, 121, 122, 123, 124, 200,
                        201, 202, 203, 205, 207, 208, 209, 210, 212, 213, 214, 215,
                        217, 219, 220, 221, 222, 223, 228, 230, 231, 232, 233, 234};
}  // namespace

std::optional<AamiClass> aami_class_of_code(int annotation_code) {
  std::string_view s = io::annotation_symbol(annotation_code);
  if (s.size() != 1) return std::nullopt;
  switch (s[0]) {
    case 'N':
    case 'L':
    case 'R':
    case 'e':
    case 'j':
      return AamiClass::kN;
    case 'A':
    case 'a':
    case 'J':
    case 'S':
      return AamiClass::kS;
    case 'V':
    case 'E':
      return AamiClass::kV;
    case 'F':
      return AamiClass::kF;
    case '/':
    case 'f':
    case 'Q':
      return AamiClass::kQ;
    default:
      return std::nullopt;
  }
}

std::span<const int> mitbih_ds1_records() { return kDs1; }
std::span<const int> mitbih_ds2_records() { return kDs2; }
std::span<const int> mitbih_paced_records() { return kPaced; }
std::span<const int> mitbih_all_records() { return kAll; }

}  // namespace physiolite::data
