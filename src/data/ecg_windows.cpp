#include "physiolite/data/ecg_windows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "physiolite/core/error.hpp"
#include "physiolite/core/huge_pages.hpp"
#include "physiolite/data/numpy_shuffle.hpp"
#include "physiolite/dsp/normalize.hpp"
#include "physiolite/io/challenge_record.hpp"
#include "physiolite/io/ptbxl.hpp"
#include "physiolite/io/wfdb.hpp"

namespace physiolite::data {

namespace fs = std::filesystem;

namespace {

constexpr int kLeads = 12;
constexpr double kFsHz = 500.0;

bool contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Appends the windows of one record ([lead][sample], already record-normalised if at all),
// zero-padding tails and applying the per-window normalisation `per_window` when given.
void append_windows(WindowSet& set, const std::vector<std::vector<double>>& leads,
                    const std::vector<WindowSpan>& spans, const dsp::Normalization* per_window,
                    const LabelledRecord& record) {
  const int64_t t = set.t;
  std::vector<double> lead(static_cast<size_t>(t));
  std::vector<float> out(static_cast<size_t>(t));
  for (const WindowSpan& span : spans) {
    for (const auto& x : leads) {
      std::fill(lead.begin(), lead.end(), 0.0);
      std::copy_n(x.begin() + span.begin, span.length, lead.begin());
      if (per_window) dsp::normalize_inplace(lead, *per_window);
      std::transform(lead.begin(), lead.end(), out.begin(),
                     [](double v) { return static_cast<float>(v); });
      // appended into the reserved array: resize() would zero-fill hundreds of megabytes first
      set.data.insert(set.data.end(), out.begin(), out.end());
    }
    set.labels.insert(set.labels.end(), record.labels.begin(), record.labels.end());
    set.source.push_back(record.name);
    set.begin_sample.push_back(span.begin);
    ++set.n;
  }
}

// Reserves the output of all records at once: the (N, C, T) array of a PTB-XL split is hundreds
// of megabytes, and growing it window by window spent most of the time copying it.
void reserve_windows(WindowSet& set, const std::vector<LabelledRecord>& records, int64_t step,
                     EcgTail tail) {
  int64_t windows = 0;
  for (const auto& r : records) {
    if (r.num_samples >= 0)
      windows += static_cast<int64_t>(ecg_window_spans(r.num_samples, set.t, step, tail).size());
  }
  set.data.reserve(static_cast<size_t>(windows * set.c * set.t));
  advise_huge_pages(set.data.data(), set.data.capacity() * sizeof(float));
  set.labels.reserve(static_cast<size_t>(windows) *
                     (records.empty() ? 1 : records[0].labels.size()));
  set.source.reserve(static_cast<size_t>(windows));
  set.begin_sample.reserve(static_cast<size_t>(windows));
}

WindowSet empty_set(const EcgOptions& o, std::vector<std::string> names, bool multi) {
  WindowSet set;
  set.c = kLeads;
  set.t = o.window_length;
  set.fs_hz = kFsHz;
  set.num_label_columns = multi ? static_cast<int64_t>(names.size()) : 0;
  set.class_names = std::move(names);
  return set;
}

const std::vector<int>& folds_of(const EcgOptions& o, Split split) {
  return split == Split::kTrain        ? o.train_folds
         : split == Split::kValidation ? o.validation_folds
                                       : o.test_folds;
}

// Multi-hot from #Dx entries: a code or token maps to one class index.
std::vector<int64_t> multi_hot(const std::vector<std::string>& dx,
                               const std::map<std::string, int>& map, size_t k) {
  std::vector<int64_t> y(k, 0);
  for (const auto& code : dx) {
    auto it = map.find(code);
    if (it != map.end()) y[static_cast<size_t>(it->second)] = 1;
  }
  return y;
}

bool any(const std::vector<int64_t>& y) {
  return std::any_of(y.begin(), y.end(), [](int64_t v) { return v != 0; });
}

// Labelled records of a challenge-layout folder in sorted order; `min_length` drops shorter ones.
std::vector<LabelledRecord> labelled_challenge_records(
    const fs::path& dir, std::vector<int64_t> (*labels)(const std::vector<std::string>&),
    int64_t min_length) {
  std::vector<LabelledRecord> out;
  for (const fs::path& hea : io::list_header_files(dir)) {
    fs::path record = hea;
    record.replace_extension();
    const io::WfdbHeader header = io::read_wfdb_header(record);
    LabelledRecord r{hea.stem().string(), hea, labels(io::header_dx_codes(header, hea)),
                     header.num_samples};
    if (!any(r.labels)) continue;
    if (header.num_samples >= 0 && header.num_samples < min_length) continue;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::vector<double>> to_double(const std::vector<std::vector<float>>& val) {
  std::vector<std::vector<double>> out;
  for (const auto& lead : val) out.emplace_back(lead.begin(), lead.end());
  return out;
}

}  // namespace

std::vector<WindowSpan> ecg_window_spans(int64_t n, int64_t window, int64_t step, EcgTail tail) {
  std::vector<WindowSpan> spans;
  int64_t last_end = 0;
  for (int64_t s = 0; s + window <= n; s += step) {
    spans.push_back({s, window});
    last_end = s + window;
  }
  if (tail == EcgTail::kStepRemainder) {
    if (n % step != 0) {
      const int64_t begin = n / step * step;
      spans.push_back({begin, std::min(window, n - begin)});
    }
  } else if (last_end < n) {
    spans.push_back({last_end, std::min(window, n - last_end)});
  }
  return spans;
}

void EcgOptions::validate() const {
  if (window_length < 1) throw UsageError("window_length: expected an integer >= 1");
  if (stride < 1) throw UsageError("stride: expected an integer >= 1");
  if (!(likelihood_threshold >= 0 && likelihood_threshold <= 100))
    throw UsageError("likelihood_threshold: expected a number from 0 to 100");
  if (!(threshold > 0 && threshold < 1)) throw UsageError("threshold: expected a number in (0, 1)");
  if (seed < 0) throw UsageError("seed: expected an integer >= 0");
  for (const auto* folds : {&train_folds, &validation_folds, &test_folds}) {
    for (int f : *folds) {
      if (f < 1 || f > 10) throw UsageError("folds: expected strat_fold values from 1 to 10");
    }
  }
}

std::vector<std::string> ptbxl_class_names() { return {"NORM", "MI", "STTC", "CD", "HYP"}; }
std::vector<std::string> cpsc_class_names() {
  return {"SNR", "AF", "IAVB", "LBBB", "RBBB", "PAC", "PVC", "STD", "STE"};
}
std::vector<std::string> chapman_class_names() { return {"SB", "AFIB", "GSVT", "SR"}; }

std::vector<int64_t> cpsc_labels(const std::vector<std::string>& dx) {
  static const std::map<std::string, int> kMap = {
      {"426783006", 0}, {"164889003", 1}, {"270492004", 2}, {"733534002", 3}, {"164909002", 3},
      {"713427006", 4}, {"59118001", 4},  {"284470004", 5}, {"427172004", 6}, {"164884008", 6},
      {"17338001", 6},  {"429622005", 7}, {"164931005", 8}};
  return multi_hot(dx, kMap, 9);
}

std::vector<int64_t> chapman_labels(const std::vector<std::string>& dx) {
  // SNOMED codes and the text tokens the reference also accepts.
  static const std::map<std::string, int> kMap = {
      {"426177001", 0}, {"SB", 0},        {"164889003", 1}, {"164890007", 1}, {"AFIB", 1},
      {"AF", 1},        {"AFL", 1},       {"426761007", 2}, {"713422000", 2}, {"233896004", 2},
      {"233897008", 2}, {"195101003", 2}, {"SVT", 2},       {"AT", 2},        {"AVNRT", 2},
      {"AVRT", 2},      {"SAAWR", 2},     {"427084000", 3}, {"426783006", 3}, {"427393009", 3},
      {"SR", 3},        {"SI", 3},        {"ST", 3}};
  return multi_hot(dx, kMap, 4);
}

std::vector<LabelledRecord> ptbxl_split_records(const EcgOptions& o, Split split) {
  const fs::path database = o.dir / "ptbxl_database.csv";
  const fs::path statements_csv = o.dir / "scp_statements.csv";
  const auto rows = io::read_ptbxl_database(database);
  const io::ScpStatements statements = io::read_scp_statements(statements_csv);
  const auto names = ptbxl_class_names();
  const std::vector<int>& folds = folds_of(o, split);
  std::vector<LabelledRecord> out;
  for (const auto& row : rows) {
    if (!contains(folds, row.strat_fold)) continue;
    int64_t label = -1;
    for (const auto& [code, likelihood] : row.scp_codes) {
      if (!statements.codes.count(code)) {
        throw InputError(InputLocation::at_line(database.string(), row.line), "scp_codes",
                         fmt::format("codes listed in {}", statements_csv.string()), code);
      }
      if (likelihood < o.likelihood_threshold) continue;
      auto it = statements.diagnostic_class.find(code);
      if (it == statements.diagnostic_class.end()) continue;
      auto c = std::find(names.begin(), names.end(), it->second);
      // Several superclasses: the highest index wins (HYP > CD > STTC > MI > NORM).
      if (c != names.end()) label = std::max<int64_t>(label, c - names.begin());
    }
    if (label < 0) continue;
    const fs::path record = o.dir / row.filename_hr;
    const io::WfdbHeader header = io::read_wfdb_header(record);
    if (header.num_samples >= 0 && header.num_samples < o.window_length) continue;
    out.push_back({std::to_string(row.ecg_id), record, {label}, header.num_samples});
  }
  return out;
}

std::vector<LabelledRecord> cpsc_split_records(const EcgOptions& o, Split split) {
  auto all = labelled_challenge_records(o.dir, cpsc_labels, 0);
  const auto seed = static_cast<uint32_t>(o.seed);
  // 70 % train; the other 30 % split again, one third of it test (20 % / 10 % overall).
  const TrainTestIndices first =
      sklearn_train_test_split(static_cast<int64_t>(all.size()), 0.3, seed);
  std::vector<int64_t> chosen;
  if (split == Split::kTrain) {
    chosen = first.train;
  } else {
    const TrainTestIndices second =
        sklearn_train_test_split(static_cast<int64_t>(first.test.size()), 1.0 / 3.0, seed);
    for (int64_t i : split == Split::kValidation ? second.train : second.test)
      chosen.push_back(first.test[static_cast<size_t>(i)]);
  }
  std::vector<LabelledRecord> out;
  for (int64_t i : chosen) out.push_back(all[static_cast<size_t>(i)]);
  return out;
}

std::vector<LabelledRecord> chapman_split_records(const EcgOptions& o, Split split) {
  auto all = labelled_challenge_records(o.dir, chapman_labels, o.window_length);
  const auto n = static_cast<int64_t>(all.size());
  const auto p = numpy_legacy_permutation(n, static_cast<uint32_t>(o.seed));
  const auto n_train = static_cast<int64_t>(0.7 * static_cast<double>(n));
  const auto n_val = static_cast<int64_t>(0.2 * static_cast<double>(n));
  const int64_t begin = split == Split::kTrain        ? 0
                        : split == Split::kValidation ? n_train
                                                      : n_train + n_val;
  const int64_t end = split == Split::kTrain        ? n_train
                      : split == Split::kValidation ? n_train + n_val
                                                    : n;
  std::vector<LabelledRecord> out;
  for (int64_t i = begin; i < end; ++i)
    out.push_back(all[static_cast<size_t>(p[static_cast<size_t>(i)])]);
  return out;
}

WindowSet build_ptbxl_windows(const EcgOptions& o, Split split) {
  WindowSet set = empty_set(o, ptbxl_class_names(), false);
  const dsp::Normalization minmax = dsp::Normalization::kMinMaxSymmetric;
  const auto records = ptbxl_split_records(o, split);
  reserve_windows(set, records, o.stride, EcgTail::kStepRemainder);
  for (const LabelledRecord& r : records) {
    const io::WfdbRecord record = io::read_wfdb_record(r.path);
    const std::string hea = r.path.string() + ".hea";
    if (record.num_signals() < kLeads) {
      throw InputError(InputLocation::at_line(hea, 1), "signals", "12 leads",
                       std::to_string(record.num_signals()));
    }
    if (record.header.fs_hz != kFsHz) {
      throw InputError(InputLocation::at_line(hea, 1), "sampling frequency",
                       "500 Hz (filename_hr, records500/)",
                       fmt::format("{} Hz", record.header.fs_hz));
    }
    if (record.num_samples() < o.window_length) continue;
    std::vector<std::vector<double>> leads;
    for (int l = 0; l < kLeads; ++l) leads.push_back(record.physical(l).samples);
    append_windows(
        set, leads,
        ecg_window_spans(record.num_samples(), o.window_length, o.stride, EcgTail::kStepRemainder),
        &minmax, r);
  }
  return set;
}

WindowSet build_cpsc_windows(const EcgOptions& o, Split split) {
  WindowSet set = empty_set(o, cpsc_class_names(), true);
  const dsp::Normalization zscore = dsp::Normalization::kZScore;
  const auto records = cpsc_split_records(o, split);
  reserve_windows(set, records, o.stride, EcgTail::kAfterLastWindow);
  for (const LabelledRecord& r : records) {
    const io::ChallengeRecord record = io::read_challenge_record(r.path, kLeads, kFsHz);
    const auto n = static_cast<int64_t>(record.val[0].size());
    append_windows(set, to_double(record.val),
                   ecg_window_spans(n, o.window_length, o.stride, EcgTail::kAfterLastWindow),
                   &zscore, r);
  }
  return set;
}

WindowSet build_chapman_windows(const EcgOptions& o, Split split) {
  WindowSet set = empty_set(o, chapman_class_names(), true);
  const auto records = chapman_split_records(o, split);
  reserve_windows(set, records, o.stride, EcgTail::kStepRemainder);
  for (const LabelledRecord& r : records) {
    const io::ChallengeRecord record = io::read_challenge_record(r.path, kLeads, kFsHz);
    const auto n = static_cast<int64_t>(record.val[0].size());
    if (n < o.window_length) continue;  // a header without a length: the rule applies here
    auto leads = to_double(record.val);
    for (auto& lead : leads) dsp::normalize_inplace(lead, dsp::Normalization::kZScore);
    append_windows(set, leads,
                   ecg_window_spans(n, o.window_length, o.stride, EcgTail::kStepRemainder), nullptr,
                   r);
  }
  return set;
}

}  // namespace physiolite::data
