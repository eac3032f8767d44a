// The only translation unit with c10d and Gloo headers.
#include "physiolite/dist/process_group.hpp"

#include <c10/util/Exception.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "physiolite/core/error.hpp"

namespace physiolite::dist {

namespace {

using Clock = std::chrono::steady_clock;

// c10::Error's what() carries a C++ backtrace; the user needs its first line.
std::string message_of(const std::exception& e) {
  const auto* c10 = dynamic_cast<const c10::Error*>(&e);
  std::string text = c10 != nullptr ? c10->what_without_backtrace() : e.what();
  if (const auto nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
  return text;
}

bool contains(const std::string& text, const char* word) {
  return text.find(word) != std::string::npos;
}

std::string heartbeat_key(int rank) { return fmt::format("physiolite/heartbeat/{}", rank); }

struct Beat {
  int64_t count = 0, step = 0;
};

std::shared_ptr<::gloo::transport::Device> make_device(const std::string& master_addr) {
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname != nullptr && *ifname) {
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  }
  // All ranks on this host: loopback, whatever the host name resolves to.
  if (master_addr == "localhost" || master_addr.starts_with("127.") || master_addr == "::1") {
    return c10d::ProcessGroupGloo::createDeviceForHostname(master_addr);
  }
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

struct ProcessGroup::State {
  c10::intrusive_ptr<c10d::TCPStore> store;       // rendezvous; diagnosis
  c10::intrusive_ptr<c10d::TCPStore> beat_store;  // the heartbeat thread's own connection
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
  std::chrono::milliseconds period{250};
  std::atomic<int64_t> step{0};
  std::mutex mutex;
  std::condition_variable wake;
  bool stop = false;
  std::thread heartbeat;

  void beat(int rank) {
    int64_t count = 0;
    std::unique_lock lock(mutex);
    while (!stop) {
      lock.unlock();
      try {
        const std::string value = fmt::format("{} {}", ++count, step.load());
        beat_store->set(heartbeat_key(rank), std::vector<uint8_t>(value.begin(), value.end()));
      } catch (const std::exception&) {
        return;  // the store (rank 0) is gone: the next collective reports it
      }
      lock.lock();
      wake.wait_for(lock, period, [&] { return stop; });
    }
  }

  // Every rank's heartbeat, nullopt for a rank that has none. Throws when the store is gone.
  std::vector<std::optional<Beat>> beats(int world_size) {
    std::vector<std::optional<Beat>> out;
    for (int r = 0; r < world_size; ++r) {
      if (!store->check({heartbeat_key(r)})) {
        out.emplace_back();
        continue;
      }
      const auto bytes = store->get(heartbeat_key(r));
      std::istringstream in(std::string(bytes.begin(), bytes.end()));
      Beat b;
      in >> b.count >> b.step;
      out.emplace_back(b);
    }
    return out;
  }
};

ProcessGroup::ProcessGroup(const DistEnv& env, std::chrono::milliseconds timeout)
    : env_(env), timeout_(timeout), state_(std::make_unique<State>()) {
  const double seconds = std::chrono::duration<double>(timeout).count();
  c10d::TCPStoreOptions options;
  options.port = static_cast<uint16_t>(env.master_port);
  options.isServer = env.rank == 0;
  options.numWorkers = env.world_size;
  options.waitWorkers = true;
  options.timeout = timeout;
  try {
    state_->store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, options);
  } catch (const std::exception& e) {
    const std::string m = message_of(e);
    if (env.rank == 0 && (contains(m, "EADDRINUSE") || contains(m, "already in use"))) {
      throw UsageError(fmt::format(
          "MASTER_PORT: port {} is already in use on this host, so rank 0 cannot host the "
          "rendezvous store there; choose another MASTER_PORT ({})",
          env.master_port, m));
    }
    if (env.rank == 0) {
      throw Error(fmt::format(
          "rank 0: not every one of the {} ranks joined the store on port {} within {:g} s "
          "(--dist-timeout); are they all started with MASTER_ADDR={} MASTER_PORT={}? ({})",
          env.world_size, env.master_port, seconds, env.master_addr, env.master_port, m));
    }
    throw Error(fmt::format(
        "rank {}: could not reach rank 0's rendezvous store at MASTER_ADDR={} MASTER_PORT={} "
        "within {:g} s (--dist-timeout); is rank 0 running, and is the port open between the "
        "hosts? ({})",
        env.rank, env.master_addr, env.master_port, seconds, m));
  }
  try {
    options.isServer = false;
    options.waitWorkers = false;  // it must not count as one more rank joining
    options.numWorkers = c10::nullopt;
    state_->beat_store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, options);
    auto gloo_options = c10d::ProcessGroupGloo::Options::create(timeout);
    gloo_options->devices.push_back(make_device(env.master_addr));
    state_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(state_->store, env.rank,
                                                               env.world_size, gloo_options);
  } catch (const std::exception& e) {
    throw Error(fmt::format(
        "rank {}: the Gloo connections between the {} ranks failed within {:g} s (check "
        "GLOO_SOCKET_IFNAME: every host must reach the others on that interface): {}",
        env.rank, env.world_size, seconds, message_of(e)));
  }
  state_->period = std::min(std::chrono::milliseconds(250), timeout / 4);
  state_->heartbeat = std::thread([this] { state_->beat(env_.rank); });
}

ProcessGroup::~ProcessGroup() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stop = true;
  }
  state_->wake.notify_all();
  if (state_->heartbeat.joinable()) state_->heartbeat.join();
}

