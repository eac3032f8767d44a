// physiolite data summary|export: the benchmark datasets, prepared as the trainer sees them.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/benchmark.hpp"
#include "physiolite/data/hdf5_windows.hpp"

namespace physiolite::cli {
namespace {

struct DataArgs {
  std::string dataset;
  std::string config;
  std::string data_dir;
  std::vector<std::string> sets;
  bool json = false;
  std::string split = "train";
  std::string output;
};

data::Benchmark make_benchmark(const DataArgs& args) {
  const std::filesystem::path dir =
      args.data_dir.empty() ? shared_data_dir() : std::filesystem::path(args.data_dir);
  if (args.config.empty() && args.dataset.empty()) {
    throw UsageError("data: give a dataset (mitbih, uci, uci-tinymyo) or --config FILE");
  }
  data::Benchmark b = args.config.empty()
                          ? data::Benchmark(args.dataset, dir)
                          : data::benchmark_from_config(args.config, args.dataset, dir);
  b.apply_assignments(args.sets);
  return b;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

void run_summary(const DataArgs& args) {
  data::Benchmark bench = make_benchmark(args);
  nlohmann::json report = {{"dataset", bench.name()},
                           {"description", bench.description()},
                           {"options", bench.options()}};
  report["absent"] = bench.absent_sources();
  std::vector<std::string> class_names;
  for (data::Split split : data::kAllSplits) {
    data::WindowSet set = bench.build(split);
    if (class_names.empty()) class_names = set.class_names;
    report["fs_hz"] = set.fs_hz;
    report["window_shape"] = {set.c, set.t};
    report["side_inputs"] = set.side_names;
    report["class_names"] = set.class_names;
    auto counts = data::class_counts(set);
    report["splits"][data::split_name(split)] = {
        {"sources", bench.split_sources(split)}, {"windows", set.n}, {"class_counts", counts}};
  }
  if (args.json) {
    std::cout << report.dump(2) << "\n";
    return;
  }
  const std::string& name = bench.name();
  const bool by_record = name == "mitbih" || name == "ptbxl" || name == "cpsc" || name == "chapman";
  std::cout << fmt::format("dataset      {}\n", bench.name());
  std::cout << fmt::format("             {}\n", bench.description());
  std::cout << fmt::format("sampling     {} Hz\n", report["fs_hz"].get<double>());
  std::cout << fmt::format("window       {} channels x {} samples (C x T)\n",
                           report["window_shape"][0].get<int64_t>(),
                           report["window_shape"][1].get<int64_t>());
  if (!report["side_inputs"].empty()) {
    std::cout << fmt::format("side inputs  {}\n",
                             join(report["side_inputs"].get<std::vector<std::string>>(), ", "));
  }
  std::string header = fmt::format("{:<11} {:>8} {:>8}", "split",
                                   by_record          ? "records"
                                   : name == "epn612" ? "users"
                                                      : "subjects",
                                   "windows");
  for (const auto& c : class_names) header += fmt::format(" {:>8}", c);
  std::cout << "\n" << header << "\n";
  for (data::Split split : data::kAllSplits) {
    const auto& s = report["splits"][data::split_name(split)];
    std::string row = fmt::format("{:<11} {:>8} {:>8}", data::split_name(split),
                                  s["sources"].size(), s["windows"].get<int64_t>());
    for (const auto& c : s["class_counts"]) row += fmt::format(" {:>8}", c.get<int64_t>());
    std::cout << row << "\n";
  }
  std::cout << "\n";
  for (data::Split split : data::kAllSplits) {
    const auto& s = report["splits"][data::split_name(split)];
    std::cout << fmt::format("{:<11} {}\n", data::split_name(split),
                             join(s["sources"].get<std::vector<std::string>>(), " "));
  }
  if (!report["absent"].empty()) {
    std::cout << fmt::format("\nabsent from this copy of the data: {}\n",
                             join(report["absent"].get<std::vector<std::string>>(), " "));
  }
}

void run_export(const DataArgs& args) {
  if (args.output.empty()) throw UsageError("data export: --output FILE.h5 is required");
  data::Benchmark bench = make_benchmark(args);
  data::WindowSet set = bench.build(data::parse_split(args.split));
  data::write_hdf5_windows(args.output, set);
  std::cerr << fmt::format("wrote {} windows of {} x {} to {}\n", set.n, set.c, set.t, args.output);
}

void add_common(CLI::App* sub, DataArgs& args) {
  sub->add_option("dataset", args.dataset,
                  "Dataset: mitbih, uci, uci-tinymyo, ptbxl, cpsc, chapman, db5 or epn612 "
                  "(optional with --config)");
  sub->add_option("--config", args.config,
                  "Dataset and options of a training config's data section (e.g. the shipped "
                  "recipe configs/mitbih_aami.json); without it, the dataset's defaults");
  sub->add_option(
      "--data-dir", args.data_dir,
      "Folder with mitdb/, uci-emg-gestures/, ptb-xl/, cpsc2018/, chapman/, ninapro-db5/, "
      "emg-epn-612/ (default: $PHYSIOLITE_DATA or ../shared/data)");
  sub->add_option("--set", args.sets,
                  "Override a dataset option, data.key=value as in train (the data. prefix may "
                  "be left out; repeatable)");
}

const bool registered = register_command(10, [](CLI::App& app) {
  auto* data = app.add_subcommand("data", "Prepare the benchmark datasets: summary, export");
  data->require_subcommand(1);
  auto args = std::make_shared<DataArgs>();

  auto* summary = data->add_subcommand(
      "summary", "Records or subjects, class counts per split, sampling rate and window shape");
  add_common(summary, *args);
  summary->add_flag("--json", args->json, "Print the summary as JSON");
  set_examples(summary, {"data summary --config configs/mitbih_aami.json",
                         "data summary uci --set data.stride=256 --json"});
  summary->callback([args] { run_summary(*args); });

  auto* exp =
      data->add_subcommand("export",
                           "Write a split's prepared windows as HDF5 "
                           "(datasets data (N,C,T), label (N) or multi-hot (N,K), side, source)");
  add_common(exp, *args);
  exp->add_option("--split", args->split, "Split: train, validation or test")
      ->capture_default_str();
  exp->add_option("--output,-o", args->output, "Output .h5 file")->required();
  set_examples(exp, {"data export --config configs/mitbih_aami.json --split validation -o val.h5"});
  exp->callback([args] { run_export(*args); });
});

}  // namespace
}  // namespace physiolite::cli
