#include "physiolite/io/epn612.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"

namespace physiolite::io {

namespace fs = std::filesystem;
using ordered = nlohmann::ordered_json;

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& field,
                       const std::string& expected, const std::string& found) {
  throw InputError(InputLocation::file(path), field, expected, found);
}

std::string kind(const ordered& j) { return j.type_name(); }

std::vector<EpnSample> parse_samples(const ordered& root, const char* key,
                                     const std::string& path) {
  if (!root.contains(key))
    fail(path, key, "an object of samples (the EPN-612 user schema)", "no such key");
  const ordered& samples = root[key];
  if (!samples.is_object()) fail(path, key, "an object of samples", kind(samples));
  std::vector<EpnSample> out;
  out.reserve(samples.size());
  for (const auto& [id, s] : samples.items()) {
    const std::string where = fmt::format("{}.{}", key, id);
    if (!s.is_object()) fail(path, where, "a sample object", kind(s));
    EpnSample sample;
    sample.key = id;
    if (!s.contains("gestureName") || !s["gestureName"].is_string()) {
      fail(path, where + ".gestureName", "a string",
           s.contains("gestureName") ? kind(s["gestureName"]) : "no such key");
    }
    sample.gesture = s["gestureName"].get<std::string>();
    if (!s.contains("emg") || !s["emg"].is_object()) {
      fail(path, where + ".emg", "an object of channels ch1 ... ch8",
           s.contains("emg") ? kind(s["emg"]) : "no such key");
    }
    std::map<std::string, const ordered*> channels;  // sorted key order, as the reference stacks
    for (const auto& [name, values] : s["emg"].items()) channels[name] = &values;
    if (channels.empty()) fail(path, where + ".emg", "at least one channel", "an empty object");
    size_t length = 0;
    for (const auto& [name, values] : channels) {
      const std::string field = fmt::format("{}.emg.{}", where, name);
      if (!values->is_array()) fail(path, field, "an array of numbers", kind(*values));
      if (sample.emg.empty()) length = values->size();
      if (values->size() != length) {
        fail(path, field, fmt::format("{} samples like the first channel", length),
             std::to_string(values->size()));
      }
      std::vector<float> channel;
      channel.reserve(length);
      for (const auto& v : *values) {
        if (!v.is_number()) fail(path, field, "numbers", kind(v));
        channel.push_back(v.get<float>());
      }
      sample.emg.push_back(std::move(channel));
    }
    out.push_back(std::move(sample));
  }
  return out;
}

}  // namespace

EpnUser parse_epn612_user(std::string_view text, const std::string& path) {
  ordered root = ordered::parse(text, nullptr, false);
  if (root.is_discarded())
    fail(path, "file", "a JSON document", "text that does not parse as JSON");
  if (!root.is_object()) fail(path, "file", "a JSON object (the EPN-612 user schema)", kind(root));
  EpnUser user;
  user.name = fs::path(path).stem().string();
  user.training = parse_samples(root, "trainingSamples", path);
  user.testing = parse_samples(root, "testingSamples", path);
  return user;
}

EpnUser read_epn612_user(const fs::path& path) {
  return parse_epn612_user(read_text_file(path), path.string());
}

std::vector<fs::path> list_epn612_users(const fs::path& split_dir) {
  if (!fs::is_directory(split_dir)) {
    throw InputError(InputLocation::file(split_dir.string()), "folder",
                     "a folder of user folders (userN/userN.json)", "no such folder");
  }
  static const std::regex kUser("user([0-9]+)");
  std::map<int, fs::path> users;
  for (const auto& entry : fs::directory_iterator(split_dir)) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || !std::regex_match(name, m, kUser)) continue;
    const fs::path file = entry.path() / (name + ".json");
    if (!fs::exists(file)) {
      throw InputError(InputLocation::file(file.string()), "file",
                       fmt::format("the JSON file of {}", name), "no such file");
    }
    users[std::stoi(m[1])] = file;
  }
  if (users.empty()) {
    throw InputError(InputLocation::file(split_dir.string()), "user folders",
                     "folders user1, user2, ... each with userN.json", "none");
  }
  std::vector<fs::path> out;
  for (const auto& [n, file] : users) out.push_back(file);
  return out;
}

}  // namespace physiolite::io
