// --target we2: the TFLite flatbuffer for the Himax WE2's Ethos-U55, and the Vela check.
#include <fmt/format.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/export/export.hpp"
#include "physiolite/export/npy.hpp"
#include "physiolite/export/output_stage.hpp"
#include "physiolite/export/process.hpp"
#include "physiolite/export/tflite_writer.hpp"
#include "report_md.hpp"

namespace physiolite::exporting {

namespace fs = std::filesystem;

namespace {

// Vela's options for the WE2: the Ethos-U55 with 64 MACs per cycle, the published WE2 system
// config (400 MHz, the tensor arena in SRAM, weights in off-chip flash).
std::vector<std::string> vela_args(const fs::path& vela, const fs::path& config,
                                   const fs::path& out_dir, const fs::path& model) {
  return {vela.string(),        "--accelerator-config",  "ethos-u55-64", "--config",
          config.string(),      "--system-config",       "My_Sys_Cfg",   "--memory-mode",
          "My_Mem_Mode_Parent", "--verbose-performance", "--output-dir", out_dir.string(),
          model.string()};
}

std::string vela_command_md(const std::string& name) {
  return fmt::format(
      "    vela --accelerator-config ethos-u55-64 --config himax_we2.ini \\\n"
      "         --system-config My_Sys_Cfg --memory-mode My_Mem_Mode_Parent \\\n"
      "         --verbose-performance --output-dir out {}.tflite\n",
      name);
}

std::string we2_md(const ExportRequest& r, uintmax_t tflite_size) {
  std::string md = detail::common_md(r, "Himax WE2 (Arm Ethos-U55-64)");
  const auto& in = r.graph.tensors[static_cast<size_t>(r.graph.input)];
  md += fmt::format(
      "## Files\n\n"
      "| file | what |\n|---|---|\n"
      "| `{0}.tflite` | the int8 TFLite model ({1}): CONV_2D with height-1 kernels, "
      "AVERAGE_POOL_2D, ADD, CONCATENATION; per-channel int8 weights, int32 biases, int8 "
      "activations, NHWC with H = 1 |\n"
      "| `{0}.input.npy` | int8, shape (1, 1, {2}, {3}): the check window, NHWC |\n"
      "| `{0}.expected.npy` | int8, shape (1, 1, 1, {4}): our runtime's output codes for it |\n\n",
      r.name, detail::size_text(tflite_size), in.length, in.channels, r.graph.num_classes());
  md += fmt::format(
      "## Onto the board\n\n"
      "1. Compile for the WE2's NPU with Arm Vela 3.10 (`pip install ethos-u-vela==3.10.0`) and "
      "the WE2 system configuration `himax_we2.ini` published for Vela by Himax's partners "
      "(400 MHz, the tensor arena in SRAM on AXI0, the weights in off-chip flash on AXI1):\n\n"
      "{1}\n"
      "   It writes `out/{0}_vela.tflite`, whose NPU part is one `ethos-u` custom operator.\n"
      "2. Build it into the firmware with TensorFlow Lite Micro and the Ethos-U driver (Himax's "
      "WE2 SDK): the model bytes 16-byte aligned in flash, a tensor arena of at least Vela's "
      "SRAM figure, `MicroMutableOpResolver` with `AddEthosU()`.\n"
      "3. Per window, on the Cortex-M55: assemble and quantise the input as above into the "
      "input tensor, `Invoke()`, read the {2} int8 codes of the output tensor.\n"
      "4. Check: the output for `{0}.input.npy` must equal `{0}.expected.npy`.\n\n",
      r.name, vela_command_md(r.name), r.graph.num_classes());
  return md;
}

// "Total cycles   90816 cycles/batch" -> "90816"; empty when absent.
std::string vela_figure(const std::string& log, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(log, m, std::regex(pattern)) ? m[1].str() : "";
}

}  // namespace

ExportResult export_we2(const ExportRequest& r) {
  const std::string origin = r.source.empty() ? r.name : r.source;
  check_file_stem(r.name);
  check_we2_graph(r.graph, origin);  // before anything is written
  OutputStage stage(r.dir);
  const std::vector<uint8_t> model = tflite_bytes(r.graph, origin);
  stage.write(r.name + ".tflite", model);
  const int64_t c = r.sample.channels, l = r.sample.length, k = r.graph.num_classes();
  const std::vector<int64_t> in_shape{1, 1, l, c}, out_shape{1, 1, 1, k};
  stage.write(r.name + ".input.npy", npy_bytes(std::span<const int8_t>(r.sample.input), in_shape));
  stage.write(r.name + ".expected.npy",
              npy_bytes(std::span<const int8_t>(r.sample.logits), out_shape));
  ExportResult result;
  result.report_md_section = we2_md(r, model.size());
  stage.write(r.name + ".md", result.report_md_section +
                                  "## Compiler's verdict\n\nNot checked (`physiolite "
                                  "export ... --check` runs Vela).\n");
  result.files = stage.commit();
  return result;
}

CheckResult check_we2(const ExportRequest& r, const fs::path& vela, const fs::path& vela_config) {
  const fs::path model = r.dir / (r.name + ".tflite");
  if (!fs::is_regular_file(vela)) {
    throw UsageError(
        fmt::format("--vela {}: no such program (Vela 3.10's `vela`; or set "
                    "PHYSIOLITE_VELA)",
                    vela.string()));
  }
  if (!fs::is_regular_file(vela_config)) {
    throw UsageError(
        fmt::format("{}: the WE2 system config for Vela is missing (it is expected "
                    "beside the vela program, as himax_we2.ini)",
                    vela_config.string()));
  }
  OutputStage stage(r.dir);  // Vela writes into its temporary folder; we keep two files
  const fs::path log = stage.staged(r.name + ".vela.txt");
  const int status = run_process(vela_args(vela, vela_config, stage.staged("vela"), model), log);
  std::stringstream text;
  text << std::ifstream(log).rdbuf();
  const std::string out = text.str();
  CheckResult c;
  const std::string cpu = vela_figure(out, R"(CPU operators = (\d+))");
  const std::string npu = vela_figure(out, R"(NPU operators = (\d+))");
  if (status != 0 || cpu.empty() || npu.empty()) {
    c.passed = false;
    c.verdict = fmt::format("Vela failed (exit status {}); see {}", status,
                            (r.dir / (r.name + ".vela.txt")).string());
  } else {
    c.passed = cpu == "0";
    const std::string cycles = vela_figure(out, R"(Total cycles\s+(\d+))");
    const std::string ms = vela_figure(out, R"(Batch Inference time\s+([\d.]+) ms)");
    const std::string sram = vela_figure(out, R"(Total SRAM used\s+([\d.]+) KiB)");
    const std::string flash = vela_figure(out, R"(Total Off-chip Flash used\s+([\d.]+) KiB)");
    const std::string npu_cycles = vela_figure(out, R"(NPU cycles\s+(\d+))");
    c.verdict = fmt::format(
        "Vela 3.10, ethos-u55-64, WE2 config: {} NPU operators, {} CPU operators{}; {} cycles, "
        "{} ms at 400 MHz, SRAM {} KiB, off-chip flash {} KiB",
        npu, cpu, c.passed ? "" : " (FAILED: every operator must run on the NPU)", cycles, ms, sram,
        flash);
    c.report_md_section = fmt::format(
        "## Compiler's verdict\n\n{}.\n\n"
        "| figure | value |\n|---|---:|\n| NPU operators | {} |\n| CPU operators | {} |\n"
        "| NPU cycles | {} |\n| total cycles (weights streamed from flash) | {} |\n"
        "| time at 400 MHz | {} ms |\n| SRAM used | {} KiB |\n| off-chip flash used | {} KiB |\n\n"
        "Vela's per-layer figures: `{}_per-layer.csv`; its full report: `{}.vela.txt`.\n",
        c.passed ? "**Accepted**: every operator runs on the NPU"
                 : "**Refused**: not every "
                   "operator runs on the NPU",
        npu, cpu, npu_cycles, cycles, ms, sram, flash, r.name, r.name);
    const fs::path csv = stage.staged("vela") / (r.name + "_per-layer.csv");
    if (fs::exists(csv)) fs::rename(csv, stage.staged(r.name + "_per-layer.csv"));
  }
  fs::remove_all(stage.staged("vela"));
  c.files = stage.commit();
  if (!c.report_md_section.empty()) {
    // NAME.md: the export's part, then this verdict instead of "not checked".
    std::stringstream md;
    md << std::ifstream(r.dir / (r.name + ".md")).rdbuf();
    std::string body = md.str();
    const auto at = body.find("## Compiler's verdict");
    if (at != std::string::npos) body.resize(at);
    write_file_atomically(r.dir / (r.name + ".md"),
                          [&](std::ostream& o) { o << body << c.report_md_section; });
  }
  return c;
}

}  // namespace physiolite::exporting
