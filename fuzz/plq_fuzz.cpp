// libFuzzer target: arbitrary bytes as a .plq file for the C++ reader (qgraph::parse_plq), then
// the arena plan check and a re-serialisation of whatever parsed. Only InputError may escape; the
// C runtime's verifier has its own target (plrt_model_fuzz.c).
#include <cstddef>
#include <cstdint>
#include <span>

#include "physiolite/core/error.hpp"
#include "physiolite/qgraph/plq_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const physiolite::qgraph::Graph graph =
        physiolite::qgraph::parse_plq(std::span<const uint8_t>(data, size), "fuzz.plq");
    // A graph the reader accepted must serialise again (PL_CHECK would throw Error otherwise).
    (void)physiolite::qgraph::serialize_plq(graph);
  } catch (const physiolite::InputError&) {
  }
  return 0;
}
