// The MAX78000 CNN accelerator's per-layer latency, in CNN clock cycles, as izer estimates it
// ("ESTIMATED LATENCY"). The accelerator streams a 1-D layer sample by sample: for each input
// sample every pass of up to 64 input channels (m = ceil(C_in / 64) passes) reads the pool's p
// samples and writes one value into the processors' TRAM (p + 1 cycles), and each output sample
// writes its C_out values once per pass; padding and the first k - 1 rows before the kernel is full
// cost extra read cycles. A passthrough or element-wise layer (n operands) reads n pooled values
// and writes up to 4 output time slots per processor group per pass. The cost is linear in:
//   conv:  (L_out - pad) * m * (p + 1),  L_out * m * C_out,  (k - 1 - pad) * (m * (p + 1) + 1),
//          pad * (4m + 1),  1
//   passthrough / add:  L_pooled * m * n * (p + 1),  L_pooled * m * min(ceil(min(C, 64) / 4), 4), 1
// The coefficients come from least squares on izer's per-layer figures for 14 generated networks
// (`scripts/profile_fit.py fit runs/profile/fit/net*`; docs/profile.md): 65 conv layers and 14
// passthrough/add layers, every one reproduced exactly (the fit's largest relative residual is 0),
// so the coefficients are the integers below.
//
// C_out is the number of channels the layer's output processors write: izer programs a kernel for
// every output processor in each of the ceil(C_out / P) output passes (P = the processors of the
// layer's output map), so a C_out that does not fill the last pass counts as if it did. Every
// generated network had C_out <= 64 or a multiple of 64 (our exporter spreads more than 64
// channels over all 64 processors), where the two agree; ADI's KWS20 v3 (100 channels written by
// 52 processors, i.e. 104) showed the difference (docs/profile.md, "Against measured hardware").
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include "rules.hpp"

namespace physiolite::profile {

namespace {

// Fitted on 14 generated networks (seeds 1-14 of bench_profile_netgen), izer ab4f4c0.
constexpr std::array<double, 5> kConv = {1.0, 1.0, 1.0, 1.0, 0.0};
constexpr std::array<double, 3> kEltwise = {1.0, 1.0, 0.0};
// Of 64 processors per pass, in groups of 4 channels, at most 4 time slots per group.
int64_t slots(int channels) { return std::min<int64_t>((std::min(channels, 64) + 3) / 4, 4); }

int64_t passes(int channels) { return (channels + 63) / 64; }

int64_t written_channels(const exporter::Max78000Layer& l) {
  const int64_t p = std::popcount(l.output_processors);
  if (p == 0) return l.out_channels;
  return p * ((l.out_channels + p - 1) / p);
}

}  // namespace

int64_t max78000_layer_cycles(const exporter::Max78000Layer& l) {
  const double m = static_cast<double>(passes(l.in_channels));
  const double p = l.pool;
  if (l.kind == exporter::Max78000Layer::Kind::kConv1d) {
    const double rows = l.out_length;
    const std::array<double, 5> x = {
        (rows - l.pad) * m * (p + 1), rows * m * static_cast<double>(written_channels(l)),
        (l.kernel - 1 - l.pad) * (m * (p + 1) + 1), l.pad * (4 * m + 1), 1.0};
    double c = 0;
    for (size_t i = 0; i < x.size(); ++i) c += kConv[i] * x[i];
    return std::llround(c);
  }
  const double n = l.kind == exporter::Max78000Layer::Kind::kAdd ? 2.0 : 1.0;
  const double samples = (l.in_length - l.pool) / l.pool_stride + 1;
  const std::array<double, 3> x = {samples * m * n * (p + 1),
                                   samples * m * static_cast<double>(slots(l.out_channels)), 1.0};
  double c = 0;
  for (size_t i = 0; i < x.size(); ++i) c += kEltwise[i] * x[i];
  return std::llround(c);
}

}  // namespace physiolite::profile
