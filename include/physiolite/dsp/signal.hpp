// One channel of a uniformly sampled signal that carries its own meaning: samples, sampling
// frequency, units and name. Every dsp transform returns a new Signal with the fs it now has, so a
// sampling frequency is never passed separately from the samples (the NeuroKit2 trap).
#pragma once

#include <string>
#include <vector>

namespace physiolite::dsp {

struct Signal {
  std::vector<double> samples;
  double fs_hz = 0.0;  // required: no transform assumes a default
  std::string units;   // e.g. "mV"
  std::string name;    // e.g. "MLII"

  double duration_s() const { return fs_hz > 0 ? static_cast<double>(samples.size()) / fs_hz : 0; }
};

}  // namespace physiolite::dsp
