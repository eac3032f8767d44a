// The MAX78000 export's files: izer's YAML, the ai8x checkpoint (through Debian's python3-torch:
// izer reads it with torch.load, and a torch-free module cannot pickle tensors), the sample
// input and the expected wide logits as .npy.
#include <fmt/format.h>
#include <sys/wait.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/export/max78000.hpp"
#include "physiolite/qgraph/plq_file.hpp"
#include "plrt_model.h"

namespace physiolite::exporter {

namespace {

// Builds the ai8x checkpoint from the manifest the exporter writes: per layer, in izer's layer
// order (it assigns checkpoint weights to layers in key order), `<name>.op.weight` (integer codes
// in a float tensor, (out, in, k)), `<name>.op.bias` (code x 2^(weight_bits - 1), as ai8x's QAT
// stores it; izer divides it back), `output_shift`, `weight_bits`, `bias_bits`,
// `quantize_activation`, `adjust_output_shift`, `shift_quantile`.
constexpr const char* kCheckpointScript = R"PY(
import collections, json, os, sys
import torch
manifest, out = sys.argv[1], sys.argv[2]
with open(manifest) as f:
    m = json.load(f)
sd = collections.OrderedDict()
for l in m['layers']:
    n = l['name']
    one = lambda v: torch.tensor([float(v)], dtype=torch.float32)
    sd[n + '.output_shift'] = one(l['output_shift'])
    sd[n + '.weight_bits'] = one(8)
    sd[n + '.bias_bits'] = one(8)
    sd[n + '.quantize_activation'] = one(1)
    sd[n + '.adjust_output_shift'] = one(0)
    sd[n + '.shift_quantile'] = one(1)
    sd[n + '.op.weight'] = torch.tensor(l['weights'], dtype=torch.float32).reshape(l['shape'])
    if l['bias']:
        sd[n + '.op.bias'] = torch.tensor([b * 128.0 for b in l['bias']], dtype=torch.float32)
torch.save({'epoch': 0, 'arch': m['arch'], 'state_dict': sd}, out)
)PY";

std::string hex64(uint64_t v) { return fmt::format("0x{:016x}", v); }

void write_npy(const std::filesystem::path& path, const std::vector<int64_t>& shape,
               const std::vector<int64_t>& values) {
  std::string dims;
  for (int64_t d : shape) dims += fmt::format("{}, ", d);
  if (shape.size() > 1) dims.resize(dims.size() - 2);
  std::string header =
      fmt::format("{{'descr': '<i8', 'fortran_order': False, 'shape': ({}), }}", dims);
  // Magic (6) + version (2) + length (2) + header + '\n', padded to a multiple of 64.
  const size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
  header.append(total - 10 - header.size() - 1, ' ');
  header += '\n';
  write_file_atomically(path, [&](std::ostream& out) {
    out.write("\x93NUMPY\x01\x00", 8);
    const auto n = static_cast<uint16_t>(header.size());
    out.put(static_cast<char>(n & 0xff));
    out.put(static_cast<char>(n >> 8));
    out << header;
    out.write(reinterpret_cast<const char*>(values.data()),
              static_cast<std::streamsize>(values.size() * sizeof(int64_t)));
  });
}

std::string quote(const std::filesystem::path& p) {
  std::string s = "'";
  for (char c : p.string()) s += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return s + "'";
}

}  // namespace

std::string max78000_yaml(const Max78000Plan& plan) {
  std::ostringstream y;
  y << "# MAX78000 network for ai8x-synthesis (izer), written by physiolite export\n";
  y << "arch: " << plan.arch << "\n";
  y << "dataset: physiolite\n";
  y << "layers:\n";
  for (size_t i = 0; i < plan.layers.size(); ++i) {
    const Max78000Layer& l = plan.layers[i];
    y << "  - name: " << l.name << "\n";
    switch (l.kind) {
      case Max78000Layer::Kind::kConv1d:
        y << fmt::format("    # graph op {}: {}x{} -> {}x{}\n", l.graph_op, l.in_channels,
                         l.in_length, l.out_channels, l.out_length);
        y << "    op: conv1d\n";
        y << "    kernel_size: " << l.kernel << "\n";
        y << "    pad: " << l.pad << "\n";
        if (l.pool > 1 || l.pool_stride > 1) {
          y << "    avg_pool: " << l.pool << "\n";
          y << "    pool_stride: " << l.pool_stride << "\n";
        }
        y << "    activate: " << (l.relu ? "ReLU" : "None") << "\n";
        break;
      case Max78000Layer::Kind::kPassthrough:
        y << fmt::format("    # copy of the skip operand of graph op {} (ADD)\n", l.graph_op);
        y << "    op: passthrough\n";
        break;
      case Max78000Layer::Kind::kAdd:
        y << fmt::format("    # graph op {}: ADD\n", l.graph_op);
        y << "    op: add\n";
        y << "    operands: 2\n";
        break;
    }
    if (i == 0) y << "    data_format: HWC\n";
    if (!l.in_sequences.empty()) {
      y << "    in_sequences: [";
      for (size_t k = 0; k < l.in_sequences.size(); ++k) {
        y << (k ? ", " : "") << l.in_sequences[k];
      }
      y << "]\n";
    }
    y << "    processors: " << hex64(l.processors) << "\n";
    y << "    output_processors: " << hex64(l.output_processors) << "\n";
    y << fmt::format("    in_offset: 0x{:04x}\n", l.in_offset);
    y << fmt::format("    out_offset: 0x{:04x}\n", l.out_offset);
    if (l.write_gap) y << "    write_gap: " << l.write_gap << "\n";
    if (l.wide_output) y << "    output_width: 32\n";
  }
  return y.str();
}

