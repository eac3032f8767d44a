// Writing a WFDB record from a user's signal file: CSV (io::read_signal_csv) or HDF5
// (read_hdf5_signals' layout), plus optional annotations from a CSV (io::read_annotation_csv).
// This is `physiolite record write` without its argument parsing; the CLI only fills the options.
//
// Everything is read, range-checked and encoded before the first byte is written, and the
// record's files (.hea, .dat and the annotation file) are renamed into place together
// (io::write_wfdb_record), so any failure replaces none of an existing record's files.
// Errors: UsageError for options that cannot work (named by their `record write` flag, e.g.
// "--baseline"), InputError naming the input file and the signal and sample for values that do
// not fit the format.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "physiolite/io/wfdb.hpp"

namespace physiolite::data {

struct RecordWriteOptions {
  std::filesystem::path input;  // CSV, or HDF5 when is_hdf5_path(input)
  double fs_hz = 0;             // Hz; 0: the HDF5 file's fs_hz attribute (a CSV has none)
  int format = 16;              // 16 or 212
  // Per signal: empty for the default, one value for every signal, or one per signal.
  std::vector<double> gains;          // ADC units per physical unit; default 200
  std::vector<double> baselines;      // digital value of physical zero, an int; default 0
  std::vector<std::string> units;     // default: the HDF5 file's units, else mV
  bool digital = false;               // the input holds ADC units (exact integers in the format)
  std::filesystem::path annotations;  // CSV sample,symbol[,subtype,chan,num,aux]; empty: none
  std::string annotator = "atr";      // the annotation file's extension
};

// The header and digital samples `write_record_from_signals` would write (the record name,
// sample count, initial values and checksums are left to io::write_wfdb_record).
struct EncodedRecord {
  io::WfdbHeader header;
  std::vector<std::vector<int32_t>> digital;  // [signal][sample]
};
EncodedRecord encode_record(const RecordWriteOptions& options);

// Writes `<record>.hea`, `<record>.dat` and, with annotations, `<record>.<annotator>`.
void write_record_from_signals(const std::filesystem::path& record,
                               const RecordWriteOptions& options);

}  // namespace physiolite::data
