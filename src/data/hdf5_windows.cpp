#include "physiolite/data/hdf5_windows.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "hdf5_in_process.hpp"
#include "hdf5_util.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"

namespace physiolite::data {

namespace {

using detail::dims_text;
using detail::Handle;
using detail::hdf5_error_text;
using detail::read_string_values;
using detail::silence_hdf5_errors;
using detail::type_class_name;

// One dataset opened for reading, with its type and shape, and the file's name for messages.
struct Dataset {
  std::string path;
  std::string name;
  Handle id;
  Handle type;
  H5T_class_t type_class = H5T_NO_CLASS;
  std::vector<hsize_t> dims;

  [[noreturn]] void fail(const std::string& expected, const std::string& found) const {
    throw InputError(InputLocation::file(path), name, expected, found);
  }

  void expect_rank(int rank, const std::string& expected) const {
    if (static_cast<int>(dims.size()) != rank) fail(expected, dims_text(dims));
  }

  // Values in `rows` rows; a shape whose size overflows or passes kMaxHdf5Values (a forged
  // header can declare any shape) is refused before anything is allocated.
  size_t values_in_rows(hsize_t rows) const {
    size_t total = rows;
    for (size_t k = 1; k < dims.size(); ++k) {
      if (__builtin_mul_overflow(total, dims[k], &total)) {
        fail("a shape whose size fits in memory", dims_text(dims));
      }
    }
    if (total > kMaxHdf5Values) {
      fail(fmt::format("at most {} values per read (read fewer rows at a time)", kMaxHdf5Values),
           fmt::format("{} values in {} rows of shape {}", total, rows, dims_text(dims)));
    }
    return total;
  }

  // Reads rows [begin, begin + count) (whole trailing dimensions) into `out`, converting to
  // `mem_type`. A hyperslab on dimension 0 keeps reads of a slice proportional to the slice.
  void read_rows(hid_t mem_type, hsize_t begin, hsize_t count, void* out) const {
    std::vector<hsize_t> start(dims.size(), 0), extent = dims;
    start[0] = begin;
    extent[0] = count;
    Handle file_space(H5Dget_space(id.get()), H5Sclose);
    Handle mem_space(H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr),
                     H5Sclose);
    if (!file_space.valid() || !mem_space.valid() ||
        H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(),
                            nullptr) < 0 ||
        H5Dread(id.get(), mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, out) < 0) {
      fail("a readable dataset", "HDF5 read error: " + hdf5_error_text());
    }
  }
};

class Reader {
 public:
  explicit Reader(std::filesystem::path path) : path_(std::move(path)) {
    silence_hdf5_errors();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path_, ec)) {
      fail_file("an existing HDF5 file",
                std::filesystem::exists(path_, ec) ? "not a regular file" : "no such file");
    }
    if (H5Fis_hdf5(path_.c_str()) <= 0) {
      hdf5_error_text();
      fail_file("an HDF5 file", "no HDF5 signature (not an HDF5 file)");
    }
    file_ = Handle(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file_.valid()) fail_file("a readable HDF5 file", hdf5_error_text());
  }

  const std::string& name() const { return name_; }
  hid_t file() const { return file_.get(); }

  [[noreturn]] void fail_file(const std::string& expected, const std::string& found) const {
    throw InputError(InputLocation::file(name_), "file", expected, found);
  }

  bool has(const char* name) const { return H5Lexists(file_.get(), name, H5P_DEFAULT) > 0; }

  Dataset open(const char* name) const {
    Dataset d;
    d.path = name_;
    d.name = name;
    if (!has(name)) d.fail("a dataset named '" + d.name + "'", "no such dataset");
    d.id = Handle(H5Dopen2(file_.get(), name, H5P_DEFAULT), H5Dclose);
    if (!d.id.valid())
      d.fail("a dataset", "an object HDF5 cannot open as one: " + hdf5_error_text());
    d.type = Handle(H5Dget_type(d.id.get()), H5Tclose);
    d.type_class = H5Tget_class(d.type.get());
    Handle space(H5Dget_space(d.id.get()), H5Sclose);
    int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0) d.fail("a simple dataspace", "an unreadable dataspace");
    d.dims.resize(static_cast<size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), d.dims.data(), nullptr);
    return d;
  }

  std::optional<Dataset> open_optional(const char* name) const {
    if (!has(name)) return std::nullopt;
    return open(name);
  }

  // String values of the attribute `attr` on `object` (a dataset, or the file for root).
  // `field` names it in messages ("class_names", "side.names").
  std::vector<std::string> read_string_attribute(hid_t object, const char* attr,
                                                 const std::string& field) const {
    Handle a(H5Aopen(object, attr, H5P_DEFAULT), H5Aclose);
    if (!a.valid()) fail_field(field, "a readable attribute", hdf5_error_text());
    Handle type(H5Aget_type(a.get()), H5Tclose);
    Handle space(H5Aget_space(a.get()), H5Sclose);
    auto count = static_cast<size_t>(H5Sget_simple_extent_npoints(space.get()));
    return read_string_values(
        type.get(), count, space.get(),
        [&](hid_t mem_type, void* buffer) { return H5Aread(a.get(), mem_type, buffer); },
        [&](const std::string& expected) {
          fail_field(field, expected, type_class_name(H5Tget_class(type.get())));
        });
  }

  [[noreturn]] void fail_field(const std::string& field, const std::string& expected,
                               const std::string& found) const {
    throw InputError(InputLocation::file(name_), field, expected, found);
  }

 private:
  std::filesystem::path path_;
  std::string name_ = path_.string();
  Handle file_;
};

