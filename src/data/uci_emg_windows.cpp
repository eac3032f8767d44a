#include "physiolite/data/uci_emg_windows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "physiolite/core/error.hpp"
#include "physiolite/core/parallel.hpp"
#include "physiolite/core/progress.hpp"
#include "physiolite/dsp/normalize.hpp"
#include "physiolite/io/uci_emg.hpp"

namespace physiolite::data {

namespace {
std::vector<int> subject_range(int first, int last) {
  std::vector<int> out;
  for (int s = first; s <= last; ++s) out.push_back(s);
  return out;
}

std::string join(const std::vector<int>& v) {
  std::string s;
  for (int x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}
}  // namespace

void UciEmgOptions::validate() const {
  auto bad = [](const char* key, const std::string& expected, const std::string& found) {
    throw UsageError(fmt::format("uci.{}: expected {}, got {}", key, expected, found));
  };
  if (dir.empty()) bad("dir", "a directory", "nothing");
  // Upper bounds (docs/limits.md): a window or rate of 1e9 would be refused only by the allocator.
  if (!(grid_hz > 0 && grid_hz <= kMaxRateHz))
    bad("grid_hz", fmt::format("a rate above 0 and at most {} Hz", kMaxRateHz),
        fmt::format("{}", grid_hz));
  if (window_length < 1 || window_length > kMaxWindowLength)
    bad("window_length", fmt::format("1 to {} samples", kMaxWindowLength),
        std::to_string(window_length));
  if (stride < 1) bad("stride", "a positive number of samples", std::to_string(stride));
  if (edge_trim < 0)
    bad("edge_trim", "a non-negative number of samples", std::to_string(edge_trim));
  std::vector<int> seen;
  for (const auto* list : {&train_subjects, &validation_subjects, &test_subjects}) {
    for (int s : *list) {
      if (s < 1 || s > io::kUciEmgSubjects)
        bad("subjects", "subject numbers 1 to 36", std::to_string(s));
      if (std::find(seen.begin(), seen.end(), s) != seen.end()) {
        bad("subjects", "each subject in one split only", fmt::format("{} twice", s));
      }
      seen.push_back(s);
    }
  }
  if (train_subjects.empty()) bad("train_subjects", "at least one subject", join(train_subjects));
}

UciEmgOptions uci_emg_reference_options(std::filesystem::path dir) {
  return {.dir = std::move(dir),
          .grid_hz = 1000.0,
          .window_length = 1024,
          .stride = 512,
          .edge_trim = 120,
          .train_subjects = subject_range(1, 32),
          .validation_subjects = {33, 34},
          .test_subjects = {35, 36}};
}

UciEmgOptions uci_emg_tinymyo_options(std::filesystem::path dir) {
  return {.dir = std::move(dir),
          .grid_hz = 1000.0,
          .window_length = 1000,
          .stride = 500,
          .edge_trim = 0,
          .train_subjects = subject_range(1, 24),
          .validation_subjects = subject_range(25, 30),
          .test_subjects = subject_range(31, 36)};
}

const std::vector<int>& uci_emg_split_subjects(const UciEmgOptions& options, UciEmgSplit split) {
  switch (split) {
    case UciEmgSplit::kTrain:
      return options.train_subjects;
    case UciEmgSplit::kValidation:
      return options.validation_subjects;
    case UciEmgSplit::kTest:
      return options.test_subjects;
  }
  PL_CHECK(false, "unknown split");
}

namespace {

// One subject's recordings on the grid, normalised together.
std::vector<io::UciEmgGrid> load_subject(const std::vector<io::UciEmgFile>& files,
                                         const UciEmgOptions& options) {
  std::vector<io::UciEmgGrid> grids;
  for (const auto& f : files)
    grids.push_back(io::to_uniform_grid(io::read_uci_emg(f.path), options.grid_hz));
  for (int ch = 0; ch < io::kUciEmgChannels; ++ch) {
    dsp::NormStats stats;
    for (const auto& g : grids) stats.add(g.channels[static_cast<size_t>(ch)].samples);
    for (auto& g : grids) {
      dsp::apply(dsp::Normalization::kZScore, stats, g.channels[static_cast<size_t>(ch)].samples,
                 options.zscore_epsilon);
    }
  }
  return grids;
}

void append_windows(const io::UciEmgGrid& grid, const std::string& source,
                    const UciEmgOptions& options, WindowSet& out) {
  const auto n = static_cast<int64_t>(grid.classes.size());
  int64_t run_begin = 0;
  while (run_begin < n) {
    const int cls = grid.classes[static_cast<size_t>(run_begin)];
    int64_t run_end = run_begin;
    while (run_end < n && grid.classes[static_cast<size_t>(run_end)] == cls) ++run_end;
    if (cls >= 1 && cls <= kUciEmgGestures) {
      const int64_t first = run_begin + options.edge_trim;
      const int64_t last = run_end - options.edge_trim;  // exclusive
      for (int64_t start = first; start + options.window_length <= last; start += options.stride) {
        for (const auto& channel : grid.channels) {
          auto begin = channel.samples.begin() + start;
          std::transform(begin, begin + options.window_length, std::back_inserter(out.data),
                         [](double v) { return static_cast<float>(v); });
        }
        out.labels.push_back(cls - 1);
        out.source.push_back(source);
        out.begin_sample.push_back(start);
        ++out.n;
      }
    }
    run_begin = run_end;
  }
}

}  // namespace

WindowSet build_uci_emg_windows(const std::vector<int>& subjects, const UciEmgOptions& options) {
  options.validate();
  const auto files = io::list_uci_emg_files(options.dir);
  std::vector<std::vector<io::UciEmgFile>> per_subject(subjects.size());
  size_t file_count = 0;
  for (size_t i = 0; i < subjects.size(); ++i) {
    for (const auto& f : files) {
      if (f.id.subject == subjects[i]) per_subject[i].push_back(f);
    }
    file_count += per_subject[i].size();
  }

  std::vector<WindowSet> parts(subjects.size());
  ProgressBar progress("uci-emg", static_cast<int64_t>(file_count), "files");
  parallel_for(subjects.size(), [&](size_t i) {
    auto grids = load_subject(per_subject[i], options);
    parts[i].c = io::kUciEmgChannels;
    parts[i].t = options.window_length;
    for (size_t g = 0; g < grids.size(); ++g) {
      const auto& id = per_subject[i][g].id;
      append_windows(grids[g], fmt::format("s{:02}r{}", id.subject, id.recording), options,
                     parts[i]);
    }
    progress.tick(static_cast<int64_t>(per_subject[i].size()));
  });
  progress.finish();

  WindowSet set;
  set.c = io::kUciEmgChannels;
  set.t = options.window_length;
  set.fs_hz = options.grid_hz;
  for (int g = 1; g <= kUciEmgGestures; ++g) set.class_names.push_back(fmt::format("gesture{}", g));
  for (auto& p : parts) {
    set.n += p.n;
    set.data.insert(set.data.end(), p.data.begin(), p.data.end());
    set.labels.insert(set.labels.end(), p.labels.begin(), p.labels.end());
    set.source.insert(set.source.end(), p.source.begin(), p.source.end());
    set.begin_sample.insert(set.begin_sample.end(), p.begin_sample.begin(), p.begin_sample.end());
    p = WindowSet{};
  }
  return set;
}

}  // namespace physiolite::data
