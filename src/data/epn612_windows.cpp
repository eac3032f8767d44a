#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "physiolite/core/error.hpp"
#include "physiolite/data/emg_windows.hpp"
#include "physiolite/dsp/normalize.hpp"
#include "physiolite/io/epn612.hpp"

namespace physiolite::data {

namespace fs = std::filesystem;

namespace {

constexpr int kChannels = 8;

// Label of a gestureName; -1 for notProvided; InputError for anything else.
int64_t gesture_label(const io::EpnSample& s, const fs::path& file, const char* part) {
  const auto names = epn612_class_names();
  auto it = std::find(names.begin(), names.end(), s.gesture);
  if (it != names.end()) return it - names.begin();
  if (s.gesture == "notProvided") return -1;
  throw InputError(InputLocation::file(file.string()),
                   fmt::format("{}.{}.gestureName", part, s.key),
                   "noGesture, waveIn, waveOut, pinch, open, fist or notProvided", s.gesture);
}

void append(WindowSet& set, const io::EpnSample& s, int64_t label, const fs::path& file,
            const char* part, const std::string& user) {
  if (s.emg.size() != kChannels) {
    throw InputError(InputLocation::file(file.string()), fmt::format("{}.{}.emg", part, s.key),
                     "8 channels ch1 ... ch8", fmt::format("{} channels", s.emg.size()));
  }
  std::vector<double> x(static_cast<size_t>(set.t));
  for (const auto& channel : s.emg) {
    std::fill(x.begin(), x.end(), 0.0);
    const size_t n = std::min(x.size(), channel.size());
    for (size_t i = 0; i < n; ++i) x[i] = channel[i] / 128.0;
    dsp::normalize_inplace(x, dsp::Normalization::kMaxAbs);
    for (double v : x) set.data.push_back(static_cast<float>(v));
  }
  set.labels.push_back(label);
  set.source.push_back(user);
  set.begin_sample.push_back(0);
  ++set.n;
}

}  // namespace

void Epn612Options::validate() const {
  if (window_length < 1) throw UsageError("window_length: expected an integer >= 1");
  if (train_per_gesture < 0) throw UsageError("train_per_gesture: expected an integer >= 0");
}

std::vector<std::string> epn612_class_names() {
  return {"noGesture", "waveIn", "waveOut", "pinch", "open", "fist"};
}

std::vector<std::string> epn612_split_users(const Epn612Options& o, Split split) {
  std::vector<std::string> out;
  auto add = [&](const char* folder) {
    for (const auto& f : io::list_epn612_users(o.dir / folder)) out.push_back(f.stem().string());
  };
  if (split != Split::kTest) add("trainingJSON");
  if (split != Split::kValidation) add("testingJSON");
  return out;
}

WindowSet build_epn612_windows(const Epn612Options& o, Split split) {
  WindowSet set;
  set.c = kChannels;
  set.t = o.window_length;
  set.fs_hz = 200.0;
  set.class_names = epn612_class_names();
  if (split != Split::kTest) {
    for (const auto& file : io::list_epn612_users(o.dir / "trainingJSON")) {
      const io::EpnUser user = io::read_epn612_user(file);
      const bool train = split == Split::kTrain;
      const char* part = train ? "trainingSamples" : "testingSamples";
      for (const auto& s : train ? user.training : user.testing) {
        const int64_t label = gesture_label(s, file, part);
        if (label >= 0) append(set, s, label, file, part, user.name);
      }
    }
  }
  if (split != Split::kValidation) {
    for (const auto& file : io::list_epn612_users(o.dir / "testingJSON")) {
      const io::EpnUser user = io::read_epn612_user(file);
      std::map<int64_t, int64_t> seen;  // per gesture, in file order
      for (const auto& s : user.training) {
        const int64_t label = gesture_label(s, file, "trainingSamples");
        if (label < 0) continue;
        const bool to_train = seen[label]++ < o.train_per_gesture;
        if (to_train == (split == Split::kTrain))
          append(set, s, label, file, "trainingSamples", user.name);
      }
    }
  }
  return set;
}

}  // namespace physiolite::data
