#include "physiolite/quant/quantizer.hpp"

#include <fmt/format.h>

#include "physiolite/core/error.hpp"
#include "physiolite/quant/qat.hpp"

namespace physiolite::quant {

void QatOptions::validate() const {
  if (epochs < 0) throw UsageError(fmt::format("--qat: expected epochs >= 0, got {}", epochs));
  if (ranges != "frozen" && ranges != "ema") {
    throw UsageError(fmt::format("--qat-ranges: expected frozen or ema, got '{}'", ranges));
  }
  if (!(lr_factor > 0)) {
    throw UsageError(fmt::format("--qat-lr-factor: expected a number > 0, got {}", lr_factor));
  }
}

CalibrationOptions recipe_calibration(const std::string& dataset, qgraph::Scheme scheme) {
  CalibrationOptions c;
  c.method = "percentile";
  c.percentile = dataset == "mitbih" && scheme == qgraph::Scheme::kMax78000 ? 99.99 : 99.9;
  return c;
}

void QuantizeOptions::validate() const {
  calibration.validate();
  qat.validate();
  if (pool_round_half_up && scheme != qgraph::Scheme::kMax78000) {
    throw UsageError("--pool-rounding half-up: only the max78000 scheme rounds pools that way");
  }
  if (pool_truncate && (pool_round_half_up || scheme != qgraph::Scheme::kMax78000)) {
    throw UsageError("--pool-rounding truncate: only the max78000 scheme, and not with half-up");
  }
}

QuantizeResult quantize_model(train::TrainedModel& m, const data::WindowSet& train_set,
                              const data::WindowSet& validation, const QuantizeOptions& options) {
  options.validate();
  if (!m.net) {
    throw UsageError(fmt::format(
        "{}: model.type '{}' is a distillation teacher; only a PhysioLite student is quantised",
        m.checkpoint.string(), m.model_config.type));
  }
  const std::vector<Node> plan = plan_network(m.model_config);
  const train::InputAssembler assembler(m.model_config, train_set.c, train_set.side_dim);
  m.net->eval();
  QuantizeResult r;
  r.calibration =
      calibrate(plan, conv_weights(m.net, plan), train_set, assembler, options.calibration);
  const BuildOptions build{.scheme = options.scheme,
                           .pool_round_half_up = options.pool_round_half_up,
                           .pool_truncate = options.pool_truncate};
  if (options.qat.epochs > 0) {
    QatOutcome qat =
        fine_tune_qat(m, plan, r.calibration, build, train_set, validation, options.qat);
    r.qat_history = std::move(qat.history);
    r.selected_epoch = qat.selected_epoch;
    r.calibration = std::move(qat.ranges);
  }
  r.graph = build_graph(plan, conv_weights(m.net, plan),
                        choose_params(plan, r.calibration, options.scheme), build);
  return r;
}

}  // namespace physiolite::quant
