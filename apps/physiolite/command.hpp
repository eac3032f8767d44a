// Subcommand registry: each cmd_<name>.cpp registers itself at static-initialisation time, so
// adding a subcommand never touches main.cpp. Files are linked straight into the executable (not
// through a static library), which guarantees their registrars run.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <initializer_list>
#include <string>

namespace physiolite::cli {

// `order` sorts subcommands in --help (data flow order: data, record, detect, train, ...).
// `add` creates the subcommand on `app` and sets its callback.
bool register_command(int order, std::function<void(CLI::App& app)> add);

void add_registered_commands(CLI::App& app);

// The "Examples:" footer of a command's --help, one runnable command line per entry (from the
// repository's folder, with the data in ../shared/data), the same layout for every command.
void set_examples(CLI::App* sub, std::initializer_list<const char*> examples);

}  // namespace physiolite::cli
