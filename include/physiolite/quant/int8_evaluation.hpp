// Scoring an int8 graph on a split, like train::evaluate_windows scores the float model: the
// output codes (from the LibTorch integer graph or the C runtime) dequantised to logits, then
// softmax, the classification report and the scored macro-F1.
#pragma once

#include <torch/torch.h>

#include <string>

#include "physiolite/qgraph/graph.hpp"
#include "physiolite/qgraph/runtime_model.hpp"
#include "physiolite/train/evaluation.hpp"

namespace physiolite::quant {

// UsageError naming `what` when the graph's input is not the model's [C, T] or its classes differ.
void check_graph_fits(const qgraph::Graph& graph, const arch::ModelConfig& config,
                      const std::string& what);

// Output codes [N, K] int64 of the LibTorch integer graph over every window of `set`, in order.
torch::Tensor integer_outputs(const qgraph::Graph& graph, const data::WindowSet& set,
                              const train::InputAssembler& assembler, int64_t batch_size);

// The same through the C runtime with `kernels`.
torch::Tensor runtime_outputs(const qgraph::RuntimeModel& runtime, const data::WindowSet& set,
                              const train::InputAssembler& assembler, plrt_kernels kernels);

// The graph's output codes through the C runtime's optimised kernels, on every core: what
// `quantize` and QAT score with. Equal to integer_outputs on every window (the runtime is
// bit-exact, tests/quant/runtime_exact_test.cpp) and tens of times faster — the LibTorch graph
// computes TFLite's requantisation in int64 tensor ops and its convolutions in float64.
torch::Tensor graph_outputs(const qgraph::Graph& graph, const data::WindowSet& set,
                            const train::InputAssembler& assembler);

// Output codes [N, K] dequantised to logits, then softmax (sigmoid for multi-label); the hard
// loss against `labels` when they are given.
train::Predictions predictions_from_codes(const qgraph::Graph& graph,
                                          const train::TrainedModel& model,
                                          const torch::Tensor& codes,
                                          const std::vector<int64_t>& labels);

// `windows` classified by the int8 model in the C runtime (optimised kernels): what `physiolite
// predict --int8` writes. UsageError naming `origin` when the graph or the windows do not fit
// the model's input layout.
train::Predictions predict_int8(const qgraph::RuntimeModel& runtime, const qgraph::Graph& graph,
                                const train::TrainedModel& model, const data::WindowSet& windows,
                                const std::string& origin);

// `codes` [N, K] of `windows`, scored with the model's classes and scored-class rule.
train::SplitEvaluation evaluate_codes(const qgraph::Graph& graph, const train::TrainedModel& model,
                                      data::WindowSet windows, const std::string& split,
                                      const torch::Tensor& codes);

}  // namespace physiolite::quant
