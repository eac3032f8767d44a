#include "command.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace physiolite::cli {

namespace {
std::vector<std::pair<int, std::function<void(CLI::App&)>>>& registry() {
  static std::vector<std::pair<int, std::function<void(CLI::App&)>>> commands;
  return commands;
}
}  // namespace

bool register_command(int order, std::function<void(CLI::App& app)> add) {
  registry().emplace_back(order, std::move(add));
  return true;
}

void set_examples(CLI::App* sub, std::initializer_list<const char*> examples) {
  std::string text = examples.size() == 1 ? "\nExample:\n" : "\nExamples:\n";
  for (const char* e : examples) text += std::string("  physiolite ") + e + "\n";
  sub->footer(text);
}

void add_registered_commands(CLI::App& app) {
  auto& commands = registry();
  std::stable_sort(commands.begin(), commands.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, add] : commands) add(app);
}

}  // namespace physiolite::cli
