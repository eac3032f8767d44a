#include "physiolite/dist/launcher.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

#include "physiolite/core/error.hpp"

namespace physiolite::dist {

namespace {

struct Child {
  pid_t pid = -1;
  int rank = 0;
  bool running = true;
};

std::string describe(int status) {
  if (WIFSIGNALED(status)) {
    return fmt::format("was killed by signal {} ({})", WTERMSIG(status),
                       strsignal(WTERMSIG(status)));
  }
  return fmt::format("exited with status {}", WEXITSTATUS(status));
}

int exit_code(int status) {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

// Reaps one child if any has ended (blocking when `block`); returns its index or -1.
int reap(std::vector<Child>& children, bool block, int& status) {
  const pid_t pid = waitpid(-1, &status, block ? 0 : WNOHANG);
  if (pid <= 0) return -1;
  for (size_t i = 0; i < children.size(); ++i) {
    if (children[i].pid == pid) {
      children[i].running = false;
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Reaps children that end within `limit`; returns how many.
size_t reap_until(std::vector<Child>& children, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  size_t reaped = 0;
  int status = 0;
  while (std::any_of(children.begin(), children.end(), [](const Child& c) { return c.running; }) &&
         std::chrono::steady_clock::now() < deadline) {
    if (reap(children, false, status) >= 0) {
      ++reaped;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return reaped;
}

}  // namespace

int free_local_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw Error(fmt::format("--nproc: cannot open a socket: {}", std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  const int error = errno;
  close(fd);
  if (!ok) throw Error(fmt::format("--nproc: cannot find a free port: {}", std::strerror(error)));
  return ntohs(addr.sin_port);
}

int launch_local(const std::string& program, const std::vector<std::string>& arguments, int nproc,
                 int master_port) {
  std::vector<Child> children;
  for (int rank = 0; rank < nproc; ++rank) {
    const pid_t pid = fork();
    if (pid < 0) {
      for (const Child& c : children) kill(c.pid, SIGTERM);
      throw Error(fmt::format("--nproc: fork failed: {}", std::strerror(errno)));
    }
    if (pid == 0) {
      const std::string r = std::to_string(rank);
      setenv("RANK", r.c_str(), 1);
      setenv("LOCAL_RANK", r.c_str(), 1);
      setenv("WORLD_SIZE", std::to_string(nproc).c_str(), 1);
      setenv("MASTER_ADDR", "127.0.0.1", 1);
      setenv("MASTER_PORT", std::to_string(master_port).c_str(), 1);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(program.c_str()));
      for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(program.c_str(), argv.data());
      std::fprintf(stderr, "--nproc: cannot run %s: %s\n", program.c_str(), std::strerror(errno));
      _exit(127);
    }
    children.push_back({pid, rank, true});
  }
  int first_failure = 0;
  size_t running = children.size();
  while (running > 0) {
    int status = 0;
    const int i = reap(children, true, status);
    if (i < 0) {
      if (errno == EINTR) continue;
      break;
    }
    --running;
    if (exit_code(status) == 0 || first_failure != 0) continue;
    first_failure = exit_code(status);
    std::cerr << fmt::format("physiolite train --nproc {}: rank {} (pid {}) {}\n", nproc,
                             children[static_cast<size_t>(i)].rank,
                             children[static_cast<size_t>(i)].pid, describe(status))
              << std::flush;
    // The others see the dead peer and stop by themselves (naming it); stragglers are ended.
    running -= reap_until(children, std::chrono::seconds(kLauncherGraceSeconds));
    for (const Child& c : children) {
      if (c.running) kill(c.pid, SIGTERM);
    }
    running -= reap_until(children, std::chrono::seconds(2));
    for (const Child& c : children) {
      if (c.running) kill(c.pid, SIGKILL);
    }
  }
  return first_failure;
}

}  // namespace physiolite::dist
