#include "hdf5_util.hpp"

#include <fmt/format.h>

#include <cstring>

namespace physiolite::data::detail {

void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string hdf5_error_text() {
  std::string text;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* err, void* data) -> herr_t {
        if (n == 0 && err->desc != nullptr) *static_cast<std::string*>(data) = err->desc;
        return 0;
      },
      &text);
  H5Eclear2(H5E_DEFAULT);
  return text;
}

std::string type_class_name(H5T_class_t type_class) {
  static constexpr std::pair<H5T_class_t, const char*> kNames[] = {
      {H5T_INTEGER, "integer"},
      {H5T_FLOAT, "float"},
      {H5T_STRING, "string"},
      {H5T_ENUM, "enum"},
      {H5T_COMPOUND, "compound"},
      {H5T_ARRAY, "array"},
      {H5T_OPAQUE, "opaque"},
      {H5T_BITFIELD, "bitfield"},
      {H5T_REFERENCE, "reference"},
      {H5T_TIME, "time"},
      {H5T_VLEN, "variable-length sequence"}};
  for (const auto& [id, name] : kNames) {
    if (id == type_class) return name;
  }
  return "unknown type";
}

std::string dims_text(const std::vector<hsize_t>& dims) {
  return fmt::format("shape ({})", fmt::join(dims, ", "));
}

std::vector<std::string> read_string_values(hid_t file_type, size_t count, hid_t space,
                                            const std::function<herr_t(hid_t, void*)>& read,
                                            const std::function<void(const std::string&)>& fail) {
  std::vector<std::string> values(count);
  if (H5Tget_class(file_type) != H5T_STRING) {
    fail("strings (variable- or fixed-length)");
  }
  Handle mem_type(H5Tcopy(H5T_C_S1), H5Tclose);
  // HDF5 does not convert between ASCII and UTF-8, so the memory type takes the file's set.
  H5Tset_cset(mem_type.get(), H5Tget_cset(file_type));
  if (H5Tis_variable_str(file_type) > 0) {
    H5Tset_size(mem_type.get(), H5T_VARIABLE);
    std::vector<char*> pointers(count, nullptr);
    if (read(mem_type.get(), pointers.data()) < 0) fail("readable strings");
    for (size_t i = 0; i < count; ++i) {
      if (pointers[i] != nullptr) values[i] = pointers[i];
    }
    H5Dvlen_reclaim(mem_type.get(), space, H5P_DEFAULT, pointers.data());
    return values;
  }
  size_t size = H5Tget_size(file_type);
  H5Tset_size(mem_type.get(), size);
  H5Tset_strpad(mem_type.get(), H5Tget_strpad(file_type));
  std::vector<char> buffer(count * size);
  if (read(mem_type.get(), buffer.data()) < 0) fail("readable strings");
  const bool space_padded = H5Tget_strpad(file_type) == H5T_STR_SPACEPAD;
  for (size_t i = 0; i < count; ++i) {
    const char* begin = buffer.data() + i * size;
    size_t length = strnlen(begin, size);
    while (space_padded && length > 0 && begin[length - 1] == ' ') --length;
    values[i].assign(begin, length);
  }
  return values;
}

bool read_number_attribute(hid_t attribute, double& value) {
  Handle type(H5Aget_type(attribute), H5Tclose);
  Handle space(H5Aget_space(attribute), H5Sclose);
  const H5T_class_t type_class = H5Tget_class(type.get());
  return (type_class == H5T_FLOAT || type_class == H5T_INTEGER) &&
         H5Sget_simple_extent_npoints(space.get()) == 1 &&
         H5Aread(attribute, H5T_NATIVE_DOUBLE, &value) >= 0;
}

}  // namespace physiolite::data::detail
