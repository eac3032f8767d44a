// `physiolite train` as several processes on loopback, on a real slice of the UCI EMG recordings
// (subjects 1-2 train, 3 validation, 4 test; a tiny network): the same answer as one process,
// and the faults (a killed or frozen rank, a taken port, no master) stopping every rank with a
// message naming the cause, within --dist-timeout, leaving only whole files.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/run_command.hpp"
#include "common/temp_dir.hpp"
#include "common/tiny_model_config.hpp"
#include "physiolite/core/data_dir.hpp"
#include "physiolite/dist/launcher.hpp"
#include "physiolite/train/checkpoint.hpp"
#include "physiolite/train/evaluation.hpp"

namespace physiolite::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kLongEpochs = 16;

// Largest |a - b| over the weights of two checkpoints of one network.
double max_weight_difference(const fs::path& a, const fs::path& b) {
  auto ma = train::load_trained_model(a, shared_data_dir());
  auto mb = train::load_trained_model(b, shared_data_dir());
  const auto pa = ma.network->parameters();
  const auto pb = mb.network->parameters();
  EXPECT_EQ(pa.size(), pb.size());
  double difference = 0;
  for (size_t k = 0; k < std::min(pa.size(), pb.size()); ++k) {
    difference = std::max(difference, (pa[k] - pb[k]).abs().max().item<double>());
  }
  return difference;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::vector<json> read_log(const fs::path& path) {
  std::vector<json> records;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) records.push_back(json::parse(line));
  return records;
}

// A rank started by hand (as torchrun would), its output in files.
struct Rank {
  pid_t pid = -1;
  fs::path out, err;
};

class DistTrain : public ::testing::Test {
 protected:
  void SetUp() override {
    if (run_physiolite("--help").out.find("\n  train ") == std::string::npos) {
      GTEST_SKIP() << "physiolite built without LibTorch";
    }
    if (!fs::exists(shared_data_dir() / "uci-emg-gestures")) GTEST_SKIP() << "no UCI EMG data";
  }

  // batch_size 16 over ~60 windows: 4 steps an epoch, the last one short.
  fs::path write_config(const std::string& name, int epochs) const {
    json train = tiny_train_section("val_loss");
    train["epochs"] = epochs;
    train["seed"] = 3;
    const json config{{"data",
                       {{"dataset", "uci"},
                        {"train_subjects", {1, 2}},
                        {"validation_subjects", {3}},
                        {"test_subjects", {4}}}},
                      {"model", tiny_model_section()},
                      {"train", train},
                      {"run_dir", (dir_ / name).string()}};
    const fs::path path = dir_ / (name + ".json");
    write_text(path, config.dump(2));
    return path;
  }

