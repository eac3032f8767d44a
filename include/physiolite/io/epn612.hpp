// EMG-EPN-612 as published (Zenodo, Benalcazar et al. 2020):
// emg-epn-612/trainingJSON/userN/userN.json (users 1-306) and testingJSON/userN/userN.json (users
// 307-612). Each file is one JSON object with `trainingSamples` and `testingSamples`, objects of
// samples keyed "idx_1", "idx_2", ... in file order; a sample holds `gestureName` (noGesture,
// waveIn, waveOut, pinch, open, fist, or notProvided where the label is withheld) and `emg`, an
// object of eight channels "ch1" ... "ch8", each an array of samples (Myo armband, 200 Hz, raw int8
// units). Other keys (userInfo, groundTruth, quaternion
// ...) are ignored.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace physiolite::io {

struct EpnSample {
  std::string key;                      // "idx_1"
  std::string gesture;                  // gestureName as written
  std::vector<std::vector<float>> emg;  // [channel][sample], channels in sorted key order
};

struct EpnUser {
  std::string name;                 // "user1"
  std::vector<EpnSample> training;  // trainingSamples in file order
  std::vector<EpnSample> testing;   // testingSamples in file order
};

// `path` only for messages. InputError naming the file and the JSON path
// ("trainingSamples.idx_3.emg") for text that is not JSON or not this schema.
EpnUser parse_epn612_user(std::string_view text, const std::string& path);
EpnUser read_epn612_user(const std::filesystem::path& path);

// userN/userN.json of `split_dir` (trainingJSON or testingJSON) in numeric user order. InputError
// naming the folder when it is missing or holds no user, or the file a user folder lacks.
std::vector<std::filesystem::path> list_epn612_users(const std::filesystem::path& split_dir);

}  // namespace physiolite::io
