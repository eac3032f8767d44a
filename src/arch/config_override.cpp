#include "physiolite/arch/config_override.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <functional>

#include "physiolite/core/error.hpp"

namespace physiolite::arch {

namespace {

constexpr std::string_view kPrefix = "model.";

int parse_int(std::string_view key, std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw UsageError(fmt::format("{}: expected an integer, got '{}'", key, excerpt(text)));
  }
  return value;
}

double parse_double(std::string_view key, std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) {
    throw UsageError(fmt::format("{}: expected a number, got '{}'", key, excerpt(text)));
  }
  return value;
}

// "a,b,c" -> {parse(a), parse(b), parse(c)}; "" -> {} (the override form of an empty JSON list).
template <typename T>
std::vector<T> parse_list(std::string_view key, std::string_view text,
                          T (*parse)(std::string_view, std::string_view)) {
  std::vector<T> values;
  if (text.empty()) return values;
  size_t begin = 0;
  while (begin <= text.size()) {
    const size_t comma = std::min(text.find(',', begin), text.size());
    values.push_back(parse(key, text.substr(begin, comma - begin)));
    begin = comma + 1;
  }
  return values;
}

using Setter = std::function<void(ModelConfig&, std::string_view key, std::string_view value)>;

struct Field {
  std::string_view name;
  Setter set;
};

Setter int_field(int ModelConfig::*member) {
  return [member](ModelConfig& c, std::string_view k, std::string_view v) {
    c.*member = parse_int(k, v);
  };
}

Setter string_field(std::string ModelConfig::*member) {
  return [member](ModelConfig& c, std::string_view, std::string_view v) { c.*member = v; };
}

const std::vector<Field>& fields() {
  static const std::vector<Field> list{
      {"raw_channels", int_field(&ModelConfig::raw_channels)},
      {"input_length", int_field(&ModelConfig::input_length)},
      {"num_classes", int_field(&ModelConfig::num_classes)},
      {"pos_freqs", int_field(&ModelConfig::pos_freqs)},
      {"pe_scale", [](ModelConfig& c, std::string_view k,
                      std::string_view v) { c.pe_scale = parse_double(k, v); }},
      {"side_offset", [](ModelConfig& c, std::string_view k,
                         std::string_view v) { c.side_offset = parse_list(k, v, parse_double); }},
      {"side_scale", [](ModelConfig& c, std::string_view k,
                        std::string_view v) { c.side_scale = parse_list(k, v, parse_double); }},
      {"bank_channels", int_field(&ModelConfig::bank_channels)},
      {"kernel_set", [](ModelConfig& c, std::string_view k,
                        std::string_view v) { c.kernel_set = parse_list(k, v, parse_int); }},
      {"embed_dim", int_field(&ModelConfig::embed_dim)},
      {"depth", int_field(&ModelConfig::depth)},
      {"reduce", int_field(&ModelConfig::reduce)},
      {"patch_kernel", int_field(&ModelConfig::patch_kernel)},
      {"front_pool", int_field(&ModelConfig::front_pool)},
      {"patch_pool", int_field(&ModelConfig::patch_pool)},
      {"post_pool", int_field(&ModelConfig::post_pool)},
      {"activation", string_field(&ModelConfig::activation)},
      {"bank_init", string_field(&ModelConfig::bank_init)},
      {"target", [](ModelConfig& c, std::string_view k,
                    std::string_view v) { c.target = parse_target(v, k); }},
      {"type", string_field(&ModelConfig::type)},
      {"heads", int_field(&ModelConfig::heads)},
      {"patch_size", int_field(&ModelConfig::patch_size)},
      {"mlp_ratio", int_field(&ModelConfig::mlp_ratio)},
      {"dropout", [](ModelConfig& c, std::string_view k,
                     std::string_view v) { c.dropout = parse_double(k, v); }},
  };
  return list;
}

}  // namespace

std::vector<std::string> override_keys() {
  std::vector<std::string> keys;
  for (const Field& f : fields()) keys.push_back(fmt::format("{}{}", kPrefix, f.name));
  return keys;
}

void apply_override(ModelConfig& config, std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    throw UsageError(fmt::format("--set: expected key=value, got '{}'", excerpt(assignment)));
  }
  const std::string_view key = assignment.substr(0, eq);
  const std::string_view value = assignment.substr(eq + 1);
  if (key.starts_with(kPrefix)) {
    for (const Field& f : fields()) {
      if (key.substr(kPrefix.size()) == f.name) {
        f.set(config, key, value);
        return;
      }
    }
  }
  throw UsageError(fmt::format("--set: unknown key '{}' (known: {})", excerpt(key),
                               fmt::join(override_keys(), ", ")));
}

nlohmann::json to_json(const ModelConfig& c) {
  nlohmann::json j{{"raw_channels", c.raw_channels},
                   {"input_length", c.input_length},
                   {"num_classes", c.num_classes},
                   {"pos_freqs", c.pos_freqs},
                   {"pe_scale", c.pe_scale},
                   {"side_offset", c.side_offset},
                   {"side_scale", c.side_scale},
                   {"bank_channels", c.bank_channels},
                   {"kernel_set", c.kernel_set},
                   {"embed_dim", c.embed_dim},
                   {"depth", c.depth},
                   {"reduce", c.reduce},
                   {"patch_kernel", c.patch_kernel},
                   {"front_pool", c.front_pool},
                   {"patch_pool", c.patch_pool},
                   {"post_pool", c.post_pool},
                   {"activation", c.activation},
                   {"bank_init", c.bank_init},
                   {"target", std::string(to_string(c.target))}};
  // Only a teacher writes its keys, so a student's config.json and checkpoints stay as they were.
  if (c.type != "physiolite") {
    j["type"] = c.type;
    j["heads"] = c.heads;
    j["patch_size"] = c.patch_size;
    j["mlp_ratio"] = c.mlp_ratio;
    j["dropout"] = c.dropout;
  }
  return j;
}

namespace {

// JSON value -> the text form apply_override parses ("3,5,7" for lists).
std::string override_text(const std::string& key, const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  if (value.is_array()) {
    std::string out;
    for (const auto& v : value) {
      if (!v.is_number()) {
        throw UsageError(fmt::format("model.{}: expected a list of numbers, got {}", key,
                                     excerpt(value.dump())));
      }
      if (!out.empty()) out += ',';
      out += v.dump();
    }
    return out;
  }
  throw UsageError(fmt::format("model.{}: expected a number, string or list, got {}", key,
                               excerpt(value.dump())));
}

}  // namespace

void apply_json_keys(ModelConfig& config, const nlohmann::json& section) {
  if (!section.is_object()) {
    throw UsageError(fmt::format("model: expected a JSON object, got {}", section.type_name()));
  }
  for (const auto& [key, value] : section.items()) {
    if (key == "profile") continue;
    apply_override(config, fmt::format("model.{}={}", key, override_text(key, value)));
  }
}

ModelConfig model_config_from_json(const nlohmann::json& section) {
  ModelConfig config;
  apply_json_keys(config, section);
  config.validate();
  return config;
}

}  // namespace physiolite::arch
