// Subcommand registry: each cmd_<name>.cpp registers itself at static-initialisation time, so
// adding a subcommand never touches main.cpp. Files are linked straight into the executable (not
// through a static library), which guarantees their registrars run.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace physiolite::cli {

// `order` sorts subcommands in --help (data flow order: data, record, detect, train, ...).
// `add` creates the subcommand on `app` and sets its callback.
bool register_command(int order, std::function<void(CLI::App& app)> add);

void add_registered_commands(CLI::App& app);

}  // namespace physiolite::cli
