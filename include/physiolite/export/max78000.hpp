// The MAX78000 export: a POW2 (`--scheme max78000`) int8 graph as the two files Analog Devices'
// network synthesizer (ai8x-synthesis, "izer") reads — the quantised ai8x checkpoint
// `NAME-q.pth.tar` and the network description `NAME.yaml` — and the check that runs izer on
// them and compares its bit-accurate simulation of the accelerator with our runtime.
// docs/export_max78000.md explains the mapping; torch-free (the checkpoint is written by Debian's
// python3-torch through scripts/max78000_checkpoint.py).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/qgraph/graph.hpp"

namespace physiolite::exporter {

// One hardware layer of the accelerator, as izer's YAML and checkpoint describe it.
struct Max78000Layer {
  enum class Kind { kConv1d, kPassthrough, kAdd };
  Kind kind = Kind::kConv1d;
  std::string name;   // checkpoint key prefix and YAML `name`
  int graph_op = -1;  // the graph op this layer computes (passthrough: the ADD it feeds)
  int in_channels = 0, out_channels = 0;
  int in_length = 0, out_length = 0;  // before the fused pool / after the conv
  int kernel = 1, pad = 0;
  int pool = 1, pool_stride = 1;  // fused average pool (1 = none)
  bool relu = false;
  int output_shift = 0;  // ai8x's output_shift: the output is multiplied by 2^output_shift
  uint64_t processors = 0, output_processors = 0;
  uint32_t in_offset = 0, out_offset = 0;
  int write_gap = 0;
  std::vector<int> in_sequences;  // izer layer indices (-1: the network input); empty: previous
  bool wide_output = false;       // `output_width: 32`: the raw 32-bit accumulator
  std::vector<int8_t> weights;    // [out][in][kernel], ai8x (PyTorch) order
  std::vector<int8_t> bias;       // int8 codes (stored x 2^(weight_bits - 1)), empty: none
};

struct Max78000Plan {
  std::string arch;
  int input_channels = 0, input_length = 0;
  std::vector<Max78000Layer> layers;
  int64_t weight_bytes() const;
};

// The graph as izer layers: every average pool fused into the conv that reads it, the
// concatenation as adjacent processors at one offset, each ADD as a passthrough copy of the skip
// operand interleaved (`write_gap: 1`) with the conv operand and an `op: add` layer, the last
// conv with the 32-bit wide output. UsageError for a TFLITE graph (naming the scheme) and for a
// graph that breaks a MAX78000 rule (naming the op and the rule). `arch` must be an identifier.
Max78000Plan plan_max78000(const qgraph::Graph& graph, const std::string& arch);

// A file stem as izer's arch (a Python identifier): every character other than a letter, a digit
// or '_' becomes '_' (max78000-qat -> max78000_qat), the rule plan_max78000 checks.
std::string max78000_arch_name(std::string stem);

// izer's network description (YAML text).
std::string max78000_yaml(const Max78000Plan& plan);

// The last conv's 32-bit accumulators (izer's `output_width: 32` output: Q7 x Q7 products summed
// with the bias, before any shift or clamp) for one window of int8 input codes, channel-last
// [L][C] as the runtime holds them; computed by the C runtime (plrt_output_accumulators).
std::vector<int32_t> max78000_wide_output(const qgraph::Graph& graph,
                                          const std::vector<int8_t>& input_codes);

struct Max78000Export {
  std::vector<std::filesystem::path> files;  // what was written into the directory
  std::vector<int32_t> expected;             // NAME.expected.npy: the wide logits
  Max78000Plan plan;
};

// Writes DIR/NAME-q.pth.tar, NAME.yaml, NAME.input.npy (int64 [C][L], izer's --sample-input) and
// NAME.expected.npy (int64 [K], the wide logits) — each to a temporary name, renamed only once all
// were written. `python` runs scripts/max78000_checkpoint.py (Debian's /usr/bin/python3 with
// python3-torch). Rules are checked before anything is written.
Max78000Export export_max78000(const qgraph::Graph& graph, const std::filesystem::path& dir,
                               const std::string& name, const std::vector<int8_t>& input_codes,
                               const std::string& python = "/usr/bin/python3");

// What izer said about the exported network.
struct Max78000Check {
  bool passed = false;
  std::vector<std::string> problems;  // errors, layout warnings, output mismatches
  std::vector<int64_t> izer_output;   // the last layer's full-resolution output
  int64_t latency_cycles = -1;        // ESTIMATED LATENCY (CNN clock cycles)
  int64_t macs = -1;                  // total multiply-accumulates
  int64_t weight_bytes = -1;          // weight memory used
  int64_t weight_capacity = -1;       // of izer's weight memory, bytes
  int hardware_layers = -1;
  std::string log;  // izer's console output
};

// Runs `izer --device MAX78000 --prefix NAME --checkpoint-file … --config-file … --test-dir OUT
// --sample-input … --verbose --no-progress` on an export in DIR (izer's files go to DIR/izer) and
// compares its simulated output with NAME.expected.npy bit for bit. Every izer error, and every
// WARNING except a short list of layout-neutral ones, is a problem.
Max78000Check check_max78000(const std::filesystem::path& dir, const std::string& name,
                             const std::filesystem::path& izer,
                             const std::vector<int32_t>& expected);

// The izer to use: `explicit_path` if not empty, else $PHYSIOLITE_IZER, else empty.
std::filesystem::path find_izer(const std::filesystem::path& explicit_path);

// A markdown section: the verdict, latency in cycles and ms at 50 MHz, weights of 432 KiB, MACs.
std::string max78000_report(const Max78000Plan& plan, const Max78000Check* check);

}  // namespace physiolite::exporter
