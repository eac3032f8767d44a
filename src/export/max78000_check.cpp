// Runs Analog Devices' izer on a MAX78000 export and reads what it says: errors, warnings (its
// simulator ignores memory layout, so a layout warning is an error here), the full-resolution
// output its bit-accurate model of the accelerator computes for the sample input, the estimated
// latency, the MACs and the weight memory.
#include <fmt/format.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/export/max78000.hpp"

namespace physiolite::exporter {

namespace {

// The file's text, or "" when izer did not write it.
std::string text_or_empty(const std::filesystem::path& path) {
  return std::filesystem::exists(path) ? read_text_file(path) : std::string();
}

std::string quote(const std::filesystem::path& p) {
  std::string s = "'";
  for (char c : p.string()) s += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return s + "'";
}

int64_t number(const std::string& text) {  // "33,912" -> 33912
  std::string digits;
  for (char c : text) {
    if (c != ',') digits += c;
  }
  return std::stoll(digits);
}

// Warnings that say nothing about the network: the optional YAML linter is not installed.
bool harmless(const std::string& line) {
  return line.find("Cannot run \"yamllint\"") != std::string::npos;
}

}  // namespace

std::filesystem::path find_izer(const std::filesystem::path& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  if (const char* env = std::getenv("PHYSIOLITE_IZER"); env != nullptr && *env != '\0') {
    return env;
  }
  return {};
}

Max78000Check check_max78000(const std::filesystem::path& dir, const std::string& name,
                             const std::filesystem::path& izer,
                             const std::vector<int32_t>& expected) {
  if (izer.empty() || !std::filesystem::exists(izer)) {
    throw UsageError(fmt::format(
        "--check: izer not found ('{}'); give --izer PATH or set PHYSIOLITE_IZER (ai8x-synthesis' "
        "ai8xize.py wrapper)",
        izer.string()));
  }
  Max78000Check check;
  const std::filesystem::path out = dir / "izer";
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out);
  const std::filesystem::path console = dir / (name + ".izer.txt");
  // izer refuses to run when its working directory already holds an entry named NAME (it
  // treats it as an earlier target folder), so it runs inside the fresh OUT folder.
  const std::string command = fmt::format(
      "cd {} && {} --device MAX78000 --prefix {} --checkpoint-file {} --config-file {} "
      "--test-dir {} --sample-input {} --verbose --no-progress > {} 2>&1",
      quote(std::filesystem::absolute(out)), quote(std::filesystem::absolute(izer)), name,
      quote(std::filesystem::absolute(dir / (name + "-q.pth.tar"))),
      quote(std::filesystem::absolute(dir / (name + ".yaml"))),
      quote(std::filesystem::absolute(out)),
      quote(std::filesystem::absolute(dir / (name + ".input.npy"))),
      quote(std::filesystem::absolute(console)));
  const int status = std::system(command.c_str());
  check.log = text_or_empty(console);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code != 0) check.problems.push_back(fmt::format("izer exited with status {}", code));
  {
    std::istringstream lines(check.log);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("ERROR") || line.find("Error") == 0) {
        check.problems.push_back("izer: " + line);
      } else if (line.starts_with("WARNING") && !harmless(line)) {
        check.problems.push_back("izer: " + line);
      }
    }
  }
  const std::string log = text_or_empty(out / name / "log.txt");
  if (log.empty()) {
    check.problems.push_back(fmt::format("izer wrote no {}", (out / name / "log.txt").string()));
    return check;
  }
  // The last layer's full-resolution output: the integers after the last "FULL-RES OUTPUT:"
  // header, up to the blank line that ends numpy's print.
  const size_t at = log.rfind("FULL-RES OUTPUT:");
  if (at != std::string::npos) {
    std::istringstream body(log.substr(log.find('\n', at) + 1));
    for (std::string line; std::getline(body, line) && !line.empty();) {
      static const std::regex kInt("-?[0-9]+");
      for (auto it = std::sregex_iterator(line.begin(), line.end(), kInt);
           it != std::sregex_iterator(); ++it) {
        check.izer_output.push_back(std::stoll(it->str()));
      }
    }
  }
  std::smatch m;
  if (std::regex_search(log, m, std::regex("Total +([0-9,]+) cycles"))) {
    check.latency_cycles = number(m[1]);
  }
  if (std::regex_search(log, m, std::regex("Hardware: [0-9,]+ ops \\(([0-9,]+) macc"))) {
    check.macs = number(m[1]);
  }
  if (std::regex_search(log, m,
                        std::regex("Weight memory: ([0-9,]+) bytes out of ([0-9,]+) bytes"))) {
    check.weight_bytes = number(m[1]);
    check.weight_capacity = number(m[2]);
  }
  // One "Layer N   cycles" line per hardware layer between ESTIMATED LATENCY and Total.
  if (const size_t latency = log.find("ESTIMATED LATENCY"); latency != std::string::npos) {
    std::istringstream lines(log.substr(latency));
    check.hardware_layers = 0;
    for (std::string line; std::getline(lines, line) && !line.starts_with("Total");) {
      if (line.starts_with("Layer ")) ++check.hardware_layers;
    }
  }
  if (check.izer_output.size() != expected.size()) {
    check.problems.push_back(fmt::format("izer's output has {} values, ours {}",
                                         check.izer_output.size(), expected.size()));
  } else {
    int differ = 0;
    std::string first;
    for (size_t i = 0; i < expected.size(); ++i) {
      if (check.izer_output[i] != expected[i]) {
        if (differ++ == 0) {
          first =
              fmt::format("logit {}: izer {}, runtime {}", i, check.izer_output[i], expected[i]);
        }
      }
    }
    if (differ > 0) {
      check.problems.push_back(
          fmt::format("izer's simulated output differs from the runtime's in {} of {} values ({})",
                      differ, expected.size(), first));
    }
  }
  check.passed = check.problems.empty();
  return check;
}