std::vector<int32_t> max78000_wide_output(const qgraph::Graph& graph,
                                          const std::vector<int8_t>& input_codes) {
  const std::vector<uint8_t> bytes = qgraph::serialize_plq(graph);
  std::vector<uint32_t> buffer((bytes.size() + 3) / 4);
  std::memcpy(buffer.data(), bytes.data(), bytes.size());
  plrt_model model{};
  plrt_error error{};
  PL_CHECK(plrt_model_init(&model, buffer.data(), bytes.size(), &error) == PLRT_OK, error.reason);
  PL_CHECK(input_codes.size() ==
               static_cast<size_t>(plrt_input_channels(&model)) * plrt_input_length(&model),
           "input codes of another shape");
  std::vector<uint8_t> arena(plrt_model_arena_size(&model));
  std::memcpy(plrt_input(&model, arena.data()), input_codes.data(), input_codes.size());
  PL_CHECK(plrt_invoke(&model, arena.data(), arena.size(), PLRT_KERNELS_OPTIMIZED) == PLRT_OK,
           "plrt_invoke failed");
  const auto& out = graph.tensors.at(static_cast<size_t>(graph.output));
  std::vector<int32_t> acc(static_cast<size_t>(out.channels) * out.length);
  PL_CHECK(plrt_output_accumulators(&model, arena.data(), acc.data()) == PLRT_OK,
           "the last op is not the conv writing the output");
  return acc;
}

Max78000Export export_max78000(const qgraph::Graph& graph, const std::filesystem::path& dir,
                               const std::string& name, const std::vector<int8_t>& input_codes,
                               const std::string& python) {
  Max78000Export result;
  result.plan = plan_max78000(graph, name);  // every rule, before anything is written
  const auto& in = graph.tensors.at(static_cast<size_t>(graph.input));
  if (input_codes.size() != static_cast<size_t>(in.bytes())) {
    throw UsageError(fmt::format("MAX78000 export: sample input of {} codes, expected {} x {}",
                                 input_codes.size(), in.channels, in.length));
  }
  if (!std::filesystem::is_directory(dir)) {
    throw UsageError(fmt::format("-o: {} is not a directory", dir.string()));
  }
  result.expected = max78000_wide_output(graph, input_codes);

  // Everything goes to a private folder first and is moved into `dir` at the end.
  const std::filesystem::path work = dir / fmt::format(".{}.max78000.tmp", name);
  std::filesystem::remove_all(work);
  std::error_code ec;
  if (!std::filesystem::create_directory(work, ec)) {
    throw UsageError(fmt::format("-o: cannot write into {}: {}", dir.string(), ec.message()));
  }
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() {
      std::error_code e;
      std::filesystem::remove_all(p, e);
    }
  } cleanup{work};

  const std::string yaml = max78000_yaml(result.plan);
  write_file_atomically(work / (name + ".yaml"), [&](std::ostream& o) { o << yaml; });

  nlohmann::json manifest{{"arch", name}, {"layers", nlohmann::json::array()}};
  for (const Max78000Layer& l : result.plan.layers) {
    if (l.kind != Max78000Layer::Kind::kConv1d) continue;  // no weights
    std::vector<int> w(l.weights.begin(), l.weights.end());
    std::vector<int> b(l.bias.begin(), l.bias.end());
    manifest["layers"].push_back({{"name", l.name},
                                  {"shape", {l.out_channels, l.in_channels, l.kernel}},
                                  {"weights", w},
                                  {"bias", b},
                                  {"output_shift", l.output_shift}});
  }
  write_file_atomically(work / "manifest.json", [&](std::ostream& o) { o << manifest.dump(); });
  write_file_atomically(work / "checkpoint.py", [&](std::ostream& o) { o << kCheckpointScript; });
  const std::filesystem::path ckpt = work / (name + "-q.pth.tar");
  const std::string command =
      fmt::format("{} {} {} {} > {} 2>&1", quote(python), quote(work / "checkpoint.py"),
                  quote(work / "manifest.json"), quote(ckpt), quote(work / "python.log"));
  const int status = std::system(command.c_str());
  if (status != 0 || !std::filesystem::exists(ckpt)) {
    std::ifstream log(work / "python.log");
    std::stringstream text;
    text << log.rdbuf();
    throw Error(fmt::format(
        "MAX78000 export: writing the checkpoint with {} failed (needs Debian's python3-torch; "
        "exit {}): {}",
        python, WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()));
  }

  // izer's --sample-input: int64 [C][L] of int8 values; ours are channel-last [L][C].
  std::vector<int64_t> chw(input_codes.size());
  for (int t = 0; t < in.length; ++t) {
    for (int c = 0; c < in.channels; ++c) {
      chw[static_cast<size_t>(c) * in.length + t] =
          input_codes[static_cast<size_t>(t) * in.channels + c];
    }
  }
  write_npy(work / (name + ".input.npy"), {in.channels, in.length}, chw);
  write_npy(work / (name + ".expected.npy"), {static_cast<int64_t>(result.expected.size())},
            std::vector<int64_t>(result.expected.begin(), result.expected.end()));

  for (const std::string& file : std::vector<std::string>{
           name + "-q.pth.tar", name + ".yaml", name + ".input.npy", name + ".expected.npy"}) {
    std::filesystem::rename(work / file, dir / file);
    result.files.push_back(dir / file);
  }
  return result;
}

}  // namespace physiolite::exporter
