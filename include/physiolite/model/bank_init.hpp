// Initialisation of the filter bank's branches (docs/model.md (layer table, bank)).
//
// "random" keeps LibTorch's default Conv1d init, kaiming_uniform(a = sqrt 5), which is what [R]
// applies. "wavelet" is our deviation (the paper's "learnable wavelet filter bank"; [R]'s student
// has no wavelet init): output filter o of a branch's first conv is
//   W[o, c, :] = g * a_o[c] * h_{o mod 8}
// with h the branch's prototypes (arch::branch_filter_prototypes: db2/db3/sym4/coif1 low and
// high pass, resampled to the branch's kernel, unit energy), a_o a random unit vector over the
// input channels (seeded by torch's generator: which channel mix sees which filter), and
// g = 1/sqrt(3) so every filter has the energy a default-initialised one has on average
// (fan_in * Var = 1/3): same activation variance on white input, only the shape differs. In the
// receptive-field-7 branch, c2 and c3 start as per-channel [1/4, 1/2, 1/4] smoothers (DC gain 1):
// the branch starts as a rectified k3 wavelet response smoothed to a 7-sample envelope, a coarser
// scale of the same filters. Everything stays a plain trainable weight.
#pragma once

#include <torch/torch.h>

namespace physiolite::model {

void init_wavelet_filters(torch::nn::Conv1d& conv);
void init_smoothing_filters(torch::nn::Conv1d& conv);

}  // namespace physiolite::model
