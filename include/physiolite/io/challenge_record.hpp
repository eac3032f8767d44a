// 12-lead records in the PhysioNet/CinC Challenge layout that CPSC 2018 and Chapman-Shaoxing ship
// in: a WFDB header (`A0001.hea`) whose signal lines name a MATLAB file (`A0001.mat`, level 4,
// one int16 matrix `val`, leads x samples) and whose comments carry the diagnoses as SNOMED CT
// codes, `#Dx: 59118001,164884008`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/io/wfdb.hpp"

namespace physiolite::io {

// Every `.hea` below `dir`, at any depth (g1/, g2/, WFDBRecords/01/010/ ...), in sorted path order.
// InputError naming `dir` when it is not a folder.
std::vector<std::filesystem::path> list_header_files(const std::filesystem::path& dir);

// The comma-separated entries of the first `#Dx:` comment, trimmed. InputError naming the header
// and the field `#Dx` when there is none.
std::vector<std::string> header_dx_codes(const WfdbHeader& header,
                                         const std::filesystem::path& hea);

struct ChallengeRecord {
  WfdbHeader header;
  std::vector<std::string> dx;
  // `val` as stored (ADC units), [lead][sample], the first `leads` rows; what scipy.io.loadmat
  // returns and the reference scripts window.
  std::vector<std::vector<float>> val;
};

// Reads header and .mat; InputError when the matrix has fewer than `leads` rows, when its length
// disagrees with the header's, or when the sampling rate is not `fs_hz`.
ChallengeRecord read_challenge_record(const std::filesystem::path& hea, int leads, double fs_hz);

}  // namespace physiolite::io
