// Training throughput of the Transformer teacher (model.type transformer) in LibTorch: windows
// per second of full training steps (forward, cross-entropy, backward, AdamW) on random data.
// The peer is bench/peers/teacher_torch.py (the same network in Python PyTorch 1.13, the module
// of tests/golden/gen_teacher.py); run both with bench/run_teacher.sh, which sets the same
// allocator and thread environment for each.
//
//   bench_teacher <case: mitbih|uci_tinymyo> [batch 64] [threads 1] [warm-up steps 3]
//                 [steps per repeat 4] [repeats 5]
// prints "<case> <MACs per window> <windows/s of repeat 1> <windows/s of repeat 2> ...".
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "physiolite/arch/teacher_table.hpp"
#include "physiolite/model/transformer_net.hpp"

namespace {

using physiolite::arch::ModelConfig;

// The networks of configs/mitbih_teacher.json (10 raw channels: two leads, their differences
// from the record's median beat, 6 RR side channels; T 128, patches of 16, D 256, 8 heads, depth
// 4, dropout 0.3) and configs/uci_tinymyo_teacher.json (8 EMG channels, T 1000, patches of 50,
// D 192, 6 heads, depth 5, dropout 0.3).
ModelConfig bench_config(const std::string& name) {
  ModelConfig c{.raw_channels = 10, .input_length = 128, .num_classes = 4};
  c.patch_size = 16;
  c.embed_dim = 256;
  c.heads = 8;
  c.depth = 4;
  c.dropout = 0.3;
  if (name == "uci_tinymyo") {
    c = ModelConfig{.raw_channels = 8, .input_length = 1000, .num_classes = 6};
    c.patch_size = 50;
    c.embed_dim = 192;
    c.heads = 6;
    c.depth = 5;
    c.dropout = 0.3;
  }
  c.type = "transformer";
  c.mlp_ratio = 4;
  return c;
}

int arg(int argc, char** argv, int index, int fallback) {
  return argc > index ? std::atoi(argv[index]) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: bench_teacher <mitbih|uci_tinymyo> [batch] [threads] [warm-up] [steps] "
                 "[repeats]\n");
    return 2;
  }
  const std::string name = argv[1];
  const int batch = arg(argc, argv, 2, 64);
  const int threads = arg(argc, argv, 3, 1);
  const int warmup = arg(argc, argv, 4, 3);
  const int steps = arg(argc, argv, 5, 4);
  const int repeats = arg(argc, argv, 6, 5);

  torch::set_num_threads(threads);
  torch::manual_seed(0);
  const ModelConfig config = bench_config(name);
  physiolite::model::TransformerNet model(config);
  model->train();
  torch::optim::AdamW optimizer(model->parameters(),
                                torch::optim::AdamWOptions(5e-4).weight_decay(0.05));
  const torch::Tensor x = torch::randn({batch, config.channels(), config.input_length});
  const torch::Tensor y = torch::randint(config.num_classes, {batch}, torch::kLong);

  auto step = [&] {
    optimizer.zero_grad();
    const torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x), y);
    loss.backward();
    optimizer.step();
  };
  for (int i = 0; i < warmup; ++i) step();
  std::printf("%s %lld", name.c_str(),
              static_cast<long long>(
                  physiolite::arch::count_macs(physiolite::arch::describe_teacher(config))));
  for (int r = 0; r < repeats; ++r) {
    const auto begin = std::chrono::steady_clock::now();
    for (int i = 0; i < steps; ++i) step();
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - begin;
    std::printf(" %.2f", steps * batch / seconds.count());
  }
  std::printf("\n");
  return 0;
}
