// Power figures (docs/profile.md, "Energy" lists every route searched).
//   WE2: Seeed Studio's product figure for the Grove Vision AI Module V2 (HX6538: 2 x Cortex-M55
//   + Ethos-U55-64 at 400 MHz) running a vision model at 30.3 frames per second (33 ms
//   inference): 0.35 W for the whole module, camera included. It is an average over the frame
//   (NPU, CPU and camera), not the NPU alone, so uj = 0.35 W x time is an upper bound of the chip's
//   energy while it runs our network.
//   MAX78000: no figure with a number could be read (ADI's AN7417 and the EV kit's power-monitor
//   guide show their measurements only as screen images or past the stored introduction).
#include "power.hpp"

namespace physiolite::profile {

namespace {
constexpr PowerFigure kWe2Module = {
    .watts = 0.35,
    .what =
        "Grove Vision AI Module V2 (HX6538 WE2) running a vision model at 30 fps, whole module "
        "incl. camera",
    .source =
        "Seeed Studio product figure, quoted in github.com/Mjrovai/Seeed-Grove-Vision-AI-V2 "
        "README.md (commit badfedb) and hackaday.com/2025/09/07/image-recognition-on-0-35-"
        "watts"};
}  // namespace

std::optional<PowerFigure> power_figure(Chip chip) {
  if (chip == Chip::kWe2) return kWe2Module;
  return std::nullopt;
}

std::string_view energy_note(Chip chip) {
  if (chip == Chip::kWe2) {
    return "uj = 0.35 W x us for every component: the published average power of the whole Grove "
           "Vision AI V2 module (WE2 + camera) while it runs a vision model, so an upper bound "
           "(docs/profile.md, Energy)";
  }
  return "uj is 0: no published MAX78000 power figure with a readable number was found "
         "(docs/profile.md, Energy: the routes searched)";
}

}  // namespace physiolite::profile
