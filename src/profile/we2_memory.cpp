// Reads the memory part of a Vela system config: the section names are those of the published
// WE2 config (himax_we2.ini), which `physiolite export --check` also uses.
#include <fmt/format.h>

#include <map>
#include <sstream>

#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/profile/profile.hpp"

namespace physiolite::profile {

namespace {

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  const size_t b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

}  // namespace

We2Memory read_we2_memory(const std::filesystem::path& ini) {
  const std::string text = read_text_file(ini);
  std::map<std::string, std::string> keys;  // "section/key" -> value
  std::string section;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    line = trim(line.substr(0, line.find(';')));
    if (line.empty()) continue;
    if (line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
    } else if (const size_t eq = line.find('='); eq != std::string::npos) {
      keys[section + "/" + trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
  }
  const std::string sys = "System_Config.My_Sys_Cfg/";
  const std::string mode = "Memory_Mode.My_Mem_Mode_Parent/";
  auto value = [&](const std::string& key) -> const std::string& {
    const auto it = keys.find(key);
    if (it == keys.end()) {
      throw InputError(InputLocation::file(ini.string()), key,
                       "a Vela system config with this key (see himax_we2.ini)", "no such key");
    }
    return it->second;
  };
  auto number = [&](const std::string& key) {
    const std::string& v = value(key);
    try {
      size_t used = 0;
      const double d = std::stod(v, &used);
      if (used == v.size() && d > 0) return d;
    } catch (const std::exception&) {
    }
    throw InputError(InputLocation::file(ini.string()), key, "a positive number", v);
  };
  We2Memory m;
  m.core_clock_hz = number(sys + "core_clock");
  m.flash_clock_scale = number(sys + "OffChipFlash_clock_scale");
  m.sram_clock_scale = number(sys + "Sram_clock_scale");
  m.flash_read_latency = static_cast<int>(number(sys + "OffChipFlash_read_latency"));
  m.sram_read_latency = static_cast<int>(number(sys + "Sram_read_latency"));
  // const_mem_area names an AXI port; the port that carries OffChipFlash puts the weights there.
  const std::string& area = value(mode + "const_mem_area");
  const std::string port = area == "Axi0" ? "axi0_port" : area == "Axi1" ? "axi1_port" : "";
  if (port.empty()) {
    throw InputError(InputLocation::file(ini.string()), mode + "const_mem_area", "Axi0 or Axi1",
                     area);
  }
  const std::string& memory = value(sys + port);
  if (memory != "OffChipFlash" && memory != "Sram") {
    throw InputError(InputLocation::file(ini.string()), sys + port, "OffChipFlash or Sram", memory);
  }
  m.weights_in_flash = memory == "OffChipFlash";
  m.origin = ini.filename().string();
  return m;
}

}  // namespace physiolite::profile
