// HDF5 C API helpers shared by the data module's HDF5 readers and writer (internal header):
// identifier ownership, error-stack handling, and the pieces of messages and string reading
// that every layout needs.
#pragma once

#include <hdf5.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace physiolite::data::detail {

// Owns one HDF5 identifier and closes it with the matching H5?close.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept {
    std::swap(id_, other.id_);
    std::swap(close_, other.close_);
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now; returns false if HDF5 reports an error (a file's last buffers failed to flush).
  bool reset() {
    bool ok = true;
    if (id_ >= 0) ok = close_(id_) >= 0;
    id_ = -1;
    return ok;
  }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

// HDF5 prints its error stack to stderr by default; we report through exceptions instead.
void silence_hdf5_errors();

// The most specific message on HDF5's error stack ("" if none), then clears the stack.
std::string hdf5_error_text();

// "integer", "float", "string", ... for messages.
std::string type_class_name(H5T_class_t type_class);

// "shape (3, 2)".
std::string dims_text(const std::vector<hsize_t>& dims);

// Reads a dataset or attribute of strings, fixed-length or variable-length, into std::strings.
// `read` performs the H5Dread/H5Aread with the given memory type into the buffer; `space` is the
// memory dataspace (needed to free variable-length strings); `fail` throws with what was expected.
std::vector<std::string> read_string_values(hid_t file_type, size_t count, hid_t space,
                                            const std::function<herr_t(hid_t, void*)>& read,
                                            const std::function<void(const std::string&)>& fail);

// The value of a scalar (or one-element) integer or float attribute as a double; false if the
// attribute has another type or size or cannot be read.
bool read_number_attribute(hid_t attribute, double& value);

}  // namespace physiolite::data::detail
