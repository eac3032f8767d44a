// Multi-segment records: a layout header lists segments ("name length"; "~" is a gap of invalid
// samples). If the first segment has length 0 it is a layout segment whose header names the
// record's signals (variable layout: each segment may hold a subset, matched by description,
// with its own gain and baseline); otherwise every segment has the first one's signals (fixed
// layout). Each segment is read as a single-segment record and the pieces are joined.
#include <fmt/format.h>

#include <cmath>

#include "physiolite/core/error.hpp"
#include "physiolite/io/wfdb_signal.hpp"
#include "wfdb_record_detail.hpp"

namespace physiolite::io::detail {

namespace {

struct SegmentPlan {
  int index = 0;               // in header.segments
  int64_t record_begin = 0;    // first sample of the segment in the whole record
  int64_t begin = 0, end = 0;  // the part wanted, in segment samples
  std::vector<int> signal_of;  // output signal -> segment signal, or -1
  WfdbHeader header;
};

bool is_gap(const WfdbSegment& s) { return s.name == "~"; }

std::vector<int> match_signals(const std::vector<WfdbSignalSpec>& layout, const WfdbHeader& segment,
                               bool variable, const std::string& segment_path) {
  std::vector<int> signal_of(layout.size(), -1);
  for (size_t s = 0; s < layout.size(); ++s) {
    if (!variable) {
      if (segment.signals.size() != layout.size()) {
        throw InputError(InputLocation::file(segment_path), "number of signals",
                         fmt::format("{} as in the first segment (fixed layout)", layout.size()),
                         std::to_string(segment.signals.size()));
      }
      signal_of[s] = static_cast<int>(s);
    } else {
      for (size_t k = 0; k < segment.signals.size(); ++k) {
        if (segment.signals[k].description == layout[s].description) {
          signal_of[s] = static_cast<int>(k);
          break;
        }
      }
    }
    if (signal_of[s] >= 0 && segment.signals[static_cast<size_t>(signal_of[s])].samples_per_frame !=
                                 layout[s].samples_per_frame) {
      throw InputError(
          InputLocation::file(segment_path),
          fmt::format("signal '{}' samples per frame", layout[s].description),
          fmt::format("{} as in the layout", layout[s].samples_per_frame),
          std::to_string(segment.signals[static_cast<size_t>(signal_of[s])].samples_per_frame));
    }
  }
  return signal_of;
}

// Segment digital values in the record's scale (layout gain and baseline), invalid kept invalid.
void copy_samples(const std::vector<int32_t>& src, const WfdbSignalSpec& from,
                  const WfdbSignalSpec& to, int32_t* dst) {
  const int32_t invalid_from = wfdb_invalid_sample(from.format);
  const int32_t invalid_to = wfdb_invalid_sample(to.format);
  const bool same_scale = from.adc_gain == to.adc_gain && from.baseline == to.baseline;
  for (size_t i = 0; i < src.size(); ++i) {
    const int32_t v = src[i];
    if (v == invalid_from) {
      dst[i] = invalid_to;
    } else if (same_scale) {
      dst[i] = v;
    } else {
      const double physical = (v - from.baseline) / from.adc_gain;
      dst[i] = static_cast<int32_t>(std::lround(physical * to.adc_gain + to.baseline));
    }
  }
}

// Gaps ("~") have no file behind them, so a layout header of a few bytes could ask for terabytes
// of invalid samples. The part read is capped at kMaxValues (1 GiB of int32), far above a whole
// PhysioNet multi-segment record; a longer one can still be read in parts with a sample range.
constexpr int64_t kMaxValues = int64_t{1} << 28;

void check_output_size(const std::vector<WfdbSignalSpec>& layout, int64_t samples,
                       const std::string& header_path) {
  int64_t values = 0;
  for (const auto& spec : layout) {
    int64_t signal_values = 0;
    if (__builtin_mul_overflow(samples, int64_t{spec.samples_per_frame}, &signal_values) ||
        __builtin_add_overflow(values, signal_values, &values) || values > kMaxValues) {
      throw InputError(
          InputLocation::file(header_path), "number of samples",
          fmt::format("at most {} values in the part read (read a longer record in parts)",
                      kMaxValues),
          fmt::format("{} samples of {} signals", samples, layout.size()));
    }
  }
}

}  // namespace

WfdbRecord read_multi_segment_record(const std::filesystem::path& record, WfdbHeader header,
                                     const WfdbReadOptions& options) {
  std::filesystem::path header_path = record;
  header_path += ".hea";
  const std::filesystem::path dir = record.parent_path();
  const std::vector<WfdbSegment> segments = header.segments;  // header is moved below
  const bool variable = !segments.empty() && segments.front().num_samples == 0;

  std::vector<WfdbSignalSpec> layout;
  for (const auto& segment : segments) {
    if (is_gap(segment)) continue;
    check_inside_record_folder(segment.name, header_path.string(), "segment name",
                               options.allow_outside_paths);
    layout = read_wfdb_header(dir / segment.name).signals;
    break;
  }

  int64_t total = 0;
  for (const auto& segment : segments) {
    if (__builtin_add_overflow(total, segment.num_samples, &total)) {
      throw InputError(InputLocation::file(header_path.string()), "segment lengths",
                       "a total that fits in 64 bits", "segment lengths that overflow");
    }
  }
  if (header.num_samples >= 0 && header.num_samples != total) {
    throw InputError(InputLocation::file(header_path.string()), "number of samples",
                     fmt::format("the sum of the segment lengths ({})", total),
                     std::to_string(header.num_samples));
  }
  const int64_t end = check_sample_range(record, options, total);

  // Plan the segments that overlap [begin, end) and fix each output signal's format (the first
  // segment holding it), so that its invalid code is known before copying.
  std::vector<SegmentPlan> plans;
  std::vector<bool> format_set(layout.size(), false);
  int64_t at = 0;
  for (int i = variable ? 1 : 0; i < static_cast<int>(segments.size()); ++i) {
    const auto& segment = segments[static_cast<size_t>(i)];
    const int64_t seg_begin = at;
    at += segment.num_samples;
    const int64_t lo = std::max(options.begin_sample, seg_begin);
    const int64_t hi = std::min(end, at);
    if (lo >= hi || is_gap(segment)) continue;
    SegmentPlan plan{i, seg_begin, lo - seg_begin, hi - seg_begin, {}, {}};
    std::filesystem::path seg_record = dir / segment.name;
    std::string seg_header_path = seg_record.string() + ".hea";
    plan.header = read_wfdb_header(seg_record);
    if (plan.header.num_segments > 0) {
      throw InputError(InputLocation::file(seg_header_path), "number of segments",
                       "a single-segment record inside a multi-segment one",
                       std::to_string(plan.header.num_segments));
    }
    if (plan.header.num_samples >= 0 && plan.header.num_samples < segment.num_samples) {
      throw InputError(InputLocation::file(seg_header_path), "number of samples",
                       fmt::format("at least {} as {} says", segment.num_samples,
                                   header_path.filename().string()),
                       std::to_string(plan.header.num_samples));
    }
    plan.signal_of = match_signals(layout, plan.header, variable, seg_header_path);
    for (size_t s = 0; s < layout.size(); ++s) {
      if (plan.signal_of[s] >= 0 && !format_set[s]) {
        layout[s].format = plan.header.signals[static_cast<size_t>(plan.signal_of[s])].format;
        format_set[s] = true;
      }
    }
    plans.push_back(std::move(plan));
  }

  check_output_size(layout, end - options.begin_sample, header_path.string());

  WfdbRecord out;
  out.record_path = record;
  out.begin_sample = options.begin_sample;
  out.header = std::move(header);
  out.header.signals = layout;
  out.header.num_samples = total;
  out.digital.resize(layout.size());
  for (size_t s = 0; s < layout.size(); ++s) {
    out.digital[s].assign(
        static_cast<size_t>((end - options.begin_sample) * layout[s].samples_per_frame),
        wfdb_invalid_sample(layout[s].format));
  }
  for (auto& plan : plans) {
    const std::string& name = segments[static_cast<size_t>(plan.index)].name;
    check_inside_record_folder(name, header_path.string(), "segment name",
                               options.allow_outside_paths);
    WfdbRecord piece =
        read_wfdb_record(dir / name, {.begin_sample = plan.begin,
                                      .end_sample = plan.end,
                                      .strict = options.strict,
                                      .allow_outside_paths = options.allow_outside_paths});
    out.warnings.insert(out.warnings.end(), piece.warnings.begin(), piece.warnings.end());
    const int64_t first = plan.record_begin + plan.begin - options.begin_sample;
    for (size_t s = 0; s < layout.size(); ++s) {
      const int k = plan.signal_of[s];
      if (k < 0) continue;
      copy_samples(piece.digital[static_cast<size_t>(k)],
                   piece.header.signals[static_cast<size_t>(k)], layout[s],
                   out.digital[s].data() + first * layout[s].samples_per_frame);
    }
  }
  return out;
}

}  // namespace physiolite::io::detail
