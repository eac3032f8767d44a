// Power figures (docs/profile.md, "Energy", lists them with every route searched). Neither chip
// publishes a per-unit (CPU, accelerator) active power this project could read, so each chip has
// one average power measured while it runs a network, applied to every component's time.
//   MAX78000: BED, an object detector on the MAX78000 (Wang et al., arXiv 2202.07503, as ADI
//   lists it in github.com/analogdevicesinc/MaximAI_Documentation README.md, commit ffc43ad):
//   91.9 ms of inference for 1.845 mJ, i.e. 1.845 mJ / 91.9 ms = 20.08 mW on average.
//   WE2: Seeed Studio's product figure for the Grove Vision AI Module V2 (HX6538: 2 x Cortex-M55
//   + Ethos-U55-64 at 400 MHz) running a vision model at 30.3 frames per second (33 ms
//   inference): 0.35 W for the whole module, camera included, so an upper bound of the chip's own.
#include "power.hpp"

namespace physiolite::profile {

namespace {
constexpr PowerFigure kMax78000Bed = {
    .watts = 1.845e-3 / 91.9e-3,
    .what = "MAX78000 running the BED object detector: 1.845 mJ per 91.9 ms inference",
    .source =
        "Wang et al., BED, arXiv 2202.07503, as listed in "
        "github.com/analogdevicesinc/MaximAI_Documentation README.md (commit ffc43ad)"};
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
  return chip == Chip::kWe2 ? kWe2Module : kMax78000Bed;
}

std::string_view energy_note(Chip chip) {
  if (chip == Chip::kWe2) {
    return "uj = 0.35 W x us for every component: the published average power of the whole Grove "
           "Vision AI V2 module (WE2 + camera) while it runs a vision model, so an upper bound "
           "(docs/profile.md, Energy)";
  }
  return "uj = 20.08 mW x us for every component: the MAX78000's published average power during "
         "an inference (BED: 1.845 mJ in 91.9 ms), CNN and CPU together (docs/profile.md, Energy)";
}

}  // namespace physiolite::profile
