#include "physiolite/train/run_files.hpp"

#include <fmt/format.h>

#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/core/json_text.hpp"

namespace physiolite::train {

namespace fs = std::filesystem;

std::string first_difference(const nlohmann::json& a, const nlohmann::json& b,
                             const std::string& prefix) {
  if (a.is_object() && b.is_object()) {
    // A key only one side has is usually a setting added by a newer build: say so, rather than
    // let the user look for a value that differs.
    auto only_one_has = [&](const std::string& key) {
      return (prefix.empty() ? key : prefix + "." + key) + " (present in one config only)";
    };
    for (const auto& [key, value] : a.items()) {
      if (!b.contains(key)) return only_one_has(key);
      std::string d = first_difference(value, b[key], prefix.empty() ? key : prefix + "." + key);
      if (!d.empty()) return d;
    }
    for (const auto& [key, value] : b.items()) {
      if (!a.contains(key)) return only_one_has(key);
    }
    return "";
  }
  return a == b ? "" : (prefix.empty() ? "(whole config)" : prefix);
}

bool prepare_run_dir(const fs::path& dir, const nlohmann::json& resolved, bool resume, bool force) {
  const bool has_files = fs::exists(dir) && !fs::is_empty(dir);
  if (has_files && !fs::is_directory(dir)) {
    throw UsageError(fmt::format("run_dir: {} is a file, not a directory", dir.string()));
  }
  // A shipped model (scripts/ship_models.sh: README.md, best.pt, no last.pt) is never trained
  // over, not even with --force: its files are the published results.
  if (has_files && fs::exists(dir / "README.md") && fs::exists(dir / "best.pt") &&
      !fs::exists(dir / "last.pt")) {
    throw UsageError(fmt::format(
        "run_dir: {} holds a shipped model (README.md and best.pt, no last.pt); train into "
        "another run_dir",
        dir.string()));
  }
  if (has_files && resume && !fs::exists(dir / "last.pt")) {
    throw UsageError(fmt::format(
        "run_dir: {} has files but no last.pt, so there is nothing to resume; use another "
        "run_dir, or --force to start over",
        dir.string()));
  }
  if (has_files && resume) {
    const auto config_path = dir / "config.json";
    const nlohmann::json stored =
        parse_json_text(read_text_file(config_path), config_path.string(), "config");
    const std::string diff = first_difference(resolved, stored);
    if (!diff.empty()) {
      throw UsageError(fmt::format(
          "{}: the run was made with another config (first difference: {}); resume it with "
          "the same config, or use --force to start over",
          config_path.string(), diff));
    }
    return true;
  }
  if (has_files && !resume && !force) {
    throw UsageError(fmt::format(
        "run_dir: {} is not empty; use --resume to continue its run or --force to start over",
        dir.string()));
  }
  if (has_files) {
    for (const char* stale : {"last.pt", "best.pt", "log.jsonl", "metrics.json", "report.md"}) {
      fs::remove(dir / stale);
    }
  }
  fs::create_directories(dir);
  return false;
}

void write_log(const fs::path& path, const nlohmann::json& history) {
  write_file_atomically(path, [&](std::ostream& out) {
    for (const auto& record : history) out << record.dump() << "\n";
  });
}

}  // namespace physiolite::train
