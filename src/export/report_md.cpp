#include "report_md.hpp"

#include <fmt/format.h>

namespace physiolite::exporting::detail {

std::string size_text(uintmax_t bytes) {
  return fmt::format("{:.1f} KiB ({} B)", static_cast<double>(bytes) / 1024.0, bytes);
}

std::string common_md(const ExportRequest& r, const std::string& chip) {
  const qgraph::Graph& g = r.graph;
  const auto& in = g.tensors[static_cast<size_t>(g.input)];
  const auto& out = g.tensors[static_cast<size_t>(g.output)];
  std::string md = fmt::format("# {}: PhysioLite int8 model for the {}\n\n", r.name, chip);
  md += fmt::format(
      "Exported by `physiolite export` from `{}` ({} scheme): {} operators, {} int8 weights, {} "
      "MACs per window, input {} channels x {} samples, {} output logits.\n\n",
      r.source, qgraph::to_string(g.scheme), g.ops.size(), g.weight_bytes(), g.macs(), in.channels,
      in.length, out.channels);
  md += "## What the CPU computes before the accelerator\n\n";
  md += "1. The input window, channel by channel:\n\n";
  md += r.sample.layout.empty() ? "   (see docs/training.md)\n" : r.sample.layout;
  md += fmt::format(
      "\n2. The input quantisation, per channel c (float32 arithmetic, division then addition, "
      "no fused multiply-add; a NaN sample becomes the zero point):\n"
      "   `q = clamp(floor(x / scale_c + 0.5) + zero_point_c, -128, 127)`. The per-channel "
      "scales are folded into the first convolutions' weights, so the accelerator's int8 input "
      "tensor has one nominal scale {} and zero point {}; the int8 window is stored "
      "channel-last (sample t, channel c at byte t * {} + c).\n\n",
      in.scale, in.zero_point, in.channels);
  md += "| channel | scale_c | zero_point_c |\n|---:|---:|---:|\n";
  for (size_t c = 0; c < g.input_channels.size(); ++c) {
    md += fmt::format("| {} | {:.9g} | {} |\n", c, g.input_channels[c].scale,
                      g.input_channels[c].zero_point);
  }
  md += fmt::format(
      "\n3. After the accelerator: logit k = {:.9g} * (q_k - ({})); the class is the largest.\n\n",
      out.scale, out.zero_point);
  md += fmt::format(
      "## The check window\n\n`{0}.input.npy` is {1}, quantised as above; `{0}.expected.npy` "
      "holds our C runtime's int8 output codes for it ({2}). A board or simulator that runs the "
      "compiled model on `{0}.input.npy` must produce exactly these codes.\n\n",
      r.name, r.sample.origin,
      fmt::format("{}", fmt::join(r.sample.logits.begin(), r.sample.logits.end(), ", ")));
  return md;
}

}  // namespace physiolite::exporting::detail
