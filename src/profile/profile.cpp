#include "physiolite/profile/profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "physiolite/core/error.hpp"
#include "physiolite/export/max78000.hpp"
#include "physiolite/export/tflite_writer.hpp"
#include "power.hpp"
#include "rules.hpp"

namespace physiolite::profile {

namespace {

// Clocks (docs/profile.md cites each): the MAX78000's CNN accelerator runs at 50 MHz (the APB
// clock, izer's default) and its Cortex-M4F at up to 100 MHz; the WE2's Ethos-U55 and Cortex-M55
// at 400 MHz (core_clock of the published Vela config).
constexpr double kMax78000CnnHz = 50e6;
constexpr double kMax78000CpuHz = 100e6;
constexpr double kWe2CpuHz = 400e6;
constexpr int64_t kMax78000WeightMemory = 432 * 1024;  // izer's weight memory, bytes
constexpr int kMax78000MaxLayers = 32;

// CPU-side instructions per window (docs/profile.md, "CPU table"), exact counts on QEMU with
// qemu-insncount, scaled per input element at 1 instruction per cycle:
//   ECG: `bash bench/run_cortex_m.sh`, the shipped MIT-BIH model's plrt_ecg outside plrt_invoke
//        (band-pass, resampling, running statistics, z-score, median-beat and RR channels,
//        positional channels, quantisation) per beat, window 26 channels x 128 samples;
//   EMG: `bash bench/run_profile_cpu.sh`, plrt_emg_prepare (z-score, positional channels,
//        quantisation) per window of the UCI EMG model's 24 channels x 1024 samples.
struct CpuPrep {
  double instructions;
  double elements;
};
constexpr CpuPrep kEcgPrepM4 = {207859.0, 26.0 * 128.0};
constexpr CpuPrep kEcgPrepM55 = {190780.0, 26.0 * 128.0};
constexpr CpuPrep kEmgPrepM4 = {690634.0, 24.0 * 1024.0};
constexpr CpuPrep kEmgPrepM55 = {450957.0, 24.0 * 1024.0};
// Moving a 32-bit word between the CPU and the CNN's memories: a load, a store and the loop's
// increment and branch, at one instruction per cycle (QEMU gives no cycle timing; docs/profile.md).
constexpr int64_t kInstructionsPerWord = 4;

int64_t words(int64_t bytes) { return (bytes + 3) / 4; }

ComponentCost cpu_component(std::string name, int64_t cycles, double hz, int64_t bytes) {
  return {.name = std::move(name),
          .unit = "CPU",
          .cycles = cycles,
          .us = static_cast<double>(cycles) / hz * 1e6,
          .uj = 0,
          .bytes = bytes};
}

const CpuPrep& prep_table(Chip chip, Signal signal) {
  if (chip == Chip::kMax78000) return signal == Signal::kEmg ? kEmgPrepM4 : kEcgPrepM4;
  return signal == Signal::kEmg ? kEmgPrepM55 : kEcgPrepM55;
}

int64_t prep_cycles(const qgraph::Graph& g, const CpuPrep& table) {
  const auto& in = g.tensors.at(static_cast<size_t>(g.input));
  return static_cast<int64_t>(
      table.instructions / table.elements * static_cast<double>(in.bytes()) + 0.5);
}

// Energy = the chip's published average power x each component's time (power.hpp).
void finish_totals(Profile& p) {
  const std::optional<PowerFigure> power = power_figure(p.chip);
  p.energy_note = std::string(energy_note(p.chip));
  for (ComponentCost& c : p.components) {
    if (power) c.uj = power->watts * c.us;
    p.us += c.us;
    p.uj += c.uj;
  }
}

std::string kind_name(exporter::Max78000Layer::Kind kind) {
  switch (kind) {
    case exporter::Max78000Layer::Kind::kConv1d:
      return "conv";
    case exporter::Max78000Layer::Kind::kPassthrough:
      return "passthrough";
    case exporter::Max78000Layer::Kind::kAdd:
      return "add";
  }
  return "?";
}

Profile profile_max78000(const qgraph::Graph& g, const Options& o) {
  // How a pool rounds changes no cycle; a model quantised before the exporter required the
  // chip's truncating pools is costed as if requantised.
  qgraph::Graph rounded = g;
  for (qgraph::Op& op : rounded.ops) {
    if (op.type == qgraph::OpType::kAvgPool1d) {
      op.truncate = true;
      op.round_half_up = false;
    }
  }
  const exporter::Max78000Plan plan = exporter::plan_max78000(rounded, "profile");
  Profile p;
  p.chip = Chip::kMax78000;
  p.accel_clock_hz = kMax78000CnnHz;
  p.cpu_clock_hz = kMax78000CpuHz;
  const bool per_inference_weights = o.weights == Weights::kFlash;
  p.placement = per_inference_weights
                    ? "weights copied from flash into the CNN weight memory at every inference"
                    : "weights kept in the CNN weight memory (SRAM), loaded once at boot";
  int64_t cnn = kMax78000StartupCycles;
  for (const auto& l : plan.layers) {
    LayerCost c;
    c.name = fmt::format("{} ({})", l.name, kind_name(l.kind));
    c.kind = kind_name(l.kind);
    c.cycles = max78000_layer_cycles(l);
    c.compute_cycles = c.cycles;
    c.weight_bytes = static_cast<int64_t>(l.weights.size());
    c.us = static_cast<double>(c.cycles) / kMax78000CnnHz * 1e6;
    cnn += c.cycles;
    p.layers.push_back(c);
  }
  p.accelerator_cycles = cnn;
  p.weight_bytes = plan.weight_bytes();
  const auto& in = g.tensors.at(static_cast<size_t>(g.input));
  p.components.push_back(cpu_component("input preparation (CPU)",
                                       prep_cycles(g, prep_table(Chip::kMax78000, o.signal)),
                                       kMax78000CpuHz, in.bytes() * 4));
  const int64_t weight_load = words(p.weight_bytes) * kInstructionsPerWord;
  if (per_inference_weights) {
    p.components.push_back(
        cpu_component("load weights (CPU)", weight_load, kMax78000CpuHz, p.weight_bytes));
  }
  p.components.push_back(cpu_component("load input (CPU)", words(in.bytes()) * kInstructionsPerWord,
                                       kMax78000CpuHz, in.bytes()));
  p.components.push_back({.name = "CNN accelerator",
                          .unit = "CNN",
                          .cycles = cnn,
                          .us = static_cast<double>(cnn) / kMax78000CnnHz * 1e6,
                          .uj = 0,
                          .bytes = p.weight_bytes});
  const int64_t out_bytes = static_cast<int64_t>(g.num_classes()) * 4;  // 32-bit wide logits
  p.components.push_back(cpu_component("read output (CPU)", words(out_bytes) * kInstructionsPerWord,
                                       kMax78000CpuHz, out_bytes));
  finish_totals(p);
  p.sram_bytes = static_cast<int64_t>(g.arena_size) + in.bytes();
  p.flash_bytes = p.weight_bytes;
  p.verdict.push_back(fmt::format(
      "weights {} of {} bytes of CNN weight memory ({:.0f} %): {}", p.weight_bytes,
      kMax78000WeightMemory, 100.0 * static_cast<double>(p.weight_bytes) / kMax78000WeightMemory,
      p.weight_bytes <= kMax78000WeightMemory ? "fits" : "does NOT fit"));
  p.verdict.push_back(fmt::format("{} hardware layers of {}: {}", plan.layers.size(),
                                  kMax78000MaxLayers,
                                  plan.layers.size() <= kMax78000MaxLayers ? "fits" : "too many"));
  if (!per_inference_weights) {
    p.verdict.push_back(fmt::format("loading the weights once at boot: {} CPU cycles ({:.0f} us)",
                                    weight_load,
                                    static_cast<double>(weight_load) / kMax78000CpuHz * 1e6));
  }
  return p;
}

Profile profile_we2(const qgraph::Graph& g, const Options& o) {
  exporting::check_we2_graph(g, "the network");
  We2Memory mem = o.we2_memory;
  if (o.weights == Weights::kFlash) mem.weights_in_flash = true;
  if (o.weights == Weights::kSram) mem.weights_in_flash = false;
  Profile p;
  p.chip = Chip::kWe2;
  p.accel_clock_hz = mem.core_clock_hz;
  p.cpu_clock_hz = kWe2CpuHz;
  p.placement = fmt::format("weights in {} ({})", mem.weights_in_flash ? "off-chip flash" : "SRAM",
                            mem.origin);
  int64_t npu = 0, compute = 0, waiting = 0;
  const std::vector<We2OpCycles> cycles = we2_network_cycles(g, mem);
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const qgraph::Op& op = g.ops[i];
    const We2OpCycles& c = cycles[i];
    LayerCost l;
    l.name = fmt::format("op {} ({})", i, qgraph::to_string(op.type));
    l.kind = std::string(qgraph::to_string(op.type));
    l.cycles = c.total();
    l.compute_cycles = c.compute;
    l.weight_cycles = c.weight;
    l.weight_bytes = c.weight_bytes;
    l.us = static_cast<double>(l.cycles) / mem.core_clock_hz * 1e6;
    npu += l.cycles;
    compute += c.compute;
    waiting += l.cycles - c.compute;
    p.weight_bytes += c.weight_bytes;
    p.layers.push_back(l);
  }
  p.accelerator_cycles = npu;
  const auto& in = g.tensors.at(static_cast<size_t>(g.input));
  p.components.push_back(cpu_component("input preparation (CPU)",
                                       prep_cycles(g, prep_table(Chip::kWe2, o.signal)), kWe2CpuHz,
                                       in.bytes() * 4));
  p.components.push_back({.name = "NPU (Ethos-U55-64)",
                          .unit = "NPU",
                          .cycles = npu,
                          .us = static_cast<double>(npu) / mem.core_clock_hz * 1e6,
                          .uj = 0,
                          .bytes = p.weight_bytes});
  const int64_t out_bytes = g.num_classes();
  p.components.push_back(cpu_component("read output (CPU)", words(out_bytes) * kInstructionsPerWord,
                                       kWe2CpuHz, out_bytes));
  finish_totals(p);
  p.sram_bytes = static_cast<int64_t>(g.arena_size) + (mem.weights_in_flash ? 0 : p.weight_bytes);
  p.flash_bytes = mem.weights_in_flash ? p.weight_bytes : 0;
  p.verdict.push_back(fmt::format(
      "summed over operators: compute {} cycles, waiting for weights or memory {} cycles", compute,
      waiting));
  p.verdict.push_back(waiting > compute
                          ? "weight-bound: the weights' memory, not the MACs, sets the time "
                            "(try --weights sram if the SRAM holds them)"
                          : "compute-bound: the weights' memory keeps up with the MACs");
  return p;
}

}  // namespace

Chip parse_chip(std::string_view text) {
  if (text == "max78000") return Chip::kMax78000;
  if (text == "we2") return Chip::kWe2;
  throw UsageError(fmt::format("--target {}: expected max78000 or we2", text));
}

Signal parse_signal(std::string_view text) {
  if (text == "ecg") return Signal::kEcg;
  if (text == "emg") return Signal::kEmg;
  throw UsageError(fmt::format("--signal {}: expected ecg or emg", text));
}

bool is_emg_dataset(std::string_view dataset) {
  return dataset == "uci" || dataset == "uci-tinymyo" || dataset == "db5" || dataset == "epn612";
}

Weights parse_weights(std::string_view text) {
  if (text == "flash") return Weights::kFlash;
  if (text == "sram") return Weights::kSram;
  throw UsageError(fmt::format("--weights {}: expected flash or sram", text));
}

Profile profile_graph(const qgraph::Graph& graph, Chip chip, const Options& options) {
  return chip == Chip::kMax78000 ? profile_max78000(graph, options) : profile_we2(graph, options);
}

}  // namespace physiolite::profile
