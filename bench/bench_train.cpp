// Training throughput of PhysioLiteNet in LibTorch: windows per second of full training steps
// (positional channels, forward, cross-entropy, backward, AdamW) on random data.
// The peer is bench/peers/train_torch.py (the same model in Python PyTorch 1.13); run both
// with bench/run_train.sh, which sets the same allocator and thread environment for each.
//
//   bench_train <case: uci|mitbih> [batch 64] [threads 2] [warm-up steps 3] [steps per repeat 4]
//               [repeats 5]
// prints "<case> <MACs per window> <windows/s of repeat 1> <windows/s of repeat 2> ...".
// Speed depends on the environment as much as on the code (TOOLCHAIN.md): glibc malloc must keep
// large blocks (GLIBC_TUNABLES or mallopt), and OpenBLAS needs OPENBLAS_NUM_THREADS besides
// torch::set_num_threads. run_train.sh sets both for both sides; a trainer must do the same.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <torch/torch.h>

#include "physiolite/arch/layer_table.hpp"
#include "physiolite/arch/profiles.hpp"
#include "physiolite/model/physiolite_net.hpp"

namespace {

using physiolite::arch::ModelConfig;

// "uci": the uci profile (8 EMG channels, T 1024, fp/pt/pp 4/4/4, 6 classes).
// "mitbih": configs/mitbih_aami.json's network: two ECG leads and their differences from the
// record's median beat + 6 RR side channels, T 128, fp/pt/pp 4/4/2, the 4 scored AAMI classes
// N, S, V, F.
ModelConfig bench_config(const std::string& name) {
  if (name == "mitbih") {
    return ModelConfig{.raw_channels = 10,
                       .input_length = 128,
                       .num_classes = 4,
                       .front_pool = 4,
                       .patch_pool = 4,
                       .post_pool = 2};
  }
  return physiolite::arch::find_profile(name).config;
}

int arg(int argc, char** argv, int index, int fallback) {
  return argc > index ? std::atoi(argv[index]) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: bench_train <uci|mitbih> [batch] [threads] [warm-up] [steps] "
                 "[repeats]\n");
    return 2;
  }
  const std::string name = argv[1];
  const int batch = arg(argc, argv, 2, 64);
  const int threads = arg(argc, argv, 3, 2);
  const int warmup = arg(argc, argv, 4, 3);
  const int steps = arg(argc, argv, 5, 4);
  const int repeats = arg(argc, argv, 6, 5);

  torch::set_num_threads(threads);
  torch::manual_seed(0);
  const ModelConfig config = bench_config(name);
  const int64_t macs = physiolite::arch::count_macs(physiolite::arch::describe_layers(config));
  physiolite::model::PhysioLiteNet model(config);
  model->train();
  torch::optim::AdamW optimizer(model->parameters(),
                                torch::optim::AdamWOptions(1e-3).weight_decay(1e-3));
  const torch::Tensor x = torch::randn({batch, config.raw_channels, config.input_length});
  const torch::Tensor y = torch::randint(config.num_classes, {batch}, torch::kLong);

  auto step = [&] {
    optimizer.zero_grad();
    const torch::Tensor loss =
        torch::nn::functional::cross_entropy(model->forward(model->prepare_input(x)), y);
    loss.backward();
    optimizer.step();
  };
  for (int i = 0; i < warmup; ++i) step();
  std::printf("%s %lld", name.c_str(), static_cast<long long>(macs));
  for (int r = 0; r < repeats; ++r) {
    const auto begin = std::chrono::steady_clock::now();
    for (int i = 0; i < steps; ++i) step();
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - begin;
    std::printf(" %.2f", steps * batch / seconds.count());
  }
  std::printf("\n");
  return 0;
}
