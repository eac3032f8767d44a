// Outside HDF5 files are parsed in a child process (core/isolated.hpp): files on which Debian's
// libhdf5 1.10 crashes or leaks (found by the hdf5_windows fuzz target, kept in its corpus) give
// an InputError naming the file, and PHYSIOLITE_HDF5_TIMEOUT bounds the time libhdf5 may take.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "common/hdf5_fixture.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/data/hdf5_signals.hpp"
#include "physiolite/data/hdf5_windows.hpp"

namespace physiolite::data {
namespace {

using testing::golden;
using testing::message_of;

std::filesystem::path corpus(const char* name) {
  return std::filesystem::path(PHYSIOLITE_TEST_SOURCE_DIR) / "corpus" / "hdf5_windows" / name;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Sets an environment variable for one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

// h5py_windows_single.h5 with mutated bytes: its variable-length string attribute sends
// libhdf5's global-heap read (H5HG_read, from H5Aread) into a memcpy of about 4 GiB. The
// release build dies of SIGSEGV there, ASan reports memcpy-param-overlap and exits with 1.
TEST(Hdf5Isolation, AFileThatCrashesLibhdf5IsAnInputErrorNamingIt) {
  const auto path = corpus("crash_306b428_vlen_string_heap.h5");
  const std::string what = message_of<InputError>([&] { read_hdf5_windows(path); });
  EXPECT_TRUE(contains(what, path.string() + ": field 'file': expected a file libhdf5 can parse, "
                                             "got 'libhdf5 "))
      << what;
  EXPECT_TRUE(contains(what, "crashed on this file (signal 11, Segmentation fault)") ||
              contains(what, "failed on this file (reader exit status 1)"))
      << what;
  // The caller is unharmed: the same file's header and a valid file still read.
  EXPECT_EQ(count_hdf5_windows(path), 3);
  EXPECT_EQ(read_hdf5_windows(golden("h5py_windows_single.h5")).n, 3);
}

// A mutated file on whose error path libhdf5 leaks (LSan's report in the fuzz target): the leak
// stays in the child, and HDF5's own message comes back.
TEST(Hdf5Isolation, LibHdf5sMessageComesBackFromTheChild) {
  const auto path = corpus("leak_b04b513_error_path.h5");
  EXPECT_EQ(message_of<InputError>([&] { read_hdf5_signals(path); }),
            path.string() +
                ": field 'file': expected a readable HDF5 file, got 'memory allocation failed "
                "for on disk image buffer'");
}

TEST(Hdf5Isolation, TheDeadlineIsSetByPhysioliteHdf5Timeout) {
  const auto path = golden("h5py_windows_single.h5");
  {
    // A deadline that has passed when the child has just been forked.
    ScopedEnv env("PHYSIOLITE_HDF5_TIMEOUT", "1e-06");
    EXPECT_EQ(message_of<InputError>([&] { read_hdf5_windows(path); }),
              path.string() +
                  ": field 'file': expected a file libhdf5 reads within 1e-06 s (set "
                  "PHYSIOLITE_HDF5_TIMEOUT to allow longer), got 'no result after 1e-06 s; the "
                  "reader process was stopped'");
  }
  {
    ScopedEnv env("PHYSIOLITE_HDF5_TIMEOUT", "soon");
    EXPECT_THROW(read_hdf5_signals(path), UsageError);
  }
  {
    ScopedEnv env("PHYSIOLITE_HDF5_TIMEOUT", "20");
    EXPECT_EQ(count_hdf5_windows(path), 3);
  }
}

}  // namespace
}  // namespace physiolite::data
