// Every read of an outside HDF5 file runs in a child process (core/isolated.hpp): Debian's
// libhdf5 1.10, which we cannot fix, can crash (a 4 GiB memcpy inside its global-heap read of a
// forged variable-length string), spend minutes inside H5Fopen or leak on mutated files. The
// child runs the readers of hdf5_windows.cpp / hdf5_signals.cpp and sends their result back
// through a pipe; a crash, a hang past the deadline or an exhausted memory limit becomes an
// InputError naming the file. Writing (data export) stays in process: it reads nothing outside.
#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <system_error>

#include "hdf5_in_process.hpp"
#include "physiolite/core/isolated.hpp"
#include "physiolite/data/hdf5_signals.hpp"
#include "physiolite/data/hdf5_windows.hpp"

namespace physiolite::data {

namespace {

constexpr const char* kTimeoutVariable = "PHYSIOLITE_HDF5_TIMEOUT";
// The deadline's default: 30 s, plus 1 s per 8 MiB of input (a 1 GiB file gets 2.6 minutes;
// reading one from a cold disk at 100 MB/s takes about 10 s).
constexpr double kBaseSeconds = 30;
constexpr double kBytesPerSecond = 8.0 * 1024 * 1024;
// Address space the reader may add to the caller's: the largest reads the layout allows
// (kMaxHdf5Values values per dataset) fit, a forged size that makes libhdf5 allocate more fails.
constexpr uint64_t kReaderMemoryBytes = uint64_t{8} << 30;
// A reply holds at most every dataset of a windows file at its kMaxHdf5Values cap: data, side
// and teacher_logits as float32, label and begin_sample as int64 (28 bytes per value), plus
// strings.
constexpr uint64_t kMaxReplyBytes = 32 * kMaxHdf5Values;

IsolationOptions isolation(const std::filesystem::path& path,
                           const std::filesystem::path& second = {}) {
  uint64_t bytes = 0;
  for (const auto& p : {path, second}) {
    std::error_code ec;
    if (p.empty()) continue;
    const auto size = std::filesystem::file_size(p, ec);
    if (!ec) bytes += size;
  }
  // The library initialised once here, not again in every child (about 15 ms each): this
  // touches no file.
  H5open();
  IsolationOptions o;
  o.input = path.string();
  o.parser = "libhdf5";
  o.deadline_s = deadline_from_env(kTimeoutVariable,
                                   kBaseSeconds + static_cast<double>(bytes) / kBytesPerSecond);
  o.deadline_knob = kTimeoutVariable;
  o.max_reply_bytes = kMaxReplyBytes;
  o.max_elements = kMaxHdf5Values;
  o.memory_bytes = kReaderMemoryBytes;
  return o;
}

// The arrays are moved into the reply and written from where the reader left them.
void encode(WindowSet w, ReplyWriter& out) {
  out.i64(w.n);
  out.i64(w.c);
  out.i64(w.t);
  out.array(std::move(w.data));
  out.array(std::move(w.labels));
  out.i64(w.num_label_columns);
  out.texts(w.class_names);
  out.array(std::move(w.side));
  out.i64(w.side_dim);
  out.texts(w.side_names);
  out.texts(w.source);
  out.array(std::move(w.begin_sample));
  out.f64(w.fs_hz);
  out.array(std::move(w.teacher_logits));
  out.i64(w.teacher_logits_dim);
}

WindowSet decode_windows(ReplyReader& in) {
  WindowSet w;
  w.n = in.i64();
  w.c = in.i64();
  w.t = in.i64();
  w.data = in.array<float>();
  w.labels = in.array<int64_t>();
  w.num_label_columns = in.i64();
  w.class_names = in.texts();
  w.side = in.array<float>();
  w.side_dim = in.i64();
  w.side_names = in.texts();
  w.source = in.texts();
  w.begin_sample = in.array<int64_t>();
  w.fs_hz = in.f64();
  w.teacher_logits = in.array<float>();
  w.teacher_logits_dim = in.i64();
  in.finish();
  const auto rows = static_cast<uint64_t>(w.n);
  in.check(w.n >= 0 && w.c >= 0 && w.t >= 0 && w.num_label_columns >= 0 && w.side_dim >= 0 &&
               w.teacher_logits_dim >= 0,
           "negative sizes");
  in.check(w.data.size() == rows * static_cast<uint64_t>(w.c * w.t) &&
               w.labels.size() ==
                   rows * static_cast<uint64_t>(std::max<int64_t>(w.num_label_columns, 1)) &&
               w.side.size() == rows * static_cast<uint64_t>(w.side_dim) &&
               w.teacher_logits.size() == rows * static_cast<uint64_t>(w.teacher_logits_dim),
           "array lengths that disagree with the shape");
  return w;
}

void encode(Hdf5Signals s, ReplyWriter& out) {
  out.text(s.dataset);
  out.texts(s.names);
  out.texts(s.units);
  out.f64(s.fs_hz);
  out.u64(s.integer ? 1 : 0);
  out.u64(s.samples.size());
  for (auto& signal : s.samples) out.array(std::move(signal));
}

Hdf5Signals decode_signals(ReplyReader& in) {
  Hdf5Signals s;
  s.dataset = in.text();
  s.names = in.texts();
  s.units = in.texts();
  s.fs_hz = in.f64();
  s.integer = in.u64() != 0;
  s.samples.resize(in.count(sizeof(uint64_t)));
  for (auto& signal : s.samples) signal = in.array<double>();
  in.finish();
  return s;
}

}  // namespace

int64_t count_hdf5_windows(const std::filesystem::path& path) {
  int64_t n = 0;
  run_isolated(
      isolation(path),
      [&](ReplyWriter& out) { out.i64(detail::count_hdf5_windows_in_process(path)); },
      [&](ReplyReader& in) { n = in.i64(); });
  return n;
}

WindowSet read_hdf5_windows(const std::filesystem::path& path, const Hdf5ReadOptions& options) {
  WindowSet w;
  run_isolated(
      isolation(path, options.teacher_logits_file),
      [&](ReplyWriter& out) { encode(detail::read_hdf5_windows_in_process(path, options), out); },
      [&](ReplyReader& in) { w = decode_windows(in); });
  return w;
}

Hdf5Signals read_hdf5_signals(const std::filesystem::path& path) {
  Hdf5Signals s;
  run_isolated(
      isolation(path),
      [&](ReplyWriter& out) { encode(detail::read_hdf5_signals_in_process(path), out); },
      [&](ReplyReader& in) { s = decode_signals(in); });
  return s;
}

}  // namespace physiolite::data
