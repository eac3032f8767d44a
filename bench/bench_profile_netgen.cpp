// Generates small random networks for fitting and checking the chip cost models (src/profile/,
// docs/profile.md): each one as a POW2 graph exported with our MAX78000 exporter (izer's
// checkpoint + YAML) and as a TFLITE graph written with our TFLite writer (Vela's input), plus
// both .plq files so that `physiolite profile --int8` can predict the same network.
//   bench_profile_netgen OUT FIRST_SEED COUNT
// writes OUT/netSEED/{max.plq, we2.plq, we2.tflite, max/...} for COUNT accepted networks from
// FIRST_SEED on (a network that breaks a chip rule is skipped, its seed named on stderr);
//   bench_profile_netgen OUT --run RUN_DIR NAME
// the same for the network of a run's config.json (the shipped models' topology).
// Shapes cover what the cost rules depend on: kernel sizes 1-9, channel counts on both sides of
// the MAX78000's 64 processors (multi-pass layers), fused average pools, element-wise adds and
// lengths from 16 to 1024.
#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "physiolite/arch/config_override.hpp"
#include "physiolite/core/atomic_file.hpp"
#include "physiolite/core/error.hpp"
#include "physiolite/core/file_io.hpp"
#include "physiolite/export/max78000.hpp"
#include "physiolite/export/tflite_writer.hpp"
#include "physiolite/profile/config_graph.hpp"
#include "physiolite/qgraph/plq_file.hpp"

namespace {

using physiolite::qgraph::Graph;
using physiolite::qgraph::Scheme;
namespace fs = std::filesystem;

struct Rng {
  uint64_t s;
  uint32_t next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(s >> 33);
  }
  int pick(std::initializer_list<int> v) { return v.begin()[next() % v.size()]; }
  bool chance(int percent) { return static_cast<int>(next() % 100) < percent; }
};

// The network of one seed, in either scheme (the same shapes: the rng draws the shapes first,
// then the weights, from two streams).
Graph make_net(uint64_t seed, Scheme scheme) {
  Rng shape{seed * 7919 + 17};
  physiolite::profile::GraphBuilder b(scheme, seed);
  int x = b.input(shape.pick({1, 2, 3, 4, 8, 12}),
                  shape.pick({64, 96, 128, 200, 256, 360, 512, 720, 1000}));
  const int blocks = shape.pick({2, 3, 4, 5});
  for (int i = 0; i < blocks; ++i) {
    if (shape.chance(35) && b.tensor(x).length >= 32) {
      const int p = shape.pick({2, 3});
      x = b.pool(x, p, p);
    }
    const int co = shape.pick({4, 8, 16, 24, 32, 48, 64, 64, 128, 192, 256});
    const int k = shape.pick({1, 3, 3, 5, 7, 9});
    // Both chips: TFLite pads SAME or VALID, the MAX78000 at most 2.
    x = b.conv(x, co, k, k / 2 <= 2 ? k / 2 : 0, true);
    if (shape.chance(30)) {
      const int k2 = shape.pick({1, 3});
      x = b.add(b.conv(x, co, k2, k2 / 2, false), x);
    }
  }
  // Down to at most 16 samples (the MAX78000's largest pool), each pool fused into a conv.
  while (b.tensor(x).length > 16) {
    const int p = shape.pick({2, 3});
    x = b.conv(b.pool(x, p, p), b.tensor(x).channels, 1, 0, true);
  }
  x = b.pool(x, b.tensor(x).length, 1);
  return b.finish(b.conv(x, shape.pick({2, 3, 5, 8}), 1, 0, false));
}