// Where flat index `i` of an (rows, a, b) block sits, for messages: "window 3, channel 1, sample
// 7".
std::string position_text(int64_t first_row, size_t i, int64_t a, int64_t b, const char* a_name,
                          const char* b_name) {
  int64_t index = static_cast<int64_t>(i);
  int64_t row = first_row + index / (a * b);
  if (b_name == nullptr) return fmt::format("window {}, {} {}", row, a_name, index % a);
  return fmt::format("window {}, {} {}, {} {}", row, a_name, (index / b) % a, b_name, index % b);
}

std::string value_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  return fmt::format("{}", v);
}

// Reads a float dataset of shape (N, a[, b]) as float32 and checks every value is finite.
std::vector<float> read_finite_floats(const Dataset& d, hsize_t begin, hsize_t count,
                                      const char* a_name, const char* b_name) {
  if (d.type_class != H5T_FLOAT) {
    d.fail("float32 or float64 values", type_class_name(d.type_class));
  }
  int64_t a = static_cast<int64_t>(d.dims[1]);
  int64_t b = d.dims.size() > 2 ? static_cast<int64_t>(d.dims[2]) : 1;
  std::vector<float> values(d.values_in_rows(count));
  if (!values.empty()) d.read_rows(H5T_NATIVE_FLOAT, begin, count, values.data());
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      d.fail("finite values (no NaN or Inf)",
             fmt::format("{} at {}", value_text(values[i]),
                         position_text(static_cast<int64_t>(begin), i, a, b, a_name, b_name)));
    }
  }
  return values;
}

