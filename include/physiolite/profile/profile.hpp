// What an int8 network costs on a chip, before any hardware: per accelerator layer and per
// component (CPU-side input preparation, loading the input, the accelerator, reading the result)
// cycles, time at the chip's clocks, energy and memory. docs/profile.md derives every rule and
// cites every power and clock figure. Torch-free; the vendors' estimators (izer, Vela) are never
// run here: their behaviour was fitted once (scripts/profile_fit.py) into the small formulas of
// max78000.cpp and we2.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "physiolite/qgraph/graph.hpp"

namespace physiolite::profile {

enum class Chip { kMax78000, kWe2 };
Chip parse_chip(std::string_view text);  // UsageError naming --target

// Where the weights live. MAX78000: the CNN's own weight memory is SRAM (kFlash means they are
// copied from flash into it at every inference instead of once at boot). WE2: the Vela memory
// config's const_mem_area (off-chip flash or SRAM).
enum class Weights { kDefault, kFlash, kSram };
Weights parse_weights(std::string_view text);  // "flash" or "sram"; UsageError otherwise

// The parts of a Vela system config (himax_we2.ini) the WE2 rules use.
struct We2Memory {
  double core_clock_hz = 400e6;
  double flash_clock_scale = 0.015625;  // OffChipFlash_clock_scale
  double sram_clock_scale = 1.0;        // Sram_clock_scale
  int flash_read_latency = 64;          // OffChipFlash_read_latency, cycles
  int sram_read_latency = 16;           // Sram_read_latency, cycles
  bool weights_in_flash = true;         // const_mem_area = the AXI port of OffChipFlash
  std::string origin = "the published WE2 config (himax_we2.ini)";
};
// Reads [System_Config.My_Sys_Cfg] and [Memory_Mode.My_Mem_Mode_Parent] of a Vela .ini file;
// InputError naming the file and key for a missing or malformed value.
We2Memory read_we2_memory(const std::filesystem::path& ini);

// Which CPU-side preparation feeds the network: the ECG streaming pipeline (filters, beat
// windows, template and RR channels, positional channels, quantisation: plrt_ecg) or the EMG
// window's (z-score, positional channels, quantisation: plrt_emg). Their instruction counts differ.
enum class Signal { kEcg, kEmg };
Signal parse_signal(std::string_view text);     // "ecg" or "emg"; UsageError otherwise
bool is_emg_dataset(std::string_view dataset);  // uci, uci-tinymyo, db5, epn612

struct Options {
  Weights weights = Weights::kDefault;
  Signal signal = Signal::kEcg;
  We2Memory we2_memory{};
  int raw_channels = 0;  // channels the CPU prepares from the signal (0: all input channels)
};

struct LayerCost {
  std::string name;
  std::string kind;            // conv, pool, add, concat, passthrough
  int64_t cycles = 0;          // accelerator clock cycles
  int64_t compute_cycles = 0;  // WE2: the NPU's MACs and output (Vela's "NPU", weights in SRAM)
  int64_t weight_cycles = 0;   // WE2: cycles to stream the encoded weights from their memory
  int64_t weight_bytes = 0;
  double us = 0;
};

struct ComponentCost {
  std::string name;
  std::string unit;  // "CPU", "CNN" or "NPU": whose clock and power the figures use
  int64_t cycles = 0;
  double us = 0;
  double uj = 0;      // average power of `unit`'s chip x us (docs/profile.md); 0 without a figure
  int64_t bytes = 0;  // memory the component touches (weights, input buffer, output)
};

struct Profile {
  Chip chip = Chip::kMax78000;
  double accel_clock_hz = 0, cpu_clock_hz = 0;
  std::string placement;  // where the weights are, in words
  std::vector<LayerCost> layers;
  std::vector<ComponentCost> components;
  int64_t accelerator_cycles = 0;  // comparable to izer's total / Vela's "Total cycles"
  double us = 0, uj = 0;
  int64_t weight_bytes = 0, sram_bytes = 0, flash_bytes = 0;
  std::vector<std::string> verdict;  // the chip's memory rules, one line each
  std::string energy_note;           // the power figure behind uj and its source, or why none
};

// UsageError when the graph's scheme does not suit the chip (POW2 for the MAX78000, TFLITE for
// the WE2) or it breaks one of the chip's rules (the exporters' messages).
Profile profile_graph(const qgraph::Graph& graph, Chip chip, const Options& options);

std::string to_json(const Profile& p);   // the --json document (docs/profile.md)
std::string to_table(const Profile& p);  // the text table of the CLI
std::string to_svg(const Profile& p);    // stacked bars of time and energy per component

}  // namespace physiolite::profile
