#include <gtest/gtest.h>

#include "physiolite/core/error.hpp"
#include "physiolite/io/wfdb.hpp"

namespace physiolite::io {
namespace {

// The header of MIT-BIH record 100 as PhysioNet distributes it (CRLF line endings).
constexpr const char* kHeader100 =
    "100 2 360 650000\r\n"
    "100.dat 212 200 11 1024 995 -22131 0 MLII\r\n"
    "100.dat 212 200 11 1024 1011 20052 0 V5\r\n"
    "# 69 M 1085 1629 x1\r\n"
    "# Aldomet, Inderal\r\n";

TEST(WfdbHeader, ParsesMitBihRecord100) {
  WfdbHeader h = parse_wfdb_header(kHeader100, "100.hea");
  EXPECT_EQ(h.record_name, "100");
  EXPECT_DOUBLE_EQ(h.fs_hz, 360.0);
  EXPECT_EQ(h.num_samples, 650000);
  ASSERT_EQ(h.signals.size(), 2u);
  const auto& s0 = h.signals[0];
  EXPECT_EQ(s0.file_name, "100.dat");
  EXPECT_EQ(s0.format, 212);
  EXPECT_DOUBLE_EQ(s0.adc_gain, 200.0);
  EXPECT_EQ(s0.adc_resolution, 11);
  EXPECT_EQ(s0.adc_zero, 1024);
  EXPECT_EQ(s0.baseline, 1024);  // no (baseline) given: WFDB takes ADC zero
  EXPECT_EQ(s0.initial_value, 995);
  EXPECT_EQ(s0.checksum, -22131);
  EXPECT_EQ(s0.block_size, 0);
  EXPECT_EQ(s0.description, "MLII");
  EXPECT_EQ(s0.units, "mV");
  EXPECT_EQ(h.signals[1].description, "V5");
  ASSERT_EQ(h.comments.size(), 2u);
  EXPECT_EQ(h.comments[0], "69 M 1085 1629 x1");
  EXPECT_EQ(h.comments[1], "Aldomet, Inderal");
}

TEST(WfdbHeader, FullSignalSpecificationAndRecordLineFields) {
  WfdbHeader h = parse_wfdb_header(
      "# leading comment\n"
      "rec 2 500/1000(12) 1000 13:05:00 01/02/2003\n"
      "rec.dat 16x2:3+512 0(-5)/uV 16 7 11 42 0 ECG lead I\n"
      "rec.dat 212 1000.5/mmHg\n",
      "rec.hea");
  EXPECT_DOUBLE_EQ(h.fs_hz, 500.0);
  EXPECT_DOUBLE_EQ(h.counter_freq_hz, 1000.0);
  EXPECT_DOUBLE_EQ(h.base_counter, 12.0);
  EXPECT_EQ(h.base_time, "13:05:00");
  EXPECT_EQ(h.base_date, "01/02/2003");
  const auto& a = h.signals[0];
  EXPECT_EQ(a.format, 16);
  EXPECT_EQ(a.samples_per_frame, 2);
  EXPECT_EQ(a.skew, 3);
  EXPECT_EQ(a.byte_offset, 512);
  EXPECT_DOUBLE_EQ(a.adc_gain, 200.0);  // gain 0 means the default
  EXPECT_FALSE(a.gain_given);
  EXPECT_EQ(a.baseline, -5);
  EXPECT_EQ(a.units, "uV");
  EXPECT_EQ(a.description, "ECG lead I");
  const auto& b = h.signals[1];
  EXPECT_DOUBLE_EQ(b.adc_gain, 1000.5);
  EXPECT_EQ(b.units, "mmHg");
  EXPECT_EQ(b.baseline, 0);
  EXPECT_FALSE(b.checksum.has_value());
  ASSERT_EQ(h.comments.size(), 1u);
}

TEST(WfdbHeader, MultiSegmentLayout) {
  WfdbHeader h = parse_wfdb_header("multi/3 2 250 3000\nseg1 1000\n~ 500\nseg2 1500\n", "m.hea");
  EXPECT_EQ(h.num_segments, 3);
  ASSERT_EQ(h.segments.size(), 3u);
  EXPECT_EQ(h.segments[1].name, "~");
  EXPECT_EQ(h.segments[2].num_samples, 1500);
}

TEST(WfdbHeader, DefaultsWhenOnlyNameAndSignalCount) {
  WfdbHeader h = parse_wfdb_header("x 0\n", "x.hea");
  EXPECT_DOUBLE_EQ(h.fs_hz, 250.0);  // WFDB's documented default
  EXPECT_EQ(h.num_samples, -1);
}

void expect_input_error(const char* text, const char* fragment) {
  try {
    parse_wfdb_header(text, "bad.hea");
    FAIL() << "no error for: " << text;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(e.where().path, "bad.hea");
  }
}

TEST(WfdbHeader, WrongSignalCountNamesTheCounts) {
  expect_input_error("100 3 360 650000\n100.dat 212 200 11 1024 0 0 0 MLII\n",
                     "field 'number of signals': expected 3 signal lines");
}

TEST(WfdbHeader, UnknownFormatCodeNamesLineAndValue) {
  expect_input_error("100 1 360 10\n100.dat 999 200 11 1024 0 0 0 MLII\n",
                     "bad.hea:2: field 'format'");
  expect_input_error("100 1 360 10\n100.dat 999 200\n", "got '999'");
}

TEST(WfdbHeader, GainThatIsNotANumber) {
  expect_input_error("r 1 360 10\nr.dat 16 abc/mV\n", "bad.hea:2: field 'gain'");
}

TEST(WfdbHeader, BadRecordLineFields) {
  expect_input_error("r two 360\n", "field 'number of signals'");
  expect_input_error("r 1 -360\n", "field 'sampling frequency'");
  expect_input_error("r 1 360 lots\n", "field 'number of samples'");
  expect_input_error("# only a comment\n", "field 'record line'");
  expect_input_error("r 1 360 10\nr.dat\n", "field 'format'");
}

}  // namespace
}  // namespace physiolite::io