// Labels as int64: integers and booleans as they are, floats only when whole (single-label) or
// 0/1 (multi-hot), so 0.5 or NaN is never silently truncated.
std::vector<int64_t> read_labels(const Dataset& d, hsize_t begin, hsize_t count, int64_t columns) {
  const bool multi = columns > 0;
  const bool boolean = d.type_class == H5T_ENUM && H5Tget_size(d.type.get()) == 1;
  if (d.type_class != H5T_INTEGER && d.type_class != H5T_FLOAT && !boolean) {
    d.fail("integer, boolean or float labels", type_class_name(d.type_class));
  }
  const size_t n = d.values_in_rows(count);
  std::vector<int64_t> labels(n);
  if (n > 0) {
    if (d.type_class == H5T_INTEGER) {
      d.read_rows(H5T_NATIVE_INT64, begin, count, labels.data());
    } else if (boolean) {
      // h5py stores numpy bool as an enum {FALSE = 0, TRUE = 1} over int8; read the raw values.
      Handle mem_type(H5Tget_native_type(d.type.get(), H5T_DIR_ASCEND), H5Tclose);
      std::vector<int8_t> raw(n);
      d.read_rows(mem_type.get(), begin, count, raw.data());
      for (size_t i = 0; i < n; ++i) labels[i] = raw[i];
    } else {
      std::vector<double> raw(n);
      d.read_rows(H5T_NATIVE_DOUBLE, begin, count, raw.data());
      for (size_t i = 0; i < n; ++i) {
        if (raw[i] != std::floor(raw[i]) || std::fabs(raw[i]) > 9.0e15) {
          d.fail(multi ? "multi-hot values 0 or 1" : "whole-number class indices",
                 fmt::format("{} at {}", value_text(raw[i]),
                             multi ? position_text(static_cast<int64_t>(begin), i, columns, 1,
                                                   "column", nullptr)
                                   : fmt::format("window {}", begin + i)));
        }
        labels[i] = static_cast<int64_t>(raw[i]);
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (multi && labels[i] != 0 && labels[i] != 1) {
      d.fail("multi-hot values 0 or 1", fmt::format("{} at {}", labels[i],
                                                    position_text(static_cast<int64_t>(begin), i,
                                                                  columns, 1, "column", nullptr)));
    }
    if (!multi && labels[i] < 0) {
      d.fail("class indices >= 0", fmt::format("{} at window {}", labels[i], begin + i));
    }
  }
  return labels;
}

// The row count of a per-window dataset must be N; `rank` its expected rank.
void expect_rows(const Dataset& d, int rank, const std::string& shape, hsize_t n) {
  d.expect_rank(rank, "rank " + std::to_string(rank) + " " + shape);
  if (d.dims[0] != n) {
    d.fail(fmt::format("{} rows, one per window of 'data'", n), fmt::format("{} rows", d.dims[0]));
  }
}

int64_t count_rows(const Dataset& data) {
  data.expect_rank(3, "rank 3 (N windows, C channels, T samples)");
  if (data.dims[1] == 0 || data.dims[2] == 0) {
    data.fail("at least 1 channel and 1 sample per window", dims_text(data.dims));
  }
  return static_cast<int64_t>(data.dims[0]);
}

// `required`: the file was given for its teacher_logits, so their absence is an error.
void read_teacher_logits(const Reader& reader, bool required, hsize_t n, hsize_t begin,
                         hsize_t count, WindowSet& windows) {
  if (!required && !reader.has("teacher_logits")) return;
  Dataset logits = reader.open("teacher_logits");
  expect_rows(logits, 2, "(N windows, K classes)", n);
  windows.teacher_logits_dim = static_cast<int64_t>(logits.dims[1]);
  windows.teacher_logits = read_finite_floats(logits, begin, count, "class", nullptr);
}

}  // namespace

int64_t detail::count_hdf5_windows_in_process(const std::filesystem::path& path) {
  Reader reader(path);
  return count_rows(reader.open("data"));
}

WindowSet detail::read_hdf5_windows_in_process(const std::filesystem::path& path,
                                               const Hdf5ReadOptions& options) {
  Reader reader(path);
  Dataset data = reader.open("data");
  const int64_t n = count_rows(data);
  const int64_t end = options.end_row < 0 ? n : options.end_row;
  if (options.begin_row < 0 || options.begin_row > end || end > n) {
    throw UsageError(fmt::format("{}: rows [{}, {}) are outside the file's {} windows",
                                 reader.name(), options.begin_row, end, n));
  }
  const auto begin = static_cast<hsize_t>(options.begin_row);
  const auto count = static_cast<hsize_t>(end - options.begin_row);
  const auto rows = static_cast<hsize_t>(n);

  WindowSet w;
  w.n = static_cast<int64_t>(count);
  w.c = static_cast<int64_t>(data.dims[1]);
  w.t = static_cast<int64_t>(data.dims[2]);
  w.data = read_finite_floats(data, begin, count, "channel", "sample");

  Dataset label = reader.open("label");
  if (label.dims.size() != 1 && label.dims.size() != 2) {
    label.fail("rank 1 (N) single-label or rank 2 (N, K) multi-hot", dims_text(label.dims));
  }
  expect_rows(label, static_cast<int>(label.dims.size()), "", rows);
  if (label.dims.size() == 2 && label.dims[1] == 0) {
    label.fail("at least 1 column in multi-hot labels (N, K)", dims_text(label.dims));
  }
  w.num_label_columns = label.dims.size() == 2 ? static_cast<int64_t>(label.dims[1]) : 0;
  w.labels = read_labels(label, begin, count, w.num_label_columns);

  if (auto side = reader.open_optional("side")) {
    expect_rows(*side, 2, "(N windows, S side inputs)", rows);
    w.side_dim = static_cast<int64_t>(side->dims[1]);
    w.side = read_finite_floats(*side, begin, count, "column", nullptr);
    if (H5Aexists(side->id.get(), "names") > 0) {
      w.side_names = reader.read_string_attribute(side->id.get(), "names", "side.names");
      if (static_cast<int64_t>(w.side_names.size()) != w.side_dim) {
        reader.fail_field("side.names",
                          fmt::format("{} names, one per column of 'side'", w.side_dim),
                          fmt::format("{} names", w.side_names.size()));
      }
    }
  }

  if (auto source = reader.open_optional("source")) {
    expect_rows(*source, 1, "(N)", rows);
    std::vector<hsize_t> extent = {count};
    Handle mem_space(H5Screate_simple(1, extent.data(), nullptr), H5Sclose);
    w.source = read_string_values(
        source->type.get(), count, mem_space.get(),
        [&](hid_t mem_type, void* buffer) -> herr_t {
          if (count > 0) source->read_rows(mem_type, begin, count, buffer);
          return 0;
        },
        [&](const std::string& expected) {
          source->fail(expected, type_class_name(source->type_class));
        });
  }

  if (auto begins = reader.open_optional("begin_sample")) {
    expect_rows(*begins, 1, "(N)", rows);
    if (begins->type_class != H5T_INTEGER) {
      begins->fail("integer sample indices", type_class_name(begins->type_class));
    }
    w.begin_sample.resize(count);
    if (count > 0) begins->read_rows(H5T_NATIVE_INT64, begin, count, w.begin_sample.data());
  }

  if (options.teacher_logits_file.empty()) {
    read_teacher_logits(reader, false, rows, begin, count, w);
  } else {
    read_teacher_logits(Reader(options.teacher_logits_file), true, rows, begin, count, w);
  }

  if (H5Aexists(reader.file(), "fs_hz") > 0) {
    Handle a(H5Aopen(reader.file(), "fs_hz", H5P_DEFAULT), H5Aclose);
    if (!detail::read_number_attribute(a.get(), w.fs_hz) || !std::isfinite(w.fs_hz) ||
        w.fs_hz < 0) {
      Handle type(H5Aget_type(a.get()), H5Tclose);
      reader.fail_field(
          "fs_hz", "one finite number >= 0 (Hz)",
          fmt::format("{} {}", type_class_name(H5Tget_class(type.get())), value_text(w.fs_hz)));
    }
  }
  if (H5Aexists(reader.file(), "class_names") > 0) {
    w.class_names = reader.read_string_attribute(reader.file(), "class_names", "class_names");
    if (w.multi_label() && static_cast<int64_t>(w.class_names.size()) != w.num_label_columns) {
      reader.fail_field("class_names",
                        fmt::format("{} names, one per label column", w.num_label_columns),
                        fmt::format("{} names", w.class_names.size()));
    }
  }
  return w;
}

namespace {

class Writer {
 public:
  Writer(const std::filesystem::path& final_path, hid_t file)
      : name_(final_path.string()), file_(file) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(fmt::format("cannot write {}: {}: {}", name_, what, hdf5_error_text()));
  }

  // Creates `name` with `file_type` and shape `dims`, writes `values` given as `mem_type`.
  Handle write(const char* name, hid_t file_type, std::vector<hsize_t> dims, hid_t mem_type,
               const void* values) const {
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
    Handle dataset(
        H5Dcreate2(file_, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose);
    if (!dataset.valid()) fail(fmt::format("dataset '{}'", name));
    bool empty = std::any_of(dims.begin(), dims.end(), [](hsize_t d) { return d == 0; });
    if (!empty && H5Dwrite(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0) {
      fail(fmt::format("dataset '{}'", name));
    }
    return dataset;
  }

  void write_strings(const char* name, const std::vector<std::string>& values) const {
    Handle type = utf8_string_type();
    std::vector<const char*> pointers = c_strings(values);
    write(name, type.get(), {values.size()}, type.get(), pointers.data());
  }

  void write_string_attribute(hid_t object, const char* name,
                              const std::vector<std::string>& values) const {
    Handle type = utf8_string_type();
    std::vector<hsize_t> dims = {values.size()};
    Handle space(H5Screate_simple(1, dims.data(), nullptr), H5Sclose);
    Handle attr(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    std::vector<const char*> pointers = c_strings(values);
    if (!attr.valid() || H5Awrite(attr.get(), type.get(), pointers.data()) < 0) {
      fail(fmt::format("attribute '{}'", name));
    }
  }

  void write_double_attribute(const char* name, double value) const {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(H5Acreate2(file_, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    if (!attr.valid() || H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value) < 0) {
      fail(fmt::format("attribute '{}'", name));
    }
  }

 private:
  // Variable-length UTF-8, what h5py writes for Python str.
  static Handle utf8_string_type() {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    return type;
  }
  static std::vector<const char*> c_strings(const std::vector<std::string>& values) {
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const auto& v : values) pointers.push_back(v.c_str());
    return pointers;
  }

  std::string name_;
  hid_t file_;
};

void check_shapes(const WindowSet& w) {
  auto n = static_cast<size_t>(w.n);
  PL_CHECK(w.n >= 0 && w.c >= 0 && w.t >= 0, "window counts are non-negative");
  PL_CHECK(w.data.size() == n * static_cast<size_t>(w.c * w.t), "data holds N*C*T values");
  PL_CHECK(w.labels.size() == n * static_cast<size_t>(w.multi_label() ? w.num_label_columns : 1),
           "labels hold N (or N*K) values");
  PL_CHECK(w.side.size() == n * static_cast<size_t>(w.side_dim), "side holds N*side_dim values");
  PL_CHECK(w.side_names.empty() || static_cast<int64_t>(w.side_names.size()) == w.side_dim,
           "one side name per side column");
  PL_CHECK(w.source.empty() || w.source.size() == n, "source is empty or has N entries");
  PL_CHECK(w.begin_sample.empty() || w.begin_sample.size() == n,
           "begin_sample is empty or has N entries");
  PL_CHECK(w.teacher_logits.size() == n * static_cast<size_t>(w.teacher_logits_dim),
           "teacher_logits hold N*teacher_logits_dim values");
}

}  // namespace

void write_hdf5_windows(const std::filesystem::path& path, const WindowSet& w) {
  check_shapes(w);
  silence_hdf5_errors();
  AtomicFile out(path);
  {
    Handle file(H5Fcreate(out.temp_path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                H5Fclose);
    Writer writer(path, file.get());
    if (!file.valid()) writer.fail("cannot create the file");
    const auto n = static_cast<hsize_t>(w.n);
    writer.write("data", H5T_IEEE_F32LE, {n, static_cast<hsize_t>(w.c), static_cast<hsize_t>(w.t)},
                 H5T_NATIVE_FLOAT, w.data.data());
    std::vector<hsize_t> label_dims = {n};
    if (w.multi_label()) label_dims.push_back(static_cast<hsize_t>(w.num_label_columns));
    writer.write("label", H5T_STD_I64LE, label_dims, H5T_NATIVE_INT64, w.labels.data());
    if (w.side_dim > 0) {
      Handle side = writer.write("side", H5T_IEEE_F32LE, {n, static_cast<hsize_t>(w.side_dim)},
                                 H5T_NATIVE_FLOAT, w.side.data());
      if (!w.side_names.empty()) writer.write_string_attribute(side.get(), "names", w.side_names);
    }
    if (!w.source.empty()) writer.write_strings("source", w.source);
    if (!w.begin_sample.empty()) {
      writer.write("begin_sample", H5T_STD_I64LE, {n}, H5T_NATIVE_INT64, w.begin_sample.data());
    }
    if (w.teacher_logits_dim > 0) {
      writer.write("teacher_logits", H5T_IEEE_F32LE,
                   {n, static_cast<hsize_t>(w.teacher_logits_dim)}, H5T_NATIVE_FLOAT,
                   w.teacher_logits.data());
    }
    if (w.fs_hz > 0) writer.write_double_attribute("fs_hz", w.fs_hz);
    if (!w.class_names.empty())
      writer.write_string_attribute(file.get(), "class_names", w.class_names);
    if (!file.reset()) writer.fail("closing the file");
  }
  out.commit();
}

}  // namespace physiolite::data
