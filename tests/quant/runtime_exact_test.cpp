// Bit-exactness: the C runtime's int8 logits (reference and optimised kernels) equal the
// LibTorch integer graph's on real windows of both benchmarks, both schemes. The networks are
// the shipped configs' architectures with random weights, calibrated on the same windows (the
// integers, not the accuracy, are under test).
#include <gtest/gtest.h>

#include <filesystem>

#include "physiolite/core/data_dir.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "physiolite/qgraph/runtime_model.hpp"
#include "physiolite/quant/graph_builder.hpp"
#include "physiolite/quant/int8_evaluation.hpp"
#include "physiolite/train/training_data.hpp"

namespace physiolite::quant {
namespace {

namespace fs = std::filesystem;

// The first `n` windows spread over the split (every (N/n)-th), to see several records/subjects.
data::WindowSet spread_slice(const data::WindowSet& set, int64_t n) {
  data::WindowSet out = set;
  out.n = std::min(n, set.n);
  out.data.clear();
  out.labels.clear();
  out.side.clear();
  const int64_t step = set.n / out.n;
  for (int64_t i = 0; i < out.n; ++i) {
    const int64_t w = i * step;
    out.data.insert(out.data.end(), set.window(w), set.window(w) + set.c * set.t);
    out.labels.push_back(set.labels[static_cast<size_t>(w)]);
    for (int64_t s = 0; s < set.side_dim; ++s) {
      out.side.push_back(set.side[static_cast<size_t>(w * set.side_dim + s)]);
    }
  }
  out.source.clear();
  out.begin_sample.clear();
  return out;
}

void check_exact(const char* config_name, data::Split split, int64_t windows) {
  const fs::path data_dir = shared_data_dir();
  const fs::path config_file =
      fs::path(PHYSIOLITE_TEST_SOURCE_DIR) / ".." / "configs" / config_name;
  const train::TrainConfig config = train::load_train_config(config_file, {}, data_dir);
  data::WindowSet all;
  try {
    all = train::load_split(config.data, split, data_dir);
  } catch (const std::exception& e) {
    GTEST_SKIP() << "benchmark data not available: " << e.what();
  }
  const data::WindowSet set = spread_slice(all, windows);
  const arch::ModelConfig model_config = train::resolve_model_config(config.model, all);
  torch::manual_seed(5);
  model::PhysioLiteNet net(model_config);
  net->eval();
  const std::vector<Node> plan = plan_network(model_config);
  const ConvWeights weights = conv_weights(net, plan);
  const train::InputAssembler assembler(model_config, set.c, set.side_dim);
  const Calibration cal = calibrate(plan, weights, set, assembler, CalibrationOptions{});
  for (qgraph::Scheme scheme : {qgraph::Scheme::kMax78000, qgraph::Scheme::kTflite}) {
    const qgraph::Graph g =
        build_graph(plan, weights, choose_params(plan, cal, scheme), {.scheme = scheme});
    const qgraph::RuntimeModel runtime(qgraph::serialize_plq(g), "test.plq");
    const torch::Tensor reference = integer_outputs(g, set, assembler, 16);
    // Not a degenerate graph: the logits vary over the windows.
    EXPECT_GT(
        std::get<0>(reference.max(0)).sub(std::get<0>(reference.min(0))).max().item<int64_t>(), 2)
        << config_name << " " << qgraph::to_string(scheme);
    for (plrt_kernels kernels : {PLRT_KERNELS_REFERENCE, PLRT_KERNELS_OPTIMIZED}) {
      const torch::Tensor ours = runtime_outputs(runtime, set, assembler, kernels);
      const torch::Tensor differs = (ours != reference).any(1);
      EXPECT_EQ(differs.sum().item<int64_t>(), 0)
          << config_name << " " << qgraph::to_string(scheme) << " kernels " << kernels
          << ": first differing window "
          << (differs.any().item<bool>() ? differs.nonzero()[0][0].item<int64_t>() : -1);
    }
  }
}

TEST(RuntimeExact, MitBihValidationWindows) {
  check_exact("mitbih_aami.json", data::Split::kValidation, 64);
}

TEST(RuntimeExact, UciTestWindows) { check_exact("uci_emg.json", data::Split::kTest, 32); }

}  // namespace
}  // namespace physiolite::quant
