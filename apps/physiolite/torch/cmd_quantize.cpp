// physiolite quantize --run DIR [--checkpoint best|last|FILE] --scheme max78000|tflite [--qat N]
//   [--calibration minmax|percentile] [--percentile P] [--calibration-windows N]
//   [--pool-rounding truncate|floor|half-up] -o FILE.plq [--c-array DIR]
// Parsing only: the work is quant::quantize_run.
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/quant/quantize_run.hpp"

namespace physiolite::cli {
namespace {

struct QuantizeArgs {
  std::string scheme;
  quant::QuantizeRunOptions run;
};

void run_quantize(QuantizeArgs& args) {
  args.run.scheme = qgraph::parse_scheme(args.scheme);
  args.run.data_dir = shared_data_dir();
  const quant::QuantizeRunResult result = quant::quantize_run(args.run);
  std::cout << result.text;
  if (result.report_updated) {
    std::cout << "updated " << (args.run.run / "report.md").string() << "\n";
  }
  for (const auto& p : result.c_files) std::cout << "wrote " << p.string() << "\n";
}

const bool registered = register_command(53, [](CLI::App& app) {
  auto* sub = app.add_subcommand(
      "quantize", "Quantise a trained run to an int8 model file (.plq) for the C runtime");
  auto args = std::make_shared<QuantizeArgs>();
  sub->add_option("--run", args->run.run, "Run directory written by physiolite train")->required();
  sub->add_option("--checkpoint", args->run.checkpoint, "Checkpoint: best, last or a file")
      ->capture_default_str();
  sub->add_option(
         "--scheme", args->scheme,
         "Scheme: max78000 (power-of-two shifts, Q7) or tflite (int8 asymmetric, per-channel)")
      ->required();
  sub->add_option("--qat", args->run.qat.epochs,
                  "Quantisation-aware fine-tuning epochs (0: PTQ only)")
      ->capture_default_str();
  sub->add_option("--qat-ranges", args->run.qat.ranges,
                  "QAT tensor ranges: frozen (calibrated) or ema (moving average of batches)")
      ->capture_default_str();
  sub->add_option("--qat-lr-factor", args->run.qat.lr_factor, "QAT learning rate = train.lr x this")
      ->capture_default_str();
  sub->add_option("--calibration", args->run.calibration,
                  "Percentile (default, as the shipped int8 models) or minmax");
  sub->add_option("--percentile", args->run.percentile,
                  "Percentile of the values kept (default: 99.99 for MIT-BIH on max78000, else "
                  "99.9: what validation chose for the shipped models)");
  sub->add_option("--calibration-windows", args->run.calibration_windows,
                  "Training windows the ranges are taken over (a seeded subset)")
      ->capture_default_str();
  sub->add_option("--pool-rounding", args->run.pool_rounding,
                  "max78000 average pools: truncate (toward zero, what the chip computes for "
                  "Conv1d layers), floor or half-up")
      ->capture_default_str();
  sub->add_option("-o,--output", args->run.output,
                  "The model file to write (FILE.plq; also FILE.plq.json)")
      ->required();
  sub->add_option("--c-array", args->run.c_array,
                  "Also write the model as C source NAME.h/NAME.c into DIR (created if "
                  "missing), what runtime/examples/classify.c compiles with");
  sub->add_option("--c-name", args->run.c_name,
                  "With --c-array: the array's C name (default: FILE's name as an identifier; "
                  "runtime/examples/classify.c includes plrt_model_data)");
  set_examples(
      sub,
      {"quantize --run runs/my_run --scheme max78000 -o runs/my_run/int8/max78000.plq --c-array "
       "firmware --c-name plrt_model_data",
       "quantize --run runs/my_run --scheme tflite --qat 4 -o runs/my_run/int8/tflite-qat.plq"});
  sub->callback([args] { run_quantize(*args); });
});

}  // namespace
}  // namespace physiolite::cli
