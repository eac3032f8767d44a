// Where every tensor of a graph lives in the runtime's single working buffer.
//
// A tensor is live from the op that writes it to the last op that reads it (the graph input from
// before the first op, the graph output to after the last). Tensors are placed largest first at
// the lowest 4-aligned offset that overlaps no placed tensor live at the same time (greedy
// first-fit, as TFLite Micro's greedy planner). An op's output and inputs are live together, so
// they never share bytes.
#pragma once

#include "physiolite/qgraph/graph.hpp"

namespace physiolite::qgraph {

// Sets every tensor's arena_offset and the graph's arena_size. The graph must be valid
// (find_problem() == nullopt).
void plan_arena(Graph& graph);

}  // namespace physiolite::qgraph
