#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "physiolite/core/error.hpp"
#include "physiolite/data/emg_windows.hpp"
#include "physiolite/io/ninapro.hpp"

namespace physiolite::data {

namespace {

bool contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string movement_name(int label) {
  if (label == 0) return "rest";
  if (label <= 12) return fmt::format("E1-{}", label);
  if (label <= 29) return fmt::format("E2-{}", label - 12);
  return fmt::format("E3-{}", label - 29);
}

struct Window {
  const io::NinaproExercise* exercise;
  int64_t begin;
  int label;  // movement label before renumbering
  int repetition;
};

// Windows inside contiguous runs of one repetition id > 0, in time order.
void find_windows(const io::NinaproExercise& x, int exercise, const Db5Options& o,
                  std::vector<Window>& out) {
  std::vector<int> labels(static_cast<size_t>(o.window_length));
  int64_t run = 0;
  while (run < x.samples) {
    const int rep = x.rerepetition[static_cast<size_t>(run)];
    int64_t end = run;
    while (end < x.samples && x.rerepetition[static_cast<size_t>(end)] == rep) ++end;
    if (rep > 0) {
      for (int64_t s = run; s + o.window_length <= end; s += o.stride) {
        for (int64_t i = 0; i < o.window_length; ++i) {
          labels[static_cast<size_t>(i)] =
              db5_movement_label(exercise, x.restimulus[static_cast<size_t>(s + i)]);
        }
        out.push_back({&x, s, majority_label(labels.data(), o.window_length), rep});
      }
    }
    run = end;
  }
}

}  // namespace

void Db5Options::validate() const {
  if (window_length < 1) throw UsageError("window_length: expected an integer >= 1");
  if (stride < 1) throw UsageError("stride: expected an integer >= 1");
  if (channels < 1 || channels > 16) throw UsageError("channels: expected 1 to 16");
  if (!(clip > 0)) throw UsageError("clip: expected a number > 0");
  if (!(std_floor > 0)) throw UsageError("std_floor: expected a number > 0");
  if (train_repetitions.empty()) throw UsageError("train_repetitions: expected at least one");
}

int db5_movement_label(int exercise, int restimulus) {
  if (restimulus == 0) return 0;
  static constexpr int kOffset[] = {0, 0, 12, 29};
  return restimulus + kOffset[exercise];
}

int majority_label(const int* labels, int64_t count) {
  std::map<int, int64_t> votes;
  for (int64_t i = 0; i < count; ++i) ++votes[labels[i]];
  int best = 0;
  int64_t best_votes = -1;
  for (const auto& [label, n] : votes) {  // ascending: the first maximum is the smallest label
    if (n > best_votes) {
      best = label;
      best_votes = n;
    }
  }
  return best;
}

std::vector<std::string> db5_split_subjects(const Db5Options& o) {
  std::vector<std::string> out;
  for (const auto& f : io::list_ninapro_db5(o.dir)) {
    if (f.exercise == 1) out.push_back(fmt::format("s{}", f.subject));
  }
  return out;
}

WindowSet build_db5_windows(const Db5Options& o, Split split) {
  const std::vector<int>& reps = split == Split::kTrain        ? o.train_repetitions
                                 : split == Split::kValidation ? o.validation_repetitions
                                                               : o.test_repetitions;
  const auto files = io::list_ninapro_db5(o.dir);
  const auto c = static_cast<size_t>(o.channels);
  WindowSet set;
  set.c = o.channels;
  set.t = o.window_length;
  set.fs_hz = 200.0;
  std::set<int> present;
  std::vector<int> raw_labels;
  for (size_t first = 0; first < files.size(); first += 3) {
    std::vector<io::NinaproExercise> exercises;
    for (size_t e = 0; e < 3; ++e)
      exercises.push_back(io::read_ninapro_exercise(files[first + e].path, o.channels));
    // Welford over the subject's training-repetition samples, per channel.
    std::vector<double> mean(c, 0.0), m2(c, 0.0);
    int64_t count = 0;
    for (const auto& x : exercises) {
      for (int64_t r = 0; r < x.samples; ++r) {
        if (!contains(o.train_repetitions, x.rerepetition[static_cast<size_t>(r)])) continue;
        ++count;
        for (size_t ch = 0; ch < c; ++ch) {
          const double v = x.emg[static_cast<size_t>(r) * c + ch];
          const double d = v - mean[ch];
          mean[ch] += d / static_cast<double>(count);
          m2[ch] += d * (v - mean[ch]);
        }
      }
    }
    if (count < 2) {
      throw InputError(InputLocation::file(files[first].path.string()), "rerepetition",
                       "at least two samples of the training repetitions to normalise with",
                       fmt::format("{}", count));
    }
    std::vector<double> sd(c);
    for (size_t ch = 0; ch < c; ++ch)
      sd[ch] = std::max(o.std_floor, std::sqrt(m2[ch] / static_cast<double>(count - 1)));

    std::vector<Window> windows;
    for (size_t e = 0; e < 3; ++e)
      find_windows(exercises[e], files[first + e].exercise, o, windows);
    const std::string subject = fmt::format("s{}", files[first].subject);
    for (const Window& w : windows) {
      const bool in_any = contains(o.train_repetitions, w.repetition) ||
                          contains(o.validation_repetitions, w.repetition) ||
                          contains(o.test_repetitions, w.repetition);
      if (in_any) present.insert(w.label);
      if (!contains(reps, w.repetition)) continue;
      // (N, C, T) from the exercise's (samples, channels).
      for (size_t ch = 0; ch < c; ++ch) {
        for (int64_t i = 0; i < o.window_length; ++i) {
          const double v = w.exercise->emg[static_cast<size_t>(w.begin + i) * c + ch];
          set.data.push_back(
              static_cast<float>(std::clamp((v - mean[ch]) / sd[ch], -o.clip, o.clip)));
        }
      }
      raw_labels.push_back(w.label);
      set.source.push_back(subject);
      set.begin_sample.push_back(w.begin);
      ++set.n;
    }
  }
  // Contiguous labels over the sorted set present (the reference's label_map.json).
  std::map<int, int64_t> renumber;
  for (int label : present) {
    renumber[label] = static_cast<int64_t>(renumber.size());
    set.class_names.push_back(movement_name(label));
  }
  for (int label : raw_labels) set.labels.push_back(renumber.at(label));
  return set;
}

}  // namespace physiolite::data