  Rank start_rank(int rank, int world, int port, const fs::path& config,
                  const std::string& extra = "") const {
    Rank r;
    r.out = dir_ / ("rank" + std::to_string(rank) + ".out");
    r.err = dir_ / ("rank" + std::to_string(rank) + ".err");
    const std::string command =
        "exec env RANK=" + std::to_string(rank) + " WORLD_SIZE=" + std::to_string(world) +
        " MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port) + " '" + PHYSIOLITE_CLI +
        "' train --config '" + config.string() + "' " + extra + " > '" + r.out.string() + "' 2> '" +
        r.err.string() + "'";
    r.pid = fork();
    if (r.pid == 0) {
      execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    return r;
  }

  // Exit code of `r` (128 + signal), or -1 when it is still running after `limit` seconds.
  static int wait_for(const Rank& r, double limit) {
    const auto start = Clock::now();
    int status = 0;
    while (waitpid(r.pid, &status, WNOHANG) == 0) {
      if (seconds_since(start) > limit) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  }

  static void end(const Rank& r) {
    kill(r.pid, SIGKILL);
    waitpid(r.pid, nullptr, 0);
  }

  // Waits until the run has its first checkpoint, so that the ranks are mid-training.
  static bool wait_for_checkpoint(const fs::path& run, double limit) {
    const auto start = Clock::now();
    while (!fs::exists(run / "last.pt")) {
      if (seconds_since(start) > limit) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  struct Stopped {
    int rank0_exit = -1;  // -1: still running timeout + 5 s after the signal (then killed)
    double seconds = 0;   // from the signal to rank 0's exit
    std::string rank0_err;
  };
  // Two ranks on `config` with --dist-timeout `timeout`; once the first checkpoint is written,
  // rank 1 gets `signal` (SIGKILL: dies, SIGSTOP: freezes).
  Stopped stop_rank_1_mid_run(const fs::path& config, int signal, int timeout) const {
    const int port = dist::free_local_port();
    const std::string flag = "--dist-timeout " + std::to_string(timeout);
    const Rank r0 = start_rank(0, 2, port, config, flag);
    const Rank r1 = start_rank(1, 2, port, config, flag);
    Stopped s;
    if (wait_for_checkpoint(dir_ / "run", 60)) {
      kill(r1.pid, signal);
      const auto sent = Clock::now();
      s.rank0_exit = wait_for(r0, timeout + 5);
      s.seconds = seconds_since(sent);
    }
    end(r1);
    if (s.rank0_exit < 0) end(r0);
    s.rank0_err = read_text(r0.err);
    return s;
  }

  // Only whole files: the checkpoint reads back, and no temporary file was left behind.
  static void expect_whole_files(const fs::path& run) {
    EXPECT_NO_THROW(train::read_checkpoint_meta(run / "last.pt"));
    for (const auto& entry : fs::directory_iterator(run)) {
      EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
    }
  }

  TempDir dir_;
};

TEST_F(DistTrain, TwoProcessesWithHalfBatchesEndWhereOneProcessEnds) {
  const fs::path config = write_config("run", 3);
  const CommandResult one = run_physiolite("train --config " + config.string() +
                                           " --set run_dir=" + (dir_ / "one").string());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const CommandResult two = run_physiolite("train --nproc 2 --config " + config.string() +
                                           " --set run_dir=" + (dir_ / "two").string());
  ASSERT_EQ(two.exit_code, 0) << two.err;
  // Rank 0 alone prints and writes.
  ASSERT_NE(two.out.find("epoch   3/3"), std::string::npos) << two.out;
  EXPECT_EQ(two.out.find("epoch   3/3"), two.out.rfind("epoch   3/3")) << two.out;

  const auto log1 = read_log(dir_ / "one" / "log.jsonl");
  const auto log2 = read_log(dir_ / "two" / "log.jsonl");
  ASSERT_EQ(log1.size(), 3u);
  ASSERT_EQ(log2.size(), 3u);
  for (size_t e = 0; e < 3; ++e) {
    EXPECT_EQ(log2[e]["step"], log1[e]["step"]);
    EXPECT_EQ(log2[e]["processes"], 2);
    EXPECT_NEAR(log2[e]["train_loss"].get<double>(), log1[e]["train_loss"].get<double>(), 2e-5);
    EXPECT_NEAR(log2[e]["val_loss"].get<double>(), log1[e]["val_loss"].get<double>(), 2e-5);
  }
  // The weights after 12 AdamW steps: equal up to the order of the float sums.
  EXPECT_LT(max_weight_difference(dir_ / "one" / "last.pt", dir_ / "two" / "last.pt"), 1e-5);
}

TEST_F(DistTrain, AKilledRankStopsTheOtherNamingIt) {
  const fs::path config = write_config("run", kLongEpochs);
  const Stopped s = stop_rank_1_mid_run(config, SIGKILL, 5);
  ASSERT_EQ(s.rank0_exit, 1) << s.rank0_err;
  EXPECT_LT(s.seconds, 5.0);  // at once: the dead peer's connections close
  EXPECT_NE(s.rank0_err.find("rank 0: all-reduce failed: rank 1 stopped responding"),
            std::string::npos)
      << s.rank0_err;
  expect_whole_files(dir_ / "run");

  // Resumed on two new ranks from that checkpoint, the run ends where one uninterrupted
  // process ends.
  const int epoch = train::read_checkpoint_meta(dir_ / "run" / "last.pt")["epoch"];
  ASSERT_LT(epoch, kLongEpochs);
  const CommandResult resumed =
      run_physiolite("train --nproc 2 --resume --config " + config.string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resuming"), std::string::npos) << resumed.out;
  const CommandResult one = run_physiolite("train --config " + config.string() +
                                           " --set run_dir=" + (dir_ / "one").string());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_LT(max_weight_difference(dir_ / "run" / "last.pt", dir_ / "one" / "last.pt"), 1e-4);
}

TEST_F(DistTrain, AFrozenRankStopsTheOtherWithinTheTimeout) {
  const Stopped s = stop_rank_1_mid_run(write_config("run", kLongEpochs), SIGSTOP, 2);
  ASSERT_EQ(s.rank0_exit, 1) << s.rank0_err;
  // The timeout, then three heartbeat periods to find the culprit.
  EXPECT_GT(s.seconds, 1.5);
  EXPECT_LT(s.seconds, 2 + 3.0);
  EXPECT_NE(s.rank0_err.find("rank 1 stopped responding"), std::string::npos) << s.rank0_err;
  expect_whole_files(dir_ / "run");
}

TEST_F(DistTrain, APortInUseIsNamed) {
  // Rank 0 cannot host the store on a port another program listens on.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);
  const fs::path config = write_config("run", 1);
  const CommandResult r = run_command(
      "env RANK=0 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port) + " '" +
      PHYSIOLITE_CLI + "' train --config " + config.string() + " --dist-timeout 3");
  close(fd);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("MASTER_PORT: port " + std::to_string(port) + " is already in use"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "run"));
}

TEST_F(DistTrain, AnUnreachableMasterIsNamedAfterTheTimeout) {
  const int port = dist::free_local_port();  // nobody listens there
  const fs::path config = write_config("run", 1);
  const auto start = Clock::now();
  const CommandResult r = run_command(
      "env RANK=1 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port) + " '" +
      PHYSIOLITE_CLI + "' train --config " + config.string() + " --dist-timeout 2");
  EXPECT_LT(seconds_since(start), 2 + 5.0);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("rank 1: could not reach rank 0's rendezvous store at MASTER_ADDR=127.0.0.1 "
                       "MASTER_PORT=" +
                       std::to_string(port) + " within 2 s"),
            std::string::npos)
      << r.err;
}

TEST_F(DistTrain, NprocInsideARankIsAUsageError) {
  const fs::path config = write_config("run", 1);
  const CommandResult r =
      run_command("env RANK=0 WORLD_SIZE=1 MASTER_ADDR=127.0.0.1 MASTER_PORT=1234 '" +
                  std::string(PHYSIOLITE_CLI) + "' train --nproc 2 --config " + config.string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--nproc: RANK/WORLD_SIZE are already set"), std::string::npos) << r.err;
}

TEST_F(DistTrain, ABatchThatDoesNotSplitIsAUsageError) {
  const fs::path config = write_config("run", 1);
  const CommandResult r =
      run_physiolite("train --nproc 2 --config " + config.string() + " --set train.batch_size=15");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("train.batch_size: expected a multiple of the 2 processes"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace physiolite::testing
