// Wavelet and random initialisation of the bank branches (bank_init.hpp).
#include "physiolite/model/bank_init.hpp"

#include <gtest/gtest.h>

#include "physiolite/arch/profiles.hpp"
#include "physiolite/arch/wavelet_filters.hpp"
#include "physiolite/model/physiolite_net.hpp"

namespace physiolite::model {
namespace {

torch::Tensor param(PhysioLiteNet& net, const std::string& name) {
  return net->named_parameters()[name].detach();
}

TEST(BankInit, WaveletFiltersAreRankOneMixesOfThePrototypes) {
  at::set_num_threads(2);
  torch::manual_seed(7);
  PhysioLiteNet net(arch::find_profile("uci").config);  // bank_init defaults to "wavelet"
  const torch::Tensor w = param(net, "bank.branches.1.weight").to(torch::kFloat64);  // k = 5
  ASSERT_EQ(w.sizes(), (std::vector<int64_t>{16, 24, 5}));
  const auto prototypes = arch::branch_filter_prototypes(5);
  for (int64_t o = 0; o < 16; ++o) {
    // Every input channel's taps are a multiple of prototype o mod 8 ...
    const auto& h = prototypes[o % 8];
    const torch::Tensor taps = torch::tensor(h, torch::kFloat64);
    const torch::Tensor coef = w[o].matmul(taps);  // [24]: projection onto the unit prototype
    EXPECT_LT((w[o] - torch::outer(coef, taps)).abs().max().item<double>(), 1e-6) << o;
    // ... with the energy of an average default-initialised filter (1/3).
    EXPECT_NEAR(w[o].pow(2).sum().item<double>(), 1.0 / 3.0, 1e-5) << o;
  }
  // RF-7 branch: c2 and c3 start as per-channel smoothers.
  const torch::Tensor c2 = param(net, "bank.branches.2.c2.weight");
  EXPECT_FLOAT_EQ(c2.index({3, 3, 1}).item<float>(), 0.5f);
  EXPECT_FLOAT_EQ(c2.index({3, 3, 0}).item<float>(), 0.25f);
  EXPECT_FLOAT_EQ(c2.index({3, 4, 1}).item<float>(), 0.0f);
}

TEST(BankInit, RandomKeepsTorchDefaultKaimingUniform) {
  at::set_num_threads(2);
  arch::ModelConfig c = arch::find_profile("uci").config;
  c.bank_init = "random";
  PhysioLiteNet net(c);
  const torch::Tensor w = param(net, "bank.branches.1.weight");
  const double bound = 1.0 / std::sqrt(24.0 * 5.0);  // kaiming_uniform(a = sqrt 5)
  EXPECT_LE(w.abs().max().item<double>(), bound);
  EXPECT_GT(w.abs().max().item<double>(), 0.9 * bound);
  EXPECT_NEAR(w.pow(2).mean().item<double>(), bound * bound / 3.0, 0.15 * bound * bound / 3.0);
}

TEST(BankInit, WaveletInitKeepsActivationScaleOfRandomInit) {
  at::set_num_threads(2);
  torch::manual_seed(1);
  arch::ModelConfig c = arch::find_profile("uci").config;
  const torch::Tensor s = torch::randn({4, 24, 256});  // white input to the branches
  auto branch_std = [&](const std::string& init) {
    c.bank_init = init;
    PhysioLiteNet net(c);
    torch::NoGradGuard no_grad;
    auto conv = net->named_modules()["bank.branches.0"]->as<torch::nn::Conv1dImpl>();
    return conv->forward(s).std().item<double>();
  };
  const double wavelet = branch_std("wavelet");
  const double random = branch_std("random");
  EXPECT_NEAR(wavelet / random, 1.0, 0.15);
}

}  // namespace
}  // namespace physiolite::model
