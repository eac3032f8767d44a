// Post-training quantisation of a small network end to end, both schemes: a valid graph that
// survives the file, whose integer logits track the float ones.
#include <gtest/gtest.h>

#include "common/temp_dir.hpp"
#include "physiolite/arch/layer_table.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "physiolite/quant/graph_builder.hpp"
#include "physiolite/quant/int_executor.hpp"
#include "quant/tiny_model.hpp"

namespace physiolite::quant {
namespace {

using qgraph::Scheme;

struct Fixture {
  model::PhysioLiteNet net = testing::tiny_model();
  std::vector<Node> plan = plan_network(net->options());
  ConvWeights weights = conv_weights(net, plan);
  data::WindowSet set = testing::sine_windows(64, 64, 9);
  train::InputAssembler assembler{net->options(), 1, 0};
  torch::Tensor inputs() const {
    std::vector<int64_t> all(static_cast<size_t>(set.n));
    std::iota(all.begin(), all.end(), 0);
    torch::Tensor x = torch::empty({set.n, assembler.channels(), assembler.length()});
    assembler.assemble(set, all, x.data_ptr<float>());
    return x;
  }
};

TEST(Ptq, BothSchemesGiveValidGraphsThatTrackTheFloatModel) {
  Fixture f;
  const Calibration cal = calibrate(f.plan, f.weights, f.set, f.assembler, CalibrationOptions{});
  torch::NoGradGuard no_grad;
  const torch::Tensor x = f.inputs();
  const torch::Tensor reference = f.net->forward(x);
  for (Scheme scheme : {Scheme::kMax78000, Scheme::kTflite}) {
    const qgraph::Graph g =
        build_graph(f.plan, f.weights, choose_params(f.plan, cal, scheme), {.scheme = scheme});
    EXPECT_FALSE(qgraph::find_problem(g));
    EXPECT_FALSE(qgraph::find_arena_problem(g));
    EXPECT_EQ(g.ops.size(), f.plan.size());
    EXPECT_EQ(g.weight_bytes(), arch::count_parameters(arch::describe_layers(f.net->options())));
    const torch::Tensor logits = dequantize_output(g, run_integer(g, quantize_input(g, x)));
    const double spread = (reference - reference.mean()).abs().mean().item<double>();
    const double error = (logits - reference).abs().mean().item<double>();
    EXPECT_LT(error, 0.25 * spread)
        << qgraph::to_string(scheme) << ": error " << error << ", spread " << spread;
  }
}

TEST(Ptq, TfliteAddsFollowTfliteRescaling) {
  Fixture f;
  const Calibration cal = calibrate(f.plan, f.weights, f.set, f.assembler, CalibrationOptions{});
  const qgraph::Graph g = build_graph(
      f.plan, f.weights, choose_params(f.plan, cal, Scheme::kTflite), {.scheme = Scheme::kTflite});
  int adds = 0;
  for (const qgraph::Op& op : g.ops) {
    if (op.type != qgraph::OpType::kAdd) continue;
    ++adds;
    const double sa = g.tensors[static_cast<size_t>(op.inputs[0])].scale;
    const double sb = g.tensors[static_cast<size_t>(op.inputs[1])].scale;
    const double sy = g.tensors[static_cast<size_t>(op.output)].scale;
    const double twice = 2 * std::max(sa, sb);
    auto real = [&](int i) { return op.multiplier[i] * std::ldexp(1.0, op.shift[i] - 31); };
    EXPECT_EQ(op.left_shift, 20);
    EXPECT_NEAR(real(0) / (sa / twice), 1.0, 1e-9);
    EXPECT_NEAR(real(1) / (sb / twice), 1.0, 1e-9);
    EXPECT_NEAR(real(2) / (twice / (std::ldexp(1.0, 20) * sy)), 1.0, 1e-9);
  }
  EXPECT_EQ(adds, 2);
}

TEST(Ptq, GraphSurvivesTheFile) {
  Fixture f;
  const Calibration cal = calibrate(f.plan, f.weights, f.set, f.assembler, CalibrationOptions{});
  for (Scheme scheme : {Scheme::kMax78000, Scheme::kTflite}) {
    const qgraph::Graph g =
        build_graph(f.plan, f.weights, choose_params(f.plan, cal, scheme),
                    {.scheme = scheme, .pool_round_half_up = scheme == Scheme::kMax78000});
    testing::TempDir dir;
    qgraph::write_plq(g, dir / "m.plq");
    const qgraph::Graph back = qgraph::read_plq(dir / "m.plq");
    torch::NoGradGuard no_grad;
    const torch::Tensor q = quantize_input(g, f.inputs());
    EXPECT_TRUE(torch::equal(run_integer(back, q), run_integer(g, q)));
  }
}

}  // namespace
}  // namespace physiolite::quant
