// Golden values of docs/model.md (positional channels) (measured on [R]'s
// make_1d_sincos_positional_channels).
#include "physiolite/arch/positional.hpp"

#include <gtest/gtest.h>

namespace physiolite::arch {
namespace {

TEST(Positional, GoldenRowsForLength16) {
  const auto pe = positional_channels(16, 8, 1.0);
  ASSERT_EQ(pe.size(), 16u * 16u);
  const float row0[] = {0.0f, 0.40674f, 0.74314f, 0.95106f};
  const float row1[] = {1.0f, 0.91355f, 0.66913f, 0.30902f};
  for (int n = 0; n < 4; ++n) {
    EXPECT_NEAR(pe[n], row0[n], 1e-5) << n;
    EXPECT_NEAR(pe[16 + n], row1[n], 1e-5) << n;
  }
  EXPECT_NEAR(pe[15], 0.0f, 1e-6);  // t = 1 is included: sin(2 pi) = 0
}

TEST(Positional, GoldenRow14ForLength1024) {
  const auto pe = positional_channels(1024, 8, 1.0);
  const float* row14 = pe.data() + 14 * 1024;  // sin, f = 128 cycles per window
  const float expected[] = {0.0f, 0.7076f, 1.0000f, 0.7055f};
  for (int n = 0; n < 4; ++n) EXPECT_NEAR(row14[n], expected[n], 1e-4) << n;
}

TEST(Positional, ScaleMultipliesEveryValue) {
  const auto unit = positional_channels(64, 3, 1.0);
  const auto scaled = positional_channels(64, 3, 0.1);
  ASSERT_EQ(unit.size(), 6u * 64u);
  for (size_t i = 0; i < unit.size(); ++i) EXPECT_NEAR(scaled[i], 0.1f * unit[i], 1e-7);
}

}  // namespace
}  // namespace physiolite::arch