// The shapes the fitting script (scripts/profile_fit.py) joins with izer's and Vela's per-layer
// figures: max_layers.csv (one row per izer layer), we2_ops.csv (one row per TFLite operator).
void write_shapes(const fs::path& dir, const physiolite::exporter::Max78000Plan& plan,
                  const Graph& we2) {
  using K = physiolite::exporter::Max78000Layer::Kind;
  physiolite::write_file_atomically(dir / "max_layers.csv", [&](std::ostream& o) {
    o << "kind,cin,cout,lin,lout,kernel,pad,pool,pool_stride\n";
    for (const auto& l : plan.layers) {
      const char* kind = l.kind == K::kConv1d ? "conv" : l.kind == K::kAdd ? "add" : "pass";
      o << fmt::format("{},{},{},{},{},{},{},{},{}\n", kind, l.in_channels, l.out_channels,
                       l.in_length, l.out_length, l.kernel, l.pad, l.pool, l.pool_stride);
    }
  });
  physiolite::write_file_atomically(dir / "we2_ops.csv", [&](std::ostream& o) {
    o << "type,cin,cout,lin,lout,kernel,pad,stride\n";
    for (const auto& op : we2.ops) {
      const auto& in = we2.tensors[static_cast<size_t>(op.inputs[0])];
      const auto& out = we2.tensors[static_cast<size_t>(op.output)];
      o << fmt::format("{},{},{},{},{},{},{},{}\n", physiolite::qgraph::to_string(op.type),
                       in.channels, out.channels, in.length, out.length, op.kernel, op.pad,
                       op.stride);
    }
  });
}

}  // namespace

// Writes one network in both schemes (see the file comment); rule violations throw.
void write_net(const fs::path& dir, const std::string& name, const Graph& max, const Graph& we2,
               uint64_t seed) {
  const auto plan = physiolite::exporter::plan_max78000(max, name);
  physiolite::exporting::check_we2_graph(we2, name);
  fs::create_directories(dir / "max");
  physiolite::qgraph::write_plq(max, dir / "max.plq");
  physiolite::qgraph::write_plq(we2, dir / "we2.plq");
  const std::vector<uint8_t> tfl = physiolite::exporting::tflite_bytes(we2, name);
  physiolite::write_file_atomically(dir / "we2.tflite", [&](std::ostream& o) {
    o.write(reinterpret_cast<const char*>(tfl.data()), static_cast<std::streamsize>(tfl.size()));
  });
  const auto& in = max.tensors[static_cast<size_t>(max.input)];
  std::vector<int8_t> codes(static_cast<size_t>(in.channels * in.length));
  Rng r{seed};
  for (auto& c : codes) c = static_cast<int8_t>(static_cast<int>(r.next() % 255) - 127);
  physiolite::exporter::export_max78000(max, dir / "max", name, codes);
  write_shapes(dir, plan, we2);
}

// The network of a run's model config (`--run DIR NAME`): the shipped models' shapes, with made-up
// weights (config_graph.hpp), so that izer and Vela can be run on the topology the profile costs.
physiolite::arch::ModelConfig run_config(const fs::path& run) {
  const auto j = nlohmann::json::parse(physiolite::read_text_file(run / "config.json"));
  return physiolite::arch::model_config_from_json(j.at("model"));
}

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[2]) == "--run") {
    const auto config = run_config(argv[3]);
    const fs::path dir = fs::path(argv[1]) / argv[4];
    write_net(dir, argv[4], physiolite::profile::graph_of_config(config, Scheme::kMax78000),
              physiolite::profile::graph_of_config(config, Scheme::kTflite), 1);
    std::cout << dir.string() << "\n";
    return 0;
  }
  if (argc != 4) {
    std::cerr << "usage: bench_profile_netgen OUT FIRST_SEED COUNT | OUT --run DIR NAME\n";
    return 2;
  }
  const fs::path out = argv[1];
  const uint64_t first = std::stoull(argv[2]);
  const int count = std::stoi(argv[3]);
  int made = 0;
  for (uint64_t seed = first; made < count && seed < first + 50ull * count; ++seed) {
    const fs::path dir = out / fmt::format("net{}", seed);
    try {
      const Graph max = make_net(seed, Scheme::kMax78000);
      const Graph we2 = make_net(seed, Scheme::kTflite);
      write_net(dir, fmt::format("net{}", seed), max, we2, seed);
      std::cout << dir.string() << "\n";
      ++made;
    } catch (const physiolite::Error& e) {
      std::cerr << "seed " << seed << " skipped: " << e.what() << "\n";
      fs::remove_all(dir);
    }
  }
  return made == count ? 0 : 1;
}
