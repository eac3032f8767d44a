// physiolite export --int8 FILE.plq | --run DIR  --target we2|max78000|onnx  -o DIR
//                   [--name NAME] [--check] [--vela PATH] [--izer PATH]
//                   [--onnx-form qdq|qdq-u8|qdq-u8s8|float] [--window FILE.f32]
// Writes the files a chip's compiler takes (docs/export.md); --check runs that compiler on them.
// Parsing only: each target is one library function (physiolite/export/export.hpp).
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "command.hpp"
#include "model_args.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/export/export.hpp"
#include "physiolite/export/max78000.hpp"
#include "physiolite/export/output_stage.hpp"
#include "physiolite/export/tflite_writer.hpp"
#include "physiolite/qgraph/plq_file.hpp"

namespace physiolite::cli {
namespace {

namespace fs = std::filesystem;

struct ExportArgs {
  std::string int8;
  std::string run;
  std::string target;
  std::string out;
  std::string name;
  bool check = false;
  std::string vela;
  std::string izer;
  std::string onnx_form;  // empty: not given (qdq)
  std::string window;
};

// --run DIR: the run's shipped model of the target's scheme.
fs::path model_path(const ExportArgs& a) {
  if (!a.int8.empty() && !a.run.empty())
    throw UsageError("give --int8 FILE.plq or --run DIR, not both");
  if (!a.int8.empty()) return a.int8;
  if (a.run.empty()) throw UsageError("--int8 FILE.plq or --run DIR is required");
  return run_int8_model(
      a.run, a.target == "max78000" ? qgraph::Scheme::kMax78000 : qgraph::Scheme::kTflite);
}

// The run folder of a model: --run, or the folder above FILE.plq's int8/ (where train wrote
// config.json).
fs::path run_dir(const ExportArgs& a, const fs::path& model) {
  if (!a.run.empty()) return a.run;
  return fs::absolute(model).parent_path().parent_path();
}

fs::path tool_path(const std::string& option, const char* env, const char* relative) {
  if (!option.empty()) return option;
  if (const char* v = std::getenv(env); v != nullptr && *v != '\0') return v;
  // The copies kept beside the checkout (CI and tests).
  return fs::current_path() / relative;
}

// --target max78000: the ai8x checkpoint, the network YAML and the check window; with --check,
// izer's synthesis and its bit-accurate simulation of the accelerator against our runtime.
void run_export_max78000(const ExportArgs& a, const exporting::ExportRequest& request) {
  const exporter::Max78000Export e =
      exporter::export_max78000(request.graph, request.dir, request.name, request.sample.input);
  for (const auto& f : e.files) std::cout << "wrote " << f.string() << "\n";
  exporter::Max78000Check check;
  if (a.check) {
    const fs::path izer = tool_path(a.izer, "PHYSIOLITE_IZER", "../shared/tools/izer/izer");
    check = exporter::check_max78000(request.dir, request.name, izer, e.expected);
  }
  const fs::path md = request.dir / (request.name + ".md");
  write_file_atomically(md, [&](std::ostream& out) {
    out << "# " << request.name << " for the MAX78000\n\nFrom `" << request.source
        << "`; check window: " << request.sample.origin << ".\n\n"
        << request.sample.layout << "\n"
        << exporter::max78000_report(e.plan, a.check ? &check : nullptr);
  });
  std::cout << "wrote " << md.string() << "\n";
  if (!a.check) return;
  for (const auto& p : check.problems) std::cout << "izer: " << p << "\n";
  std::cout << fmt::format("izer: {} hardware layers, {} CNN cycles, {} weight bytes, {} MACs\n",
                           check.hardware_layers, check.latency_cycles, check.weight_bytes,
                           check.macs);
  if (!check.passed) throw Error("--check: izer did not accept the network bit for bit");
  std::cout << "izer accepted it; its simulated output equals our runtime's bit for bit\n";
}

// The default NAME: the model file's stem, as izer's identifier for the MAX78000 files. An
// explicit --name is used as given and refused if izer would refuse it.
std::string default_name(const fs::path& model, const std::string& target) {
  const std::string stem = model.stem().string();
  return target == "max78000" ? exporter::max78000_arch_name(stem) : stem;
}

// --window FILE: raw float32 windows (N, C, L) channel-first, the first of which is the check
// window; for a .plq without the run folder its validation split would come from.
exporting::SplitInputs window_file(const fs::path& path, const qgraph::Graph& graph) {
  const auto& t = graph.tensors[static_cast<size_t>(graph.input)];
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  const size_t window = static_cast<size_t>(t.channels) * static_cast<size_t>(t.length);
  if (bytes.size() < window * sizeof(float) || bytes.size() % (window * sizeof(float)) != 0) {
    throw InputError(InputLocation::file(path.string()), "size",
                     fmt::format("whole float32 windows of {} x {} ({} bytes each)", t.channels,
                                 t.length, window * sizeof(float)),
                     fmt::format("{} bytes", bytes.size()));
  }
  exporting::SplitInputs in;
  in.channels = t.channels;
  in.length = t.length;
  in.n = 1;
  in.x.resize(window);
  std::memcpy(in.x.data(), bytes.data(), window * sizeof(float));
  in.dataset = path.filename().string();
  in.layout = fmt::format(
      "Input channels as in `{}` (the model's training layout is not known "
      "without its run folder).\n",
      path.filename().string());
  return in;
}

void run_export(const ExportArgs& a) {
  if (!a.onnx_form.empty() && a.target != "onnx") {
    throw UsageError("--onnx-form applies to --target onnx only");
  }
  const exporting::OnnxForm form =
      a.onnx_form.empty() ? exporting::OnnxForm::kQdq : exporting::parse_onnx_form(a.onnx_form);
  const fs::path model = model_path(a);
  const std::string name = a.name.empty() ? default_name(model, a.target) : a.name;
  exporting::check_file_stem(name);
  if (!fs::is_regular_file(model)) {
    throw UsageError(fmt::format("{}: no such model file", model.string()));
  }
  const std::vector<uint8_t> bytes = read_file_bytes(model);
  const qgraph::Graph graph = qgraph::parse_plq(bytes, model.string());
  // Cheap refusals before the window is built: the scheme and rules, an unwritable DIR.
  if (a.target == "we2") exporting::check_we2_graph(graph, model.string());
  if (a.target == "max78000") exporter::plan_max78000(graph, name);
  { const exporting::OutputStage probe(a.out); }
  const qgraph::RuntimeModel runtime(bytes, model.string());
  const bool own_window = !a.window.empty();
  const exporting::SplitInputs inputs =
      own_window ? window_file(a.window, graph)
                 : exporting::run_split_inputs(run_dir(a, model), data::Split::kValidation,
                                               shared_data_dir());
  const exporting::ExportRequest request{
      .graph = graph,
      .dir = a.out,
      .name = name,
      .sample = exporting::sample_window(runtime, inputs, 0, own_window ? "given" : "validation"),
      .source = model.string()};
  exporting::ExportResult result;
  if (a.target == "we2") {
    result = exporting::export_we2(request);
  } else if (a.target == "onnx") {
    result = exporting::export_onnx(request, form);
  } else {
    return run_export_max78000(a, request);
  }
  for (const auto& f : result.files) std::cout << "wrote " << f.string() << "\n";
  if (!a.check) return;
  if (a.target == "onnx") {
    std::cout << "onnx.checker (full check, strict shape inference) accepted it when written\n";
    return;
  }
  const fs::path vela = tool_path(a.vela, "PHYSIOLITE_VELA", "../shared/tools/vela/vela");
  const exporting::CheckResult check =
      exporting::check_we2(request, vela, vela.parent_path() / "himax_we2.ini");
  for (const auto& f : check.files) std::cout << "wrote " << f.string() << "\n";
  std::cout << check.verdict << "\n";
  if (!check.passed) throw Error(fmt::format("--check: {}", check.verdict));
}

const bool registered = register_command(55, [](CLI::App& app) {
  auto* sub = app.add_subcommand(
      "export", "Write a model's files for a chip's compiler (WE2, MAX78000, ONNX)");
  auto a = std::make_shared<ExportArgs>();
  sub->add_option("--int8", a->int8, "The int8 model (.plq) to export");
  sub->add_option("--run", a->run,
                  "A run folder: its int8/tflite-qat.plq (we2, onnx) or int8/max78000-qat.plq");
  sub->add_option("--target", a->target, "Target: we2, max78000 or onnx")
      ->required()
      ->check(CLI::IsMember({"we2", "max78000", "onnx"}));
  sub->add_option("-o,--out", a->out, "Output folder (created)")->required();
  sub->add_option("--name", a->name, "File stem (default: the model file's)");
  sub->add_flag(
      "--check", a->check,
      "Run the target's compiler on the files (we2: Vela; max78000: izer, bit-exact; onnx: "
      "onnx.checker); exit 1 "
      "unless it accepts them whole");
  sub->add_option("--vela", a->vela,
                  "Vela 3.10 (default $PHYSIOLITE_VELA, else ../shared/tools/vela/vela); its "
                  "folder must hold himax_we2.ini");
  sub->add_option(
      "--izer", a->izer,
      "The ai8x-synthesis izer (default $PHYSIOLITE_IZER, else ../shared/tools/izer/izer)");
  sub->add_option(
         "--onnx-form", a->onnx_form,
         "With --target onnx: qdq (default: int8 QDQ), qdq-u8 (uint8 activations and weights, what "
         "ONNX Runtime computes exactly on x86), qdq-u8s8 (uint8 activations, int8 "
         "weights) or float (dequantised weights, takes the real window)")
      ->check(CLI::IsMember({"qdq", "qdq-u8", "qdq-u8s8", "float"}));
  sub->add_option("--window", a->window,
                  "Float32 windows (N, C, L), raw, channel-first: the first is the check window "
                  "(default: the first validation window of the model's run)");
  sub->footer(
      "Example:\n"
      "  physiolite export --run models/mitbih-wavelet-seed1 --target we2 -o out/we2 --check\n"
      "writes out/we2/tflite-qat.tflite, .input.npy, .expected.npy and .md, then runs Vela for "
      "the WE2 (docs/export.md).");
  sub->callback([a] { run_export(*a); });
});

}  // namespace
}  // namespace physiolite::cli
