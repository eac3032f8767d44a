// `record write`'s work: read a signal file, check every option and value, encode, write
// atomically.
#include "physiolite/data/record_writer.hpp"

#include <fmt/format.h>

#include <cmath>

#include "physiolite/core/error.hpp"
#include "physiolite/data/hdf5_signals.hpp"
#include "physiolite/io/annotation.hpp"
#include "physiolite/io/csv_table.hpp"
#include "physiolite/io/wfdb_signal.hpp"
#include "physiolite/io/wfdb_writer.hpp"

namespace physiolite::data {

namespace {

// Signals from the input file: CSV, or HDF5 (.h5/.hdf5) in read_hdf5_signals' layout.
struct SignalInput {
  std::vector<std::string> names, units;  // units empty: not given by the file
  std::vector<std::vector<double>> columns;
  double fs_hz = 0;  // 0: not given by the file
  bool hdf5 = false;
};

SignalInput read_signal_input(const std::filesystem::path& path) {
  if (!is_hdf5_path(path)) {
    io::SignalTable table = io::read_signal_csv(path);
    return {std::move(table.names), {}, std::move(table.columns), 0, false};
  }
  Hdf5Signals h5 = read_hdf5_signals(path);
  return {std::move(h5.names), std::move(h5.units), std::move(h5.samples), h5.fs_hz, true};
}

// One value for every signal, or one per signal; `fallback` for each when none is given.
template <typename T>
std::vector<T> per_signal(const std::string& flag, const std::vector<T>& given, size_t n,
                          const T& fallback) {
  if (given.empty()) return std::vector<T>(n, fallback);
  if (given.size() == 1) return std::vector<T>(n, given[0]);
  if (given.size() != n) {
    throw UsageError(
        fmt::format("{}: give one value or {} (one per signal), not {}", flag, n, given.size()));
  }
  return given;
}

std::vector<int32_t> exact_digital(const std::vector<double>& values,
                                   const io::WfdbSignalSpec& spec, const std::string& source) {
  std::vector<int32_t> out(values.size());
  const int32_t lo = io::wfdb_min_value(spec.format), hi = io::wfdb_max_value(spec.format);
  for (size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (std::isnan(v)) {
      out[i] = io::wfdb_invalid_sample(spec.format);
    } else if (v != std::floor(v) || v < lo || v > hi) {
      throw InputError(InputLocation::file(source),
                       fmt::format("signal '{}' sample {}", spec.description, i),
                       fmt::format("an integer from {} to {} (format {})", lo, hi, spec.format),
                       fmt::format("{}", v));
    } else {
      out[i] = static_cast<int32_t>(v);
    }
  }
  return out;
}

}  // namespace

EncodedRecord encode_record(const RecordWriteOptions& options) {
  if (!io::is_writable_wfdb_format(options.format)) {
    throw UsageError(
        fmt::format("--format {}: the writer writes format 16 or 212", options.format));
  }
  const std::string source = options.input.string();
  const SignalInput table = read_signal_input(options.input);
  const double fs_hz = options.fs_hz != 0 ? options.fs_hz : table.fs_hz;
  if (!(fs_hz > 0) || !std::isfinite(fs_hz)) {
    throw UsageError(options.fs_hz != 0 || !table.hdf5
                         ? "--fs: give the sampling frequency in Hz (> 0)"
                         : fmt::format("--fs: {} has no fs_hz attribute; give the sampling "
                                       "frequency in Hz",
                                       source));
  }
  const size_t n = table.names.size();
  const auto gains = per_signal<double>("--gain", options.gains, n, 200.0);
  const auto baselines = per_signal<double>("--baseline", options.baselines, n, 0.0);
  const auto units = options.units.empty() && !table.units.empty()
                         ? table.units
                         : per_signal<std::string>("--units", options.units, n, "mV");

  EncodedRecord out;
  out.header.fs_hz = fs_hz;
  for (size_t s = 0; s < n; ++s) {
    if (!(gains[s] > 0) || !std::isfinite(gains[s])) {
      throw UsageError(fmt::format("--gain: {} is not a positive number", gains[s]));
    }
    // Checked before the conversion: a double outside int's range would be undefined there.
    if (!(baselines[s] == std::floor(baselines[s])) || baselines[s] < io::kMinWfdbBaseline ||
        baselines[s] > io::kMaxWfdbBaseline) {
      throw UsageError(fmt::format("--baseline: {} is not an integer from {} to {}", baselines[s],
                                   io::kMinWfdbBaseline, io::kMaxWfdbBaseline));
    }
    io::WfdbSignalSpec spec;
    spec.format = options.format;
    spec.adc_gain = gains[s];
    spec.gain_given = true;
    spec.baseline = static_cast<int>(baselines[s]);
    spec.adc_zero = 0;
    spec.units = units[s];
    spec.description = table.names[s];
    out.digital.push_back(options.digital
                              ? exact_digital(table.columns[s], spec, source)
                              : io::physical_to_digital(table.columns[s], spec, source));
    out.header.signals.push_back(std::move(spec));
  }
  return out;
}

void write_record_from_signals(const std::filesystem::path& record,
                               const RecordWriteOptions& options) {
  EncodedRecord encoded = encode_record(options);
  // Annotations are read and encoded before the first byte is written, too.
  std::vector<io::Annotation> annotations;
  if (!options.annotations.empty()) {
    annotations = io::read_annotation_csv(options.annotations);
    (void)io::encode_annotations(annotations);
  }
  io::write_wfdb_record(record, std::move(encoded.header), encoded.digital,
                        options.annotations.empty() ? "" : options.annotator, annotations);
}

}  // namespace physiolite::data
