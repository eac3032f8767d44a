#include "physiolite/io/ninapro.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>

#include "physiolite/core/error.hpp"
#include "physiolite/io/mat_file.hpp"

namespace physiolite::io {

namespace fs = std::filesystem;

std::vector<NinaproFile> list_ninapro_db5(const fs::path& dir) {
  if (!fs::is_directory(dir)) {
    throw InputError(InputLocation::file(dir.string()), "folder",
                     "the NinaPro DB5 folder with s1/ ... s10/", "no such folder");
  }
  std::map<int, fs::path> subjects;
  static const std::regex kSubject("s([0-9]+)");
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && std::regex_match(name, m, kSubject))
      subjects[std::stoi(m[1])] = entry.path();
  }
  if (subjects.empty()) {
    throw InputError(InputLocation::file(dir.string()), "subject folders",
                     "folders s1, s2, ... holding S<N>_E<e>_A1.mat", "none");
  }
  std::vector<NinaproFile> out;
  for (const auto& [subject, folder] : subjects) {
    for (int e = 1; e <= 3; ++e) {
      fs::path file = folder / fmt::format("S{}_E{}_A1.mat", subject, e);
      if (!fs::exists(file)) {
        throw InputError(
            InputLocation::file(file.string()), "file",
            fmt::format("exercise {} of subject {} (every subject has E1, E2, E3)", e, subject),
            "no such file");
      }
      out.push_back({subject, e, file});
    }
  }
  return out;
}

NinaproExercise read_ninapro_exercise(const fs::path& path, int channels) {
  const MatFile file = read_mat_file(path, {"emg", "restimulus", "rerepetition"});
  const MatArray& emg = require_mat_array(file, "emg", path);
  const MatArray& stim = require_mat_array(file, "restimulus", path);
  const MatArray& rep = require_mat_array(file, "rerepetition", path);
  const auto where = InputLocation::file(path.string());
  if (emg.cols < channels) {
    throw InputError(where, "emg", fmt::format("samples x at least {} channels", channels),
                     fmt::format("{} x {}", emg.rows, emg.cols));
  }
  for (const MatArray* label : {&stim, &rep}) {
    if (label->cols != 1 || label->rows != emg.rows) {
      throw InputError(where, label->name, fmt::format("{} x 1, one value per emg row", emg.rows),
                       fmt::format("{} x {}", label->rows, label->cols));
    }
  }
  NinaproExercise x;
  x.samples = emg.rows;
  x.channels = channels;
  x.emg.resize(static_cast<size_t>(emg.rows * channels));
  for (int64_t r = 0; r < emg.rows; ++r) {
    for (int c = 0; c < channels; ++c)
      x.emg[static_cast<size_t>(r * channels + c)] = static_cast<float>(emg.at(r, c));
  }
  for (const MatArray* label : {&stim, &rep}) {
    std::vector<int>& out = label == &stim ? x.restimulus : x.rerepetition;
    out.resize(static_cast<size_t>(emg.rows));
    for (int64_t r = 0; r < emg.rows; ++r) {
      const double v = label->values[static_cast<size_t>(r)];
      if (!(v >= 0 && v < 1000 && v == std::floor(v))) {
        throw InputError(where, fmt::format("{}[{}]", label->name, r),
                         "a non-negative integer label", fmt::format("{}", v));
      }
      out[static_cast<size_t>(r)] = static_cast<int>(v);
    }
  }
  return x;
}

}  // namespace physiolite::io
