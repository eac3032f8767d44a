// physiolite: one binary, one subcommand per step of the data flow. Parsing and printing only;
// the work is done by the library. Exit codes: 0 ok, 1 internal error, 2 usage error,
// 3 bad input data.
#include <malloc.h>

#include <cstdio>
#include <exception>
#include <new>

#include "command.hpp"
#include "physiolite/core/error.hpp"

int main(int argc, char** argv) {
  // glibc would otherwise mmap/munmap every large buffer (6-10x slower LibTorch training here).
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);

  CLI::App app{"PhysioLite: ECG and EMG models for microcontroller neural accelerators"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "physiolite 0.1.0");
  physiolite::cli::add_registered_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0; every other parse error (CLI11's own
    // codes 104-109 and up) is a usage error: exit 2 with our prefix, as documented.
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "physiolite: usage error: %s\nRun with --help for more information.\n",
                 e.what());
    return 2;
  } catch (const physiolite::UsageError& e) {
    std::fprintf(stderr, "physiolite: usage error: %s\n", e.what());
    return 2;
  } catch (const physiolite::InputError& e) {
    std::fprintf(stderr, "physiolite: error: %s\n", e.what());
    return 3;
  } catch (const std::bad_alloc&) {
    // Readers and configs are bounded (docs/limits.md); this is the last line of defence.
    std::fprintf(stderr, "physiolite: error: out of memory (see docs/limits.md for input caps)\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "physiolite: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
