// Exports of a verified int8 graph (.plq) to the files a chip's compiler takes, one function per
// target: `physiolite export` only parses its options and calls them (docs/export.md).
//
// Every target writes into `dir`, atomically as a whole (OutputStage: a temporary folder beside
// it, renamed in file by file at the end): its model file(s), NAME.input.npy (one real window's
// int8 input), NAME.expected.npy (our C runtime's int8 logits for it) and NAME.md (how to take the
// files onto the board). A graph that breaks the target's rules is refused before anything is
// written (UsageError for a scheme that does not match the target, InputError naming the layer
// and the rule otherwise). Torch-free.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/export/onnx_writer.hpp"
#include "physiolite/export/sample_window.hpp"
#include "physiolite/qgraph/graph.hpp"

namespace physiolite::exporting {

struct ExportRequest {
  const qgraph::Graph& graph;  // the verified int8 graph (qgraph::read_plq)
  std::filesystem::path dir;   // output folder (created; files written atomically)
  std::string name;            // file stem
  SampleWindow sample;         // one real int8 input window + our runtime's logits for it
  std::string source;          // where the graph came from (the .plq path), for NAME.md
};

struct ExportResult {
  std::vector<std::filesystem::path> files;  // as written into dir
  std::string report_md_section;             // the target's part of NAME.md
};

// What a vendor compiler said about an export (`--check`).
struct CheckResult {
  bool passed = false;
  std::string verdict;                       // one line: "Vela 3.10: 27 of 27 operators on the NPU"
  std::string report_md_section;             // appended to NAME.md
  std::vector<std::filesystem::path> files;  // kept in dir (Vela's per-layer CSV, ...)
};

// --target we2: NAME.tflite (export/tflite_writer.hpp) + the common files. TFLITE scheme only.
ExportResult export_we2(const ExportRequest& request);
// --target onnx: NAME.onnx in `form` (export/onnx_writer.hpp) + the common files, in the types
// the form takes (docs/export.md: uint8 codes + 128 for the U8 forms; for kFloat the float window
// and our runtime's logits dequantised). Either scheme.
ExportResult export_onnx(const ExportRequest& request, OnnxForm form = OnnxForm::kQdq);

// Runs Vela (`vela`: its wrapper script) on dir/NAME.tflite (written by export_we2) for the WE2
// (Ethos-U55-64, the published WE2 system config `vela_config`, weights in flash): passed when
// every operator runs on the NPU. Keeps Vela's per-layer CSV (NAME_per-layer.csv) and log
// (NAME.vela.txt) in dir and appends the verdict and figures to NAME.md. UsageError when Vela
// cannot be run.
CheckResult check_we2(const ExportRequest& request, const std::filesystem::path& vela,
                      const std::filesystem::path& vela_config);

}  // namespace physiolite::exporting
