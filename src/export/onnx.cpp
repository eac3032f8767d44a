// --target onnx: the int8 graph as an ONNX QDQ model (export/onnx_writer.hpp).
#include <fmt/format.h>

#include "physiolite/export/export.hpp"
#include "physiolite/export/npy.hpp"
#include "physiolite/export/onnx_writer.hpp"
#include "physiolite/export/output_stage.hpp"
#include "report_md.hpp"

namespace physiolite::exporting {

ExportResult export_onnx(const ExportRequest& r) {
  const std::string origin = r.source.empty() ? r.name : r.source;
  check_file_stem(r.name);
  const std::vector<uint8_t> model = onnx_bytes(r.graph, origin);  // refuses before writing
  OutputStage stage(r.dir);
  stage.write(r.name + ".onnx", model);
  const int64_t c = r.sample.channels, l = r.sample.length, k = r.graph.num_classes();
  // The runtime's channel-last window -> ONNX's channel-first [1, C, L].
  std::vector<int8_t> x(r.sample.input.size());
  for (int64_t t = 0; t < l; ++t) {
    for (int64_t ch = 0; ch < c; ++ch) {
      x[static_cast<size_t>(ch * l + t)] = r.sample.input[static_cast<size_t>(t * c + ch)];
    }
  }
  const std::vector<int64_t> in_shape{1, c, l}, out_shape{1, k, 1};
  stage.write(r.name + ".input.npy", npy_bytes(std::span<const int8_t>(x), in_shape));
  stage.write(r.name + ".expected.npy",
              npy_bytes(std::span<const int8_t>(r.sample.logits), out_shape));
  ExportResult result;
  result.report_md_section =
      detail::common_md(r, "ONNX (QDQ, opset 13)") +
      fmt::format(
          "## Files\n\n| file | what |\n|---|---|\n"
          "| `{0}.onnx` | {1}: QuantizeLinear/DequantizeLinear around float Conv, AveragePool, "
          "Add, Concat; input `input` int8 [1, {2}, {3}] (channel-first), output `logits` int8 "
          "[1, {4}, 1]; accepted by onnx.checker (full check, shape inference) when written |\n"
          "| `{0}.input.npy` | int8, shape (1, {2}, {3}): the check window, channel-first |\n"
          "| `{0}.expected.npy` | int8, shape (1, {4}, 1): our runtime's output codes |\n\n"
          "An ONNX runtime requantises in float (round half to even), our runtime in integers: "
          "its codes can differ from `{0}.expected.npy` by 1 where a value lies on a rounding "
          "tie (docs/export.md).\n",
          r.name, detail::size_text(model.size()), c, l, k);
  stage.write(r.name + ".md", result.report_md_section);
  result.files = stage.commit();
  return result;
}

}  // namespace physiolite::exporting
