// physiolite info: the layer table of a model config with weights, MACs and totals (for a
// distillation teacher, its parts with parameters and MACs).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "model_args.hpp"
#include "physiolite/arch/chip_rules.hpp"
#include "physiolite/arch/config_override.hpp"
#include "physiolite/arch/layer_table.hpp"
#include "physiolite/arch/teacher_table.hpp"

namespace physiolite::cli {
namespace {

std::string shape(int channels, arch::Dims d, arch::LayerOp op) {
  const bool is_2d = op == arch::LayerOp::kConv2d || op == arch::LayerOp::kAvgPool2d;
  return is_2d ? fmt::format("{}x{}x{}", channels, d.height, d.width)
               : fmt::format("{}x{}", channels, d.width);
}

std::string geometry(const arch::LayerSpec& l) {
  if (l.is_conv()) return fmt::format("k{} p{}", l.kernel, l.padding);
  if (l.is_pool()) {
    return fmt::format("k{}x{} s{}x{}", l.pool_kernel.height, l.pool_kernel.width,
                       l.pool_stride.height, l.pool_stride.width);
  }
  return "";
}

nlohmann::json layer_json(const arch::LayerSpec& l) {
  return {{"name", l.name},
          {"op", std::string(arch::to_string(l.op))},
          {"inputs", l.inputs},
          {"in_channels", l.in_channels},
          {"out_channels", l.out_channels},
          {"in_dims", {l.in_dims.height, l.in_dims.width}},
          {"out_dims", {l.out_dims.height, l.out_dims.width}},
          {"kernel", l.kernel},
          {"padding", l.padding},
          {"stride", l.stride},
          {"dilation", l.dilation},
          {"pool_kernel", {l.pool_kernel.height, l.pool_kernel.width}},
          {"pool_stride", {l.pool_stride.height, l.pool_stride.width}},
          {"activation", l.activation},
          {"weights", l.weights},
          {"macs", l.macs}};
}

std::string source(const ModelArgs& args) {
  return args.run.empty() ? "profile " + args.profile : "run " + args.run;
}

// What --json reports first for any model: where its config came from, and the config.
nlohmann::json report_of(const ModelArgs& args, const arch::ModelConfig& config) {
  return {{"profile", args.run.empty() ? args.profile : ""},
          {"run", args.run},
          {"config", arch::to_json(config)}};
}

// A teacher runs on no chip: its parts, parameters (float32) and MACs, no chip usage.
void print_teacher(const ModelArgs& args, const arch::ModelConfig& config) {
  const auto parts = arch::describe_teacher(config);
  const int64_t params = arch::count_parameters(parts);
  const int64_t macs = arch::count_macs(parts);
  if (args.json) {
    nlohmann::json report = report_of(args, config);
    for (const auto& part : parts) {
      report["parts"].push_back({{"name", part.name},
                                 {"shape", part.shape},
                                 {"parameters", part.parameters},
                                 {"macs", part.macs}});
    }
    report["totals"] = {{"parameters", params}, {"float32_bytes", 4 * params}, {"macs", macs}};
    std::cout << report.dump(2) << "\n";
    return;
  }
  std::cout << fmt::format(
      "{}: Transformer teacher (model.type transformer, not bound by chip rules), input {}x{} = "
      "{} raw + {} positional channels\n\n",
      source(args), config.channels(), config.input_length, config.raw_channels,
      2 * config.pos_freqs);
  std::cout << fmt::format("{:<12} {:<40} {:>11} {:>11}\n", "part", "shape", "parameters", "MACs");
  for (const auto& part : parts) {
    std::cout << fmt::format("{:<12} {:<40} {:>11} {:>11}\n", part.name, part.shape,
                             part.parameters, part.macs);
  }
  std::cout << fmt::format("\nparameters   {} (float32: {:.1f} MiB)\n", params,
                           4.0 * static_cast<double>(params) / (1024.0 * 1024.0));
  std::cout << fmt::format("MACs/window  {}\n", macs);
}

void run_info(const ModelArgs& args) {
  const arch::ModelConfig config = resolve_model_config(args);
  if (config.type == "transformer") return print_teacher(args, config);
  const auto layers = arch::describe_layers(config);
  const int64_t params = arch::count_parameters(layers);
  const int64_t macs = arch::count_macs(layers);
  const arch::Max78000Usage chip = arch::max78000_usage(layers);
  if (args.json) {
    nlohmann::json report = report_of(args, config);
    for (const auto& l : layers) report["layers"].push_back(layer_json(l));
    report["totals"] = {{"parameters", params}, {"int8_bytes", params}, {"macs", macs}};
    report["max78000"] = {{"layers", chip.layers},
                          {"weight_columns", chip.weight_columns},
                          {"peak_data_bytes", chip.peak_data_bytes}};
    std::cout << report.dump(2) << "\n";
    return;
  }
  std::cout << fmt::format("{}: input {}x{} = {} raw + {} positional channels (CPU)\n\n",
                           source(args), config.channels(), config.input_length,
                           config.raw_channels, 2 * config.pos_freqs);
  std::cout << fmt::format("{:<22} {:<10} {:>10} {:>10} {:<12} {:<5} {:>8} {:>10}\n", "layer", "op",
                           "in", "out", "geometry", "act", "weights", "MACs");
  for (const auto& l : layers) {
    std::cout << fmt::format("{:<22} {:<10} {:>10} {:>10} {:<12} {:<5} {:>8} {:>10}\n", l.name,
                             arch::to_string(l.op), shape(l.in_channels, l.in_dims, l.op),
                             shape(l.out_channels, l.out_dims, l.op), geometry(l), l.activation,
                             l.weights, l.macs);
  }
  std::cout << fmt::format("\nparameters   {} (int8: {} B = {:.1f} KiB, no biases)\n", params,
                           params, params / 1024.0);
  std::cout << fmt::format("MACs/window  {}\n", macs);
  std::cout << fmt::format(
      "max78000     {} hardware layers, {}/{} packed kernel columns, peak data {} B\n", chip.layers,
      chip.weight_columns, arch::kMax78000WeightColumns, chip.peak_data_bytes);
}

const bool registered = register_command(40, [](CLI::App& app) {
  auto* sub = app.add_subcommand("info", "Layer table, parameters and MACs of a model config");
  auto args = std::make_shared<ModelArgs>();
  add_model_options(sub, *args);
  set_examples(sub, {"info --run models/mitbih-wavelet-seed1", "info --profile uci --json",
                     "info --run models/mitbih-teacher-seed1"});
  sub->callback([args] { run_info(*args); });
});

}  // namespace
}  // namespace physiolite::cli
