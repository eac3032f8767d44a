// Checks that a document parses as XML with Python's xml.etree (an independent parser), and
// returns the parser's complaint otherwise. Skips the test when /usr/bin/python3 is missing.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"

namespace physiolite::testing {

// "" when `path` is a well-formed XML document whose root element is <svg> in the SVG namespace.
inline std::string svg_file_problem(const std::filesystem::path& path) {
  const CommandResult r = run_command(
      "/usr/bin/python3 -c \"import sys, xml.etree.ElementTree as E; "
      "root = E.parse(sys.argv[1]).getroot(); "
      "sys.exit(0 if root.tag == '{http://www.w3.org/2000/svg}svg' else 'root is ' + root.tag)\" "
      "'" +
      path.string() + "'");
  return r.exit_code == 0 ? "" : r.err;
}

inline std::string svg_text_problem(const std::string& svg) {
  TempDir dir;
  write_text(dir / "figure.svg", svg);
  return svg_file_problem(dir / "figure.svg");
}

#define PHYSIOLITE_SKIP_WITHOUT_PYTHON()                                            \
  do {                                                                              \
    if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no python3"; \
  } while (0)

}  // namespace physiolite::testing