std::string max78000_report(const Max78000Plan& plan, const Max78000Check* check) {
  std::string s = "## MAX78000 (ai8x-synthesis / izer)\n\n";
  s += fmt::format(
      "Files: `{0}-q.pth.tar` (ai8x quantised checkpoint), `{0}.yaml` (network), `{0}.input.npy` "
      "(a sample window, izer's `--sample-input`), `{0}.expected.npy` (the 32-bit logits our "
      "runtime computes for it).\n\n",
      plan.arch);
  s += fmt::format(
      "    izer --device MAX78000 --prefix {0} --checkpoint-file {0}-q.pth.tar "
      "--config-file {0}.yaml --test-dir OUT --sample-input {0}.input.npy --verbose\n\n",
      plan.arch);
  s += fmt::format("{} hardware layers, {} bytes of weights.\n\n", plan.layers.size(),
                   plan.weight_bytes());
  if (check == nullptr) return s + "izer was not run (`--check`).\n";
  s += fmt::format("izer's verdict: **{}**", check->passed ? "accepted, bit-exact" : "FAILED");
  s += "\n\n| figure | value |\n|---|---:|\n";
  s += fmt::format("| hardware layers | {} |\n", check->hardware_layers);
  if (check->latency_cycles >= 0) {
    s += fmt::format("| estimated latency | {} CNN cycles = {:.3f} ms at 50 MHz |\n",
                     check->latency_cycles, check->latency_cycles / 50e3);
  }
  if (check->weight_bytes >= 0) {
    s += fmt::format("| weight memory | {} of {} bytes ({:.1f} %) |\n", check->weight_bytes,
                     check->weight_capacity, 100.0 * check->weight_bytes / check->weight_capacity);
  }
  if (check->macs >= 0) s += fmt::format("| MACs | {} |\n", check->macs);
  for (const std::string& p : check->problems) s += "\n- " + p;
  return s + "\n";
}

}  // namespace physiolite::exporter
