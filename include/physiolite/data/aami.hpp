// AAMI EC57 beat classes and the de Chazal et al. (2004) inter-patient split of MIT-BIH.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>

namespace physiolite::data {

enum class AamiClass { kN = 0, kS = 1, kV = 2, kF = 3, kQ = 4 };
constexpr int kNumAamiClasses = 5;
constexpr std::array<std::string_view, kNumAamiClasses> kAamiClassNames = {"N", "S", "V", "F", "Q"};

// N = N L R e j; S = A a J S; V = V E; F = F; Q = / f Q. Non-beat codes -> nullopt.
std::optional<AamiClass> aami_class_of_code(int annotation_code);

// de Chazal, O'Dwyer, Reilly, IEEE TBME 51(7):1196-1206, 2004.
std::span<const int> mitbih_ds1_records();
std::span<const int> mitbih_ds2_records();
std::span<const int> mitbih_paced_records();  // 102, 104, 107, 217: in neither set
std::span<const int> mitbih_all_records();    // the 48 records

}  // namespace physiolite::data
