#include "physiolite/data/hdf5_signals.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <system_error>

#include "hdf5_in_process.hpp"
#include "hdf5_util.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/window_set.hpp"

namespace physiolite::data {

namespace {

using detail::Handle;

class SignalFile {
 public:
  explicit SignalFile(const std::filesystem::path& path) : name_(path.string()) {
    detail::silence_hdf5_errors();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      fail("file", "an existing HDF5 file",
           std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
    }
    if (H5Fis_hdf5(path.c_str()) <= 0) {
      detail::hdf5_error_text();
      fail("file", "an HDF5 file", "no HDF5 signature (not an HDF5 file)");
    }
    file_ = Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file_.valid()) fail("file", "a readable HDF5 file", detail::hdf5_error_text());
  }

  [[noreturn]] void fail(const std::string& field, const std::string& expected,
                         const std::string& found) const {
    throw InputError(InputLocation::file(name_), field, expected, found);
  }

  bool has(const char* name) const { return H5Lexists(file_.get(), name, H5P_DEFAULT) > 0; }
  hid_t root() const { return file_.get(); }

  Handle open_dataset(const char* name) const {
    Handle d(H5Dopen2(file_.get(), name, H5P_DEFAULT), H5Dclose);
    if (!d.valid()) {
      fail(name, "a dataset", "an object HDF5 cannot open as one: " + detail::hdf5_error_text());
    }
    return d;
  }

  // The attribute `attr` of the dataset, else of the root; invalid if neither has it.
  Handle open_attribute(hid_t dataset, const char* attr, std::string& field) const {
    for (hid_t object : {dataset, root()}) {
      if (H5Aexists(object, attr) > 0) {
        field = (object == dataset ? dataset_name_ + "." : std::string()) + attr;
        Handle a(H5Aopen(object, attr, H5P_DEFAULT), H5Aclose);
        if (!a.valid()) fail(field, "a readable attribute", detail::hdf5_error_text());
        return a;
      }
    }
    return {};
  }

  // `count` strings from the attribute `attr`, or none if it is absent.
  std::vector<std::string> strings(hid_t dataset, const char* attr, size_t count) const {
    std::string field;
    Handle a = open_attribute(dataset, attr, field);
    if (!a.valid()) return {};
    Handle type(H5Aget_type(a.get()), H5Tclose);
    Handle space(H5Aget_space(a.get()), H5Sclose);
    const auto n =
        static_cast<size_t>(std::max<hssize_t>(0, H5Sget_simple_extent_npoints(space.get())));
    if (n != count) {
      fail(field, fmt::format("{} strings, one per signal", count), fmt::format("{} values", n));
    }
    return detail::read_string_values(
        type.get(), n, space.get(),
        [&](hid_t mem_type, void* buffer) { return H5Aread(a.get(), mem_type, buffer); },
        [&](const std::string& expected) {
          fail(field, expected, detail::type_class_name(H5Tget_class(type.get())));
        });
  }

  double fs_hz(hid_t dataset) const {
    std::string field;
    Handle a = open_attribute(dataset, "fs_hz", field);
    double fs = 0;
    if (!a.valid()) return 0;
    if (!detail::read_number_attribute(a.get(), fs) || !std::isfinite(fs) || fs <= 0) {
      fail(field, "one finite number > 0 (Hz)", fmt::format("{}", fs));
    }
    return fs;
  }

  void set_dataset_name(std::string name) { dataset_name_ = std::move(name); }

 private:
  std::string name_;
  std::string dataset_name_;
  Handle file_;
};

}  // namespace

bool is_hdf5_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".h5" || ext == ".hdf5";
}

Hdf5Signals detail::read_hdf5_signals_in_process(const std::filesystem::path& path) {
  SignalFile file(path);
  Hdf5Signals out;
  const bool windows = !file.has("signals") && file.has("data");
  if (!windows && !file.has("signals")) {
    file.fail("signals", "a dataset 'signals' (samples, signals) or 'data' (1, C, T)",
              "neither dataset");
  }
  out.dataset = windows ? "data" : "signals";
  file.set_dataset_name(out.dataset);
  Handle set = file.open_dataset(out.dataset.c_str());
  Handle type(H5Dget_type(set.get()), H5Tclose);
  const H5T_class_t type_class = H5Tget_class(type.get());
  if (type_class != H5T_FLOAT && type_class != H5T_INTEGER) {
    file.fail(out.dataset, "float or integer values", detail::type_class_name(type_class));
  }
  out.integer = type_class == H5T_INTEGER;

  Handle space(H5Dget_space(set.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  // `signals` is (samples, signals), samples-major; `data` is (1, C, T), signal-major.
  size_t signals = 0, samples = 0;
  bool samples_major = true;
  if (windows) {
    if (rank != 3 || dims[0] != 1) {
      file.fail("data", "shape (1, C, T): exactly one window", detail::dims_text(dims));
    }
    signals = dims[1];
    samples = dims[2];
    samples_major = false;
  } else {
    if (rank != 2) file.fail("signals", "rank 2 (samples, signals)", detail::dims_text(dims));
    samples = dims[0];
    signals = dims[1];
  }
  if (signals == 0) file.fail(out.dataset, "at least 1 signal", detail::dims_text(dims));
  // Only a forged file has a shape whose size overflows; refuse it before allocating.
  size_t total = 0;
  if (__builtin_mul_overflow(signals, samples, &total)) {
    file.fail(out.dataset, "a shape whose size fits in memory", detail::dims_text(dims));
  }
  if (total > kMaxHdf5Values) {
    file.fail(out.dataset, fmt::format("at most {} values", kMaxHdf5Values),
              fmt::format("{} values, shape {}", total, detail::dims_text(dims)));
  }

  std::vector<double> flat(total);
  if (total > 0 &&
      H5Dread(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()) < 0) {
    file.fail(out.dataset, "a readable dataset", "HDF5 read error: " + detail::hdf5_error_text());
  }
  out.samples.assign(signals, std::vector<double>(samples));
  for (size_t c = 0; c < signals; ++c) {
    for (size_t t = 0; t < samples; ++t) {
      const double v = flat[samples_major ? t * signals + c : c * samples + t];
      if (std::isinf(v)) {
        file.fail(out.dataset, "finite values or NaN (a missing sample)",
                  fmt::format("{} at signal {}, sample {}", v > 0 ? "Inf" : "-Inf", c, t));
      }
      out.samples[c][t] = v;
    }
  }

  out.names = file.strings(set.get(), "names", signals);
  if (out.names.empty()) {
    for (size_t c = 0; c < signals; ++c) out.names.push_back(fmt::format("ch{}", c));
  }
  out.units = file.strings(set.get(), "units", signals);
  out.fs_hz = file.fs_hz(set.get());
  return out;
}

}  // namespace physiolite::data
