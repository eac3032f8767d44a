// The three renderings of a Profile: JSON (the documented --json contract), the text table and
// the stacked-bar SVG.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "physiolite/profile/profile.hpp"

namespace physiolite::profile {

namespace {
const char* chip_name(Chip c) { return c == Chip::kMax78000 ? "max78000" : "we2"; }
}  // namespace

std::string to_json(const Profile& p) {
  nlohmann::ordered_json j;
  j["target"] = chip_name(p.chip);
  j["accelerator_clock_mhz"] = p.accel_clock_hz / 1e6;
  j["cpu_clock_mhz"] = p.cpu_clock_hz / 1e6;
  j["placement"] = p.placement;
  j["layers"] = nlohmann::ordered_json::array();
  for (const LayerCost& l : p.layers) {
    nlohmann::ordered_json e{{"name", l.name},
                             {"kind", l.kind},
                             {"cycles", l.cycles},
                             {"us", l.us},
                             {"weight_bytes", l.weight_bytes}};
    if (p.chip == Chip::kWe2) {
      e["npu_cycles"] = l.compute_cycles;
      e["weight_cycles"] = l.weight_cycles;
    }
    j["layers"].push_back(e);
  }
  j["components"] = nlohmann::ordered_json::array();
  for (const ComponentCost& c : p.components) {
    j["components"].push_back({{"name", c.name},
                               {"unit", c.unit},
                               {"cycles", c.cycles},
                               {"us", c.us},
                               {"uj", c.uj},
                               {"bytes", c.bytes}});
  }
  j["total"] = {{"accelerator_cycles", p.accelerator_cycles},
                {"us", p.us},
                {"uj", p.uj},
                {"weight_bytes", p.weight_bytes},
                {"sram_bytes", p.sram_bytes},
                {"flash_bytes", p.flash_bytes}};
  j["energy_note"] = p.energy_note;
  j["verdict"] = p.verdict;
  return j.dump(2) + "\n";
}

std::string to_table(const Profile& p) {
  std::string s =
      fmt::format("{} — accelerator at {:.0f} MHz, CPU at {:.0f} MHz; {}\n\n", chip_name(p.chip),
                  p.accel_clock_hz / 1e6, p.cpu_clock_hz / 1e6, p.placement);
  s += fmt::format("{:<34} {:>12} {:>10} {:>10} {:>10}\n", "layer", "cycles", "us",
                   p.chip == Chip::kWe2 ? "compute" : "", p.chip == Chip::kWe2 ? "weights" : "");
  for (const LayerCost& l : p.layers) {
    s += fmt::format("{:<34} {:>12} {:>10.2f}", l.name, l.cycles, l.us);
    if (p.chip == Chip::kWe2) s += fmt::format(" {:>10} {:>10}", l.compute_cycles, l.weight_cycles);
    s += "\n";
  }
  s += fmt::format("\n{:<34} {:>5} {:>12} {:>10} {:>8} {:>10}\n", "component", "unit", "cycles",
                   "us", "uJ", "bytes");
  for (const ComponentCost& c : p.components) {
    s += fmt::format("{:<34} {:>5} {:>12} {:>10.2f} {:>8.2f} {:>10}\n", c.name, c.unit, c.cycles,
                     c.us, c.uj, c.bytes);
  }
  s += fmt::format(
      "\ntotal: {} accelerator cycles, {:.2f} us per inference, weights {} bytes, SRAM {} bytes, "
      "flash {} bytes\n",
      p.accelerator_cycles, p.us, p.weight_bytes, p.sram_bytes, p.flash_bytes);
  s += fmt::format("energy: {:.2f} uJ per inference; {}\n", p.uj, p.energy_note);
  for (const std::string& v : p.verdict) s += "verdict: " + v + "\n";
  return s;
}

// Two horizontal bars, time and energy, each component a segment of its share. (With one average
// power per chip, power.hpp, the two bars have the same proportions; the labels give both.)
std::string to_svg(const Profile& p) {
  constexpr double kWidth = 640, kBar = 400, kLeft = 20, kTop = 40, kRow = 30;
  static const char* kColours[] = {"#4e79a7", "#f28e2b", "#e15759",
                                   "#76b7b2", "#59a14f", "#edc948"};
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n",
      kWidth, kTop + kRow + 60 + 18.0 * static_cast<double>(p.components.size()));
  s += fmt::format(
      "<text x=\"{:.0f}\" y=\"20\">{}: {:.1f} us and {:.1f} uJ per inference, per "
      "component</text>\n",
      kLeft, chip_name(p.chip), p.us, p.uj);
  auto bar = [&](double y, double total, auto share, const char* label) {
    double x = kLeft;
    for (size_t i = 0; i < p.components.size(); ++i) {
      const double w = total > 0 ? kBar * share(p.components[i]) / total : 0.0;
      s += fmt::format(
          "<rect x=\"{:.2f}\" y=\"{:.0f}\" width=\"{:.2f}\" height=\"24\" fill=\"{}\"/>\n", x, y, w,
          kColours[i % std::size(kColours)]);
      x += w;
    }
    s +=
        fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\">{}</text>\n", kLeft + kBar + 8, y + 16, label);
  };
  bar(
      kTop, p.us, [](const ComponentCost& c) { return c.us; }, "time");
  bar(
      kTop + kRow, p.uj, [](const ComponentCost& c) { return c.uj; },
      p.uj > 0 ? "energy" : "energy (no power figure)");
  const double total = std::max(p.us, 1e-9);
  for (size_t i = 0; i < p.components.size(); ++i) {
    const ComponentCost& c = p.components[i];
    const double y = kTop + kRow + 50 + 18.0 * static_cast<double>(i);
    s += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n",
                     kLeft, y - 10, kColours[i % std::size(kColours)]);
    s +=
        fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\">{} — {:.2f} us ({:.1f} %), {:.2f} uJ</text>\n",
                    kLeft + 18, y, c.name, c.us, 100.0 * c.us / total, c.uj);
  }
  s += "</svg>\n";
  return s;
}

}  // namespace physiolite::profile
