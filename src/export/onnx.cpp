// --target onnx: the int8 graph as an ONNX model in one of the forms of export/onnx_writer.hpp.
#include <fmt/format.h>

#include "physiolite/export/export.hpp"
#include "physiolite/export/npy.hpp"
#include "physiolite/export/onnx_writer.hpp"
#include "physiolite/export/output_stage.hpp"
#include "report_md.hpp"

namespace physiolite::exporting {

namespace {

// The runtime's channel-last (L, C) codes -> ONNX's channel-first (C, L), shifted by `offset`
// (128 for the uint8 forms) and kept as bytes.
std::vector<uint8_t> channel_first(const std::vector<int8_t>& q, int64_t c, int64_t l, int offset) {
  std::vector<uint8_t> x(q.size());
  for (int64_t t = 0; t < l; ++t) {
    for (int64_t ch = 0; ch < c; ++ch) {
      x[static_cast<size_t>(ch * l + t)] =
          static_cast<uint8_t>(q[static_cast<size_t>(t * c + ch)] + offset);
    }
  }
  return x;
}

std::vector<uint8_t> code_npy(const std::vector<uint8_t>& bytes, bool as_uint8,
                              const std::vector<int64_t>& shape) {
  if (as_uint8) return npy_bytes(std::span<const uint8_t>(bytes), shape);
  const std::vector<int8_t> s(bytes.begin(), bytes.end());
  return npy_bytes(std::span<const int8_t>(s), shape);
}

}  // namespace

ExportResult export_onnx(const ExportRequest& r, OnnxForm form) {
  const std::string origin = r.source.empty() ? r.name : r.source;
  check_file_stem(r.name);
  const std::vector<uint8_t> model = onnx_bytes(r.graph, origin, form);  // refuses before writing
  OutputStage stage(r.dir);
  stage.write(r.name + ".onnx", model);
  const int64_t c = r.sample.channels, l = r.sample.length, k = r.graph.num_classes();
  const std::vector<int64_t> in_shape{1, c, l}, out_shape{1, k, 1};
  const bool u8 = form == OnnxForm::kQdqU8 || form == OnnxForm::kQdqU8S8;
  std::string input_what, expected_what, type;
  if (form == OnnxForm::kFloat) {
    // The float window as the host has it, and our runtime's codes dequantised: the float model
    // computes without the int8 rounding, so it agrees with these to a few output LSB.
    const auto& out = r.graph.tensors[static_cast<size_t>(r.graph.output)];
    std::vector<float> y;
    for (int8_t q : r.sample.logits)
      y.push_back(out.scale * static_cast<float>(q - out.zero_point));
    stage.write(r.name + ".input.npy",
                npy_bytes(std::span<const float>(r.sample.real_input), in_shape));
    stage.write(r.name + ".expected.npy", npy_bytes(std::span<const float>(y), out_shape));
    type = "float32";
    input_what = "the check window as float values, before the input quantisation";
    expected_what = fmt::format(
        "our runtime's output codes q dequantised, {} · (q − {}); the float model, free of the "
        "int8 rounding, agrees with them to a few output steps",
        out.scale, out.zero_point);
  } else {
    const int offset = u8 ? 128 : 0;
    stage.write(r.name + ".input.npy",
                code_npy(channel_first(r.sample.input, c, l, offset), u8, in_shape));
    stage.write(r.name + ".expected.npy",
                code_npy(channel_first(r.sample.logits, k, 1, offset), u8, out_shape));
    type = u8 ? "uint8" : "int8";
    input_what = u8 ? "the check window's int8 codes + 128" : "the check window's int8 codes";
    expected_what = u8 ? "our runtime's output codes + 128" : "our runtime's output codes";
  }
  const std::string in_name = onnx_input_name(form), out_name = onnx_output_name(form);
  ExportResult result;
  result.report_md_section =
      detail::common_md(r, fmt::format("ONNX ({}, opset 13)", to_string(form))) +
      fmt::format(
          "## Files\n\n| file | what |\n|---|---|\n"
          "| `{0}.onnx` | {1}: form `{2}` (docs/export.md): input `{3}` {4} [1, {5}, {6}] "
          "(channel-first), output `{7}` {4} [1, {8}, 1]; accepted by onnx.checker (full "
          "check, shape inference) when written |\n"
          "| `{0}.input.npy` | {4}, shape (1, {5}, {6}): {9}, channel-first |\n"
          "| `{0}.expected.npy` | {10}, shape (1, {8}, 1): {11} |\n\n",
          r.name, detail::size_text(model.size()), to_string(form), in_name, type, c, l, out_name,
          k, input_what, type, expected_what);
  if (form != OnnxForm::kFloat) {
    result.report_md_section += fmt::format(
        "An ONNX runtime requantises in float (round half to even), our runtime in integers: "
        "its codes can differ from `{}.expected.npy` where a value lies on a rounding tie "
        "(docs/export.md).\n",
        r.name);
  }
  stage.write(r.name + ".md", result.report_md_section);
  result.files = stage.commit();
  return result;
}

}  // namespace physiolite::exporting
