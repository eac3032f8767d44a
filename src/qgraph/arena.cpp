#include "physiolite/qgraph/arena.hpp"

#include <algorithm>
#include <numeric>

#include "physiolite/core/error.hpp"

namespace physiolite::qgraph {

namespace {

struct Lifetime {
  int first = 0, last = 0;  // op indices, inclusive; -1 = before the first op
  bool overlaps(const Lifetime& o) const { return first <= o.last && o.first <= last; }
};

std::vector<Lifetime> lifetimes(const Graph& g) {
  const auto n_ops = static_cast<int>(g.ops.size());
  std::vector<Lifetime> life(g.tensors.size(), Lifetime{-1, -1});
  std::vector<bool> written(g.tensors.size(), false);
  for (int i = 0; i < n_ops; ++i) {
    const Op& op = g.ops[static_cast<size_t>(i)];
    for (int in : op.inputs) life[static_cast<size_t>(in)].last = i;
    auto& out = life[static_cast<size_t>(op.output)];
    if (!written[static_cast<size_t>(op.output)]) out.first = out.last = i;
    written[static_cast<size_t>(op.output)] = true;
  }
  life[static_cast<size_t>(g.input)].first = -1;
  life[static_cast<size_t>(g.output)].last = n_ops;
  return life;
}

int64_t align4(int64_t n) { return (n + 3) / 4 * 4; }

}  // namespace

void plan_arena(Graph& g) {
  PL_CHECK(!find_problem(g), "plan_arena: the graph is not valid");
  const std::vector<Lifetime> life = lifetimes(g);
  std::vector<size_t> order(g.tensors.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return g.tensors[a].bytes() > g.tensors[b].bytes(); });
  struct Placed {
    int64_t begin, end;
  };
  std::vector<std::pair<size_t, Placed>> placed;
  int64_t arena = 0;
  for (size_t t : order) {
    std::vector<Placed> busy;
    for (const auto& [other, span] : placed) {
      if (life[t].overlaps(life[other])) busy.push_back(span);
    }
    std::sort(busy.begin(), busy.end(),
              [](const Placed& a, const Placed& b) { return a.begin < b.begin; });
    const int64_t size = g.tensors[t].bytes();
    int64_t offset = 0;
    for (const Placed& b : busy) {
      if (offset + size <= b.begin) break;
      offset = std::max(offset, align4(b.end));
    }
    placed.push_back({t, Placed{offset, offset + size}});
    g.tensors[t].arena_offset = static_cast<uint32_t>(offset);
    arena = std::max(arena, align4(offset + size));
  }
  g.arena_size = static_cast<uint32_t>(arena);
}

}  // namespace physiolite::qgraph
