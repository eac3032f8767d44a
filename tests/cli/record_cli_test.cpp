// Black-box tests of `physiolite record`: the binary is run as a user would, and its stdout,
// stderr and exit code are checked, and that a failed write leaves no file behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "physiolite/core/data_dir.hpp"

namespace {

using physiolite::testing::TempDir;
using physiolite::testing::write_bytes;
using physiolite::testing::write_text;

using physiolite::testing::CommandResult;

// `physiolite <args>` (common/run_command.hpp); `dir` is where the test's files are.
CommandResult run(const std::string& args, const TempDir&) {
  return physiolite::testing::run_physiolite(args);
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

std::filesystem::path mitdb(const std::string& record) {
  return physiolite::shared_data_dir() / "mitdb" / record;
}

#define REQUIRE_MITDB() \
  if (!std::filesystem::exists(mitdb("100.hea"))) GTEST_SKIP() << "no shared MIT-BIH data"

TEST(RecordCli, InfoAndJson) {
  REQUIRE_MITDB();
  TempDir dir;
  CommandResult r = run("record info " + mitdb("100").string(), dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sampling frequency: 360 Hz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("duration 00:30:05.556"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 MLII: file 100.dat, format 212"), std::string::npos) << r.out;
  CommandResult j = run("record info --json " + mitdb("100").string(), dir);
  EXPECT_EQ(j.exit_code, 0) << j.err;
  EXPECT_NE(j.out.find("\"num_samples\": 650000"), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("\"checksum\": -22131"), std::string::npos) << j.out;
}

TEST(RecordCli, SamplesPhysicalDigitalAndTimeRanges) {
  REQUIRE_MITDB();
  TempDir dir;
  // rdsamp -r mitdb/100 -p -t 3 (first samples): -0.145 -0.065; digital 995 1011.
  CommandResult r = run("record samples " + mitdb("100").string() + " --to 2", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "sample,MLII,V5\n0,-0.145,-0.065\n1,-0.145,-0.065\n");
  CommandResult d =
      run("record samples " + mitdb("100").string() + " --to 1 --digital --signals V5", dir);
  EXPECT_EQ(d.out, "sample,V5\n0,1011\n");
  CommandResult t =
      run("record samples " + mitdb("100").string() + " --from 00:00:01 --to 0:01.005", dir);
  EXPECT_EQ(t.exit_code, 0) << t.err;
  EXPECT_EQ(first_line(t.out), "sample,MLII,V5");
  EXPECT_EQ(std::count(t.out.begin(), t.out.end(), '\n'), 3);  // header + samples 360, 361
  EXPECT_EQ(t.out.substr(t.out.find('\n') + 1, 4), "360,");
  CommandResult whole = run("record samples " + mitdb("100").string(), dir);
  EXPECT_EQ(std::count(whole.out.begin(), whole.out.end(), '\n'), 650001);
}

TEST(RecordCli, AnnotationsCsv) {
  REQUIRE_MITDB();
  TempDir dir;
  CommandResult r = run("record annotations " + mitdb("100").string() + " --to 100", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "sample,time,symbol,subtype,chan,num,aux\n18,0.050,+,0,0,0,(N\n77,0.214,N,0,0,0,\n");
}

TEST(RecordCli, WriteRoundTripFromCsv) {
  TempDir dir;
  write_text(dir / "in.csv", "sample,I,II\n0,0.5,-1\n1,0.25,nan\n2,-0.125,2\n");
  write_text(dir / "ann.csv", "sample,symbol,aux\n1,N,\n2000,V,(VT\n");
  CommandResult w =
      run("record write " + (dir / "out").string() + " --input " + (dir / "in.csv").string() +
              " --fs 250 --format 212 --gain 200,100 --baseline 5 --units mV,uV --annotations " +
              (dir / "ann.csv").string(),
          dir);
  ASSERT_EQ(w.exit_code, 0) << w.err;
  CommandResult d = run("record samples " + (dir / "out").string() + " --digital --strict", dir);
  EXPECT_EQ(d.exit_code, 0) << d.err;
  // 0.5 * 200 + 5 = 105, -1 * 100 + 5 = -95, NaN -> -2048 ...
  EXPECT_EQ(d.out, "sample,I,II\n0,105,-95\n1,55,-2048\n2,-20,205\n");
  CommandResult p = run("record samples " + (dir / "out").string(), dir);
  EXPECT_EQ(p.out, "sample,I,II\n0,0.5,-1\n1,0.25,nan\n2,-0.125,2\n");
  CommandResult a = run("record annotations " + (dir / "out").string(), dir);
  EXPECT_EQ(a.out,
            "sample,time,symbol,subtype,chan,num,aux\n1,0.004,N,0,0,0,\n2000,8.000,V,0,0,0,(VT\n");
}

std::string golden(const std::string& name) {
  return (std::filesystem::path(PHYSIOLITE_TEST_SOURCE_DIR) / "golden" / name).string();
}

TEST(RecordCli, WriteRoundTripFromHdf5) {
  TempDir dir;
  // tests/golden/gen_h5_signals.py: I = 0.5 0.25 -0.125 1.5 (mV), II = -1 NaN 2 0 (uV), 250 Hz
  // from the fs_hz attribute; --gain 200,100 --baseline 5: 0.5 * 200 + 5 = 105, -1 * 100 + 5 = -95.
  CommandResult w = run("record write " + (dir / "f").string() + " --input " +
                            golden("h5py_signals_physical.h5") + " --gain 200,100 --baseline 5",
                        dir);
  ASSERT_EQ(w.exit_code, 0) << w.err;
  CommandResult d = run("record samples " + (dir / "f").string() + " --digital --strict", dir);
  EXPECT_EQ(d.exit_code, 0) << d.err;
  EXPECT_EQ(d.out, "sample,I,II\n0,105,-95\n1,55,-32768\n2,-20,205\n3,305,5\n");
  CommandResult info = run("record info " + (dir / "f").string(), dir);
  EXPECT_NE(info.out.find("sampling frequency: 250 Hz"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("gain 100 adu/uV"), std::string::npos) << info.out;

  // int16 counts with --digital in format 212; --fs wins over the file's 360.
  CommandResult c = run("record write " + (dir / "c").string() + " --input " +
                            golden("h5py_signals_int16.h5") + " --digital --format 212 --fs 100",
                        dir);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  CommandResult cd = run("record samples " + (dir / "c").string() + " --digital --strict", dir);
  EXPECT_EQ(cd.out, "sample,ch0,ch1,ch2\n0,-2047,0,7\n1,2047,-1,1000\n2,12,13,-14\n");
  EXPECT_NE(run("record info " + (dir / "c").string(), dir).out.find("100 Hz"), std::string::npos);

  // One window of the windows layout: (1, C, T) -> C signals; gain 1000 adu/mV.
  CommandResult e = run("record write " + (dir / "e").string() + " --input " +
                            golden("h5py_signals_one_window.h5") + " --gain 1000",
                        dir);
  ASSERT_EQ(e.exit_code, 0) << e.err;
  CommandResult ed = run("record samples " + (dir / "e").string() + " --digital", dir);
  EXPECT_EQ(ed.out, "sample,EMG1,EMG2\n0,0,-250\n1,500,-500\n2,1000,750\n");
}

// ---- bad input: clear message naming file and field, non-zero exit, nothing written --------

TEST(RecordCliBadInput, UnknownFormatCode) {
  TempDir dir;
  write_text(dir / "r.hea", "r 1 360 2\nr.dat 999 200 12 0\n");
  CommandResult r = run("record samples " + (dir / "r").string(), dir);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("r.hea:2: field 'format'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("999"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(RecordCliBadInput, SignalFileShorterThanHeader) {
  TempDir dir;
  write_text(dir / "r.hea", "r 1 360 3\nr.dat 16 200 16 0\n");
  write_bytes(dir / "r.dat", {1, 0, 2, 0});
  CommandResult r = run("record samples " + (dir / "r").string(), dir);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("r.dat: byte 4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("field 'samples'"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(RecordCliBadInput, ChecksumMismatchWarnsOrFailsWithStrict) {
  TempDir dir;
  write_text(dir / "r.hea", "r 1 360 2\nr.dat 16 200 16 0 1 99 0 A\n");
  write_bytes(dir / "r.dat", {1, 0, 2, 0});
  CommandResult warn = run("record samples " + (dir / "r").string() + " --digital", dir);
  EXPECT_EQ(warn.exit_code, 0);
  EXPECT_NE(warn.err.find("warning: "), std::string::npos) << warn.err;
  EXPECT_NE(warn.err.find("r.dat: field 'signal 0 checksum': expected 99"), std::string::npos)
      << warn.err;
  EXPECT_EQ(warn.out, "sample,A\n0,1\n1,2\n");
  CommandResult strict = run("record samples " + (dir / "r").string() + " --strict", dir);
  EXPECT_EQ(strict.exit_code, 3);
  EXPECT_NE(strict.err.find("signal 0 checksum"), std::string::npos) << strict.err;
  EXPECT_TRUE(strict.out.empty());
  write_text(dir / "r.hea", "r 1 360 2\nr.dat 16 200 16 0 7 3 0 A\n");
  CommandResult init = run("record info --strict " + (dir / "r").string(), dir);
  EXPECT_EQ(init.exit_code, 3);
  EXPECT_NE(init.err.find("signal 0 initial value"), std::string::npos) << init.err;
}

TEST(RecordCliBadInput, GainNotANumber) {
  TempDir dir;
  write_text(dir / "r.hea", "r 1 360 2\nr.dat 16 abc(0)/mV 16 0\n");
  CommandResult r = run("record info " + (dir / "r").string(), dir);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("r.hea:2: field 'gain'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'abc'"), std::string::npos) << r.err;
}

TEST(RecordCliBadInput, MissingSignalFile) {
  TempDir dir;
  write_text(dir / "r.hea", "r 1 360 2\nr.dat 16 200 16 0\n");
  CommandResult r = run("record samples " + (dir / "r").string(), dir);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("r.dat"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(RecordCliBadInput, AnnotationFileWithoutTerminator) {
  TempDir dir;
  write_text(dir / "r.hea", "r 1 360 2000\nr.dat 16 200 16 0\n");
  write_bytes(dir / "r.atr", {0x05, 0x04, 0x05, 0x04});  // two N beats, no zero word
  CommandResult r = run("record annotations " + (dir / "r").string(), dir);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("r.atr: byte 4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("terminator"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(RecordCliBadInput, FromPastTheEnd) {
  TempDir dir;
  write_text(dir / "r.hea", "r 1 360 2\nr.dat 16 200 16 0\n");
  write_bytes(dir / "r.dat", {1, 0, 2, 0});
  CommandResult r = run("record samples " + (dir / "r").string() + " --from 5", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--from 5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("past the end"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  CommandResult t = run("record samples " + (dir / "r").string() + " --from 1:00", dir);
  EXPECT_EQ(t.exit_code, 2);
  CommandResult bad = run("record samples " + (dir / "r").string() + " --from 1:xx", dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("hh:mm:ss.sss"), std::string::npos) << bad.err;
}

TEST(RecordCliBadInput, WriteLeavesNoPartialFiles) {
  TempDir dir;
  write_text(dir / "bad.csv", "I,II\n1,2\n3,x\n");
  CommandResult r = run("record write " + (dir / "out").string() + " --input " +
                            (dir / "bad.csv").string() + " --fs 100",
                        dir);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad.csv:3: field 'column 'II''"), std::string::npos) << r.err;
  write_text(dir / "big.csv", "I\n1\n100\n");  // 100 mV * 200 > 2047 in format 212
  CommandResult big = run("record write " + (dir / "out").string() + " --input " +
                              (dir / "big.csv").string() + " --fs 100 --format 212",
                          dir);
  EXPECT_EQ(big.exit_code, 3);
  EXPECT_NE(big.err.find("signal 'I' sample 1"), std::string::npos) << big.err;
  write_text(dir / "good.csv", "I\n1\n2\n");
  write_text(dir / "ann.csv", "sample,symbol\n5,N\n1,N\n");  // not sorted
  CommandResult ann =
      run("record write " + (dir / "out").string() + " --input " + (dir / "good.csv").string() +
              " --fs 100 --annotations " + (dir / "ann.csv").string(),
          dir);
  EXPECT_EQ(ann.exit_code, 2);
  EXPECT_NE(ann.err.find("annotation 1"), std::string::npos) << ann.err;
  EXPECT_EQ(dir.file_count(), 4u) << "only the four inputs may exist";
}

TEST(RecordCliBadInput, Hdf5InputWithoutSignalsLeavesNothing) {
  TempDir dir;
  write_text(dir / "not.h5", "I\n1\n");
  CommandResult r = run("record write " + (dir / "out").string() + " --input " +
                            (dir / "not.h5").string() + " --fs 100",
                        dir);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not.h5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not an HDF5 file"), std::string::npos) << r.err;
  // A windows file of several windows: names the file and the dataset.
  CommandResult m = run("record write " + (dir / "out").string() + " --input " +
                            golden("h5py_windows_bool.h5") + " --fs 100",
                        dir);
  EXPECT_EQ(m.exit_code, 3) << m.err;
  EXPECT_NE(m.err.find("h5py_windows_bool.h5: field 'data'"), std::string::npos) << m.err;
  // Physical 1.5 mV * 2000 = 3000 does not fit format 212: names file, signal and sample.
  CommandResult big = run("record write " + (dir / "out").string() + " --input " +
                              golden("h5py_signals_physical.h5") + " --format 212 --gain 2000",
                          dir);
  EXPECT_EQ(big.exit_code, 3);
  EXPECT_NE(big.err.find("h5py_signals_physical.h5: field 'signal 'I' sample 3'"),
            std::string::npos)
      << big.err;
  // No fs_hz attribute and no --fs.
  write_text(dir / "x.csv", "I\n1\n");
  CommandResult fs =
      run("record write " + (dir / "out").string() + " --input " + (dir / "x.csv").string(), dir);
  EXPECT_EQ(fs.exit_code, 2);
  EXPECT_NE(fs.err.find("--fs"), std::string::npos) << fs.err;
  EXPECT_EQ(dir.file_count(), 2u) << "only the two inputs may exist";
}

}  // namespace