void ProcessGroup::set_step(int64_t step) { state_->step = step; }

void ProcessGroup::fail(const std::string& what, const std::exception& e) {
  std::string cause;
  try {
    // Two looks at the heartbeats, three beats apart: a rank whose count did not move is dead
    // or frozen; with every rank beating, the one at the lowest step is stuck.
    state_->store->setTimeout(std::max(std::chrono::milliseconds(1000), 4 * state_->period));
    const auto before = state_->beats(env_.world_size);
    std::this_thread::sleep_for(3 * state_->period);
    const auto after = state_->beats(env_.world_size);
    std::vector<int> silent;
    int slowest = -1;
    for (int r = 0; r < env_.world_size; ++r) {
      if (r == env_.rank) continue;
      const auto& a = before[static_cast<size_t>(r)];
      const auto& b = after[static_cast<size_t>(r)];
      if (!b || (a && a->count == b->count)) {
        silent.push_back(r);
      } else if (slowest < 0 || b->step < after[static_cast<size_t>(slowest)]->step) {
        slowest = r;
      }
    }
    if (!silent.empty()) {
      cause = fmt::format("rank {} stopped responding (no heartbeat: it died or froze)",
                          fmt::join(silent, ", "));
    } else if (slowest >= 0 && after[static_cast<size_t>(slowest)]->step < state_->step) {
      cause = fmt::format("rank {} is stuck at step {} (this rank is at step {})", slowest,
                          after[static_cast<size_t>(slowest)]->step, state_->step.load());
    } else {
      cause = "every rank is still alive";
    }
  } catch (const std::exception&) {
    cause = env_.rank == 0 ? "the rendezvous store failed"
                           : "rank 0 stopped responding (its rendezvous store is gone: it died)";
  }
  throw Error(fmt::format("distributed training, rank {}: {} failed: {}; stopping ({})", env_.rank,
                          what, cause, message_of(e)));
}

std::function<void()> ProcessGroup::all_reduce_sum_async(at::Tensor& tensor) {
  std::vector<at::Tensor> tensors{tensor};
  c10::intrusive_ptr<c10d::Work> work;
  try {
    work = state_->gloo->allreduce(tensors);
  } catch (const std::exception& e) {
    fail("all-reduce", e);
  }
  return [this, work] {
    try {
      work->wait();
    } catch (const std::exception& e) {
      fail("all-reduce", e);
    }
  };
}

void ProcessGroup::all_reduce_sum(at::Tensor& tensor) { all_reduce_sum_async(tensor)(); }

void ProcessGroup::broadcast(std::vector<at::Tensor>& tensors, int root) {
  c10d::BroadcastOptions options;
  options.rootRank = root;
  try {
    for (at::Tensor& t : tensors) {
      std::vector<at::Tensor> one{t};
      state_->gloo->broadcast(one, options)->wait();
    }
  } catch (const std::exception& e) {
    fail("broadcast", e);
  }
}

void ProcessGroup::barrier() {
  try {
    state_->gloo->barrier()->wait();
  } catch (const std::exception& e) {
    fail("barrier", e);
  }
}

}  // namespace physiolite::dist
