#include "physiolite/core/isolated.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <thread>

#include "physiolite/core/error.hpp"

// ASan, TSan and MSan reserve terabytes of virtual address space at start-up, so an RLIMIT_AS
// would make every allocation of the child fail.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PHYSIOLITE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define PHYSIOLITE_SANITIZED 1
#endif
#endif

// The sanitizers' runtime, when linked in: libFuzzer installs a death callback there that writes
// the current input as a crash artifact and ends the process; a child must only die.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace physiolite {

namespace {

using Clock = std::chrono::steady_clock;

// Kind byte, then the payload's length (u64, little-endian): the framing of every reply.
constexpr size_t kHeaderBytes = 9;
constexpr char kResult = 'R', kInputError = 'I', kUsageError = 'U', kError = 'E',
               kOutOfMemory = 'M';

bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t k = ::write(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= static_cast<size_t>(k);
  }
  return true;
}

std::string header(char kind, uint64_t length) {
  std::string h(1, kind);
  h.append(reinterpret_cast<const char*>(&length), sizeof length);
  return h;
}

// The child's address space right after fork (what it shares with the parent), in bytes.
uint64_t current_address_space() {
  unsigned long pages = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%lu", &pages) != 1) pages = 0;
    std::fclose(f);
  }
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

// Everything the child changes before running the parser. Returns the descriptor to reply on.
int prepare_child(int reply_fd, pid_t parent, uint64_t memory_bytes) {
#ifdef __linux__
  // Die with the parent (Ctrl-C, a crash) instead of parsing on as an orphan.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);
#else
  (void)parent;
#endif
  if (&__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(nullptr);
  // Fatal signals kill the child (the parent reports which); handlers inherited from the parent
  // or a fuzzer would print or write artifacts. Ctrl-C is the parent's to handle.
  for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGALRM, SIGTERM,
                  SIGHUP, SIGQUIT, SIGPIPE, SIGXCPU, SIGXFSZ, SIGUSR1, SIGUSR2}) {
    ::signal(sig, SIG_DFL);
  }
  ::signal(SIGINT, SIG_IGN);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  // stdin/stdout/stderr on /dev/null, every other inherited descriptor closed (the parent's
  // output files, other children's pipes), the reply pipe kept above 2.
  const int fd = ::fcntl(reply_fd, F_DUPFD_CLOEXEC, 3);
  if (fd < 0) ::_exit(1);
  const int null_fd = ::open("/dev/null", O_RDWR);
  if (null_fd < 0) ::_exit(1);
  for (int std_fd = 0; std_fd <= 2; ++std_fd) ::dup2(null_fd, std_fd);
  if (fd > 3) ::close_range(3, static_cast<unsigned>(fd) - 1, 0);
  ::close_range(static_cast<unsigned>(fd) + 1, ~0U, 0);

  // A crash is reported by the parent; a core dump would only cost time and disk.
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  if (memory_bytes > 0 && isolation_memory_limit_applies()) {
    const rlim_t limit = current_address_space() + memory_bytes;
    const rlimit r{limit, limit};
    ::setrlimit(RLIMIT_AS, &r);
  }
  return fd;
}

[[noreturn]] void run_child(int reply_fd, pid_t parent, const IsolationOptions& options,
                            const std::function<std::string()>& work) {
  const int fd = prepare_child(reply_fd, parent, options.memory_bytes);
  char kind = kResult;
  std::string payload;
  try {
    payload = work();
  } catch (const InputError& e) {
    kind = kInputError;
    ReplyWriter w;
    w.text(e.where().path);
    w.i64(e.where().line);
    w.i64(e.where().byte_offset);
    w.text(e.field());
    w.text(e.expected());
    w.text(e.found());
    payload = w.take();
  } catch (const UsageError& e) {
    kind = kUsageError;
    payload = e.what();
  } catch (const std::bad_alloc&) {
    kind = kOutOfMemory;
    payload.clear();
  } catch (const std::exception& e) {
    kind = kError;
    payload = e.what();
  } catch (...) {
    kind = kError;
    payload = "an exception that is not a std::exception";
  }
  const std::string h = header(kind, payload.size());
  const bool sent =
      write_all(fd, h.data(), h.size()) && write_all(fd, payload.data(), payload.size());
  ::_exit(sent ? 0 : 1);
}

// The forked child seen from the parent: its pid and the read end of its pipe. Until reaped, the
// destructor kills it, so no exception path leaves a parser running.
class Child {
 public:
  Child(pid_t pid, int fd) : pid_(pid), fd_(fd) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) kill_and_reap();
    ::close(fd_);
  }

  int fd() const { return fd_; }

  void kill_and_reap() {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

  // Waits for the exit until `deadline`; false if it has not exited by then. A pidfd (Linux 5.3)
  // wakes the wait the moment the child exits; without one, waitpid is polled.
  bool reap_before(Clock::time_point deadline) {
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    auto pause = std::chrono::microseconds(50);
    for (;;) {
      const pid_t r = ::waitpid(pid_, &status_, WNOHANG);
      if (r == pid_) {
        if (pidfd >= 0) ::close(pidfd);
        pid_ = -1;
        return true;
      }
      if (r < 0 && errno != EINTR) {
        throw Error(fmt::format("waitpid: {}", std::strerror(errno)));
      }
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        if (pidfd >= 0) ::close(pidfd);
        return false;
      }
      if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), INT_MAX)));
      } else {
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, decltype(pause)(20000));
      }
    }
  }

  int status() const { return status_; }

 private:
  pid_t pid_;
  int fd_;
  int status_ = 0;
};

// What the child sent: the framing's kind and payload, as far as it arrived.
struct Reply {
  char head[kHeaderBytes] = {};
  size_t head_bytes = 0;
  uint64_t length = 0;
  std::string payload;
  size_t payload_bytes = 0;
  bool too_long = false;
  bool trailing = false;

  bool complete() const {
    return head_bytes == kHeaderBytes && payload_bytes == length && !too_long && !trailing;
  }
  char kind() const { return head[0]; }

  // Reads what is available on `fd`; false at end of file.
  bool read_from(int fd, uint64_t max_bytes) {
    char* dst;
    size_t room;
    char scratch[64];
    if (head_bytes < kHeaderBytes) {
      dst = head + head_bytes;
      room = kHeaderBytes - head_bytes;
    } else if (payload_bytes < length) {
      if (payload_bytes == payload.size()) {
        // Grow with what arrives, never to a declared length up front.
        payload.resize(std::min<uint64_t>(length, std::max<size_t>(payload.size() * 2, 1 << 20)));
      }
      dst = payload.data() + payload_bytes;
      room = payload.size() - payload_bytes;
    } else {
      dst = scratch;
      room = sizeof scratch;
    }
    const ssize_t n = ::read(fd, dst, room);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) return true;
      throw Error(fmt::format("reading the reader process's reply: {}", std::strerror(errno)));
    }
    if (n == 0) return false;
    if (head_bytes < kHeaderBytes) {
      head_bytes += static_cast<size_t>(n);
      if (head_bytes == kHeaderBytes) {
        std::memcpy(&length, head + 1, sizeof length);
        if (length > max_bytes) too_long = true;
      }
    } else if (dst == scratch) {
      trailing = true;
    } else {
      payload_bytes += static_cast<size_t>(n);
    }
    return !too_long && !trailing;
  }
};

InputError file_error(const IsolationOptions& o, std::string expected, std::string found) {
  return InputError(InputLocation::file(o.input), "file", std::move(expected), std::move(found));
}

// `found` texts stay under kExcerptBytes (80), the part of bad input a message shows.
[[noreturn]] void throw_child_failure(const IsolationOptions& o, const Reply& reply, int status) {
  const std::string expected = fmt::format("a file {} can parse", o.parser);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const bool crash = sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT || sig == SIGFPE ||
                       sig == SIGILL || sig == SIGTRAP || sig == SIGSYS;
    const char* name = ::strsignal(sig);
    throw file_error(o, expected,
                     fmt::format("{} (signal {}, {})",
                                 crash ? o.parser + " crashed on this file"
                                       : "the " + o.parser + " reader process was killed",
                                 sig, name != nullptr ? name : "unknown"));
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code != 0) {
    // An abort handled by a sanitizer, or its report of a memory error inside the parser.
    throw file_error(o, expected,
                     fmt::format("{} failed on this file (reader exit status {})", o.parser, code));
  }
  if (reply.too_long) {
    throw file_error(
        o, fmt::format("a reply of at most {} bytes from the reader process", o.max_reply_bytes),
        fmt::format("a reply declaring {} bytes (garbled)", reply.length));
  }
  throw file_error(o, "a complete reply from the reader process",
                   reply.trailing
                       ? std::string("bytes after the reply's end (garbled)")
                       : fmt::format("a truncated reply: {}/{} header, {}/{} payload "
                                     "bytes",
                                     reply.head_bytes, kHeaderBytes, reply.payload_bytes,
                                     reply.head_bytes == kHeaderBytes ? reply.length : 0));
}

[[noreturn]] void throw_timeout(const IsolationOptions& o) {
  throw file_error(
      o,
      fmt::format("a file {} reads within {} s (set {} to allow longer)", o.parser, o.deadline_s,
                  o.deadline_knob),
      fmt::format("no result after {} s; the reader process was stopped", o.deadline_s));
}

// The child's reply turned back into a result or the exception it stands for.
std::string unpack(const IsolationOptions& o, Reply& reply) {
  switch (reply.kind()) {
    case kResult:
      return std::move(reply.payload);
    case kInputError: {
      ReplyReader r(reply.payload, o.input, reply.payload.size());
      InputLocation where;
      where.path = r.text();
      where.line = r.i64();
      where.byte_offset = r.i64();
      std::string field = r.text();
      std::string expected = r.text();
      std::string found = r.text();
      r.finish();
      throw InputError(std::move(where), std::move(field), std::move(expected), std::move(found));
    }
    case kUsageError:
      throw UsageError(reply.payload);
    case kError:
      throw Error(reply.payload);
    case kOutOfMemory:
      throw file_error(o,
                       fmt::format("a file {} reads within the reader's memory limit ({} MiB)",
                                   o.parser, o.memory_bytes >> 20),
                       "the reader process ran out of memory");
    default:
      throw file_error(o, "a complete reply from the reader process",
                       fmt::format("an unknown reply kind {} (garbled)",
                                   static_cast<int>(static_cast<unsigned char>(reply.kind()))));
  }
}

}  // namespace

bool isolation_memory_limit_applies() {
#ifdef PHYSIOLITE_SANITIZED
  return false;
#else
  return true;
#endif
}

std::string run_isolated(const IsolationOptions& options,
                         const std::function<std::string()>& work) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw Error(fmt::format("cannot isolate the reading of {}: pipe: {}", options.input,
                            std::strerror(errno)));
  }
  // A 1 MiB pipe: fewer wake-ups for large replies (the default is 64 KiB); best effort.
  ::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
  const Clock::time_point deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(std::min(options.deadline_s, 1e9)));
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw Error(fmt::format("cannot isolate the reading of {}: fork: {}", options.input,
                            std::strerror(err)));
  }
  if (pid == 0) {
    ::close(fds[0]);
    run_child(fds[1], parent, options, work);
  }
  ::close(fds[1]);
  Child child(pid, fds[0]);

  Reply reply;
  for (bool open = true; open;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      child.kill_and_reap();
      throw_timeout(options);
    }
    pollfd p{child.fd(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), INT_MAX)));
    if (ready < 0 && errno != EINTR) {
      throw Error(
          fmt::format("poll on the reader process of {}: {}", options.input, std::strerror(errno)));
    }
    if (ready > 0) open = reply.read_from(child.fd(), options.max_reply_bytes);
  }
  if (reply.too_long || reply.trailing) {
    child.kill_and_reap();
    throw_child_failure(options, reply, 0);  // reported as the garbled reply it is
  }
  if (!child.reap_before(deadline)) {
    child.kill_and_reap();
    throw_timeout(options);
  }
  const int status = child.status();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !reply.complete()) {
    throw_child_failure(options, reply, status);
  }
  return unpack(options, reply);
}

double deadline_from_env(const char* name, double default_s) {
  const char* env = std::getenv(name);
  if (env == nullptr || *env == '\0') return default_s;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(env, &end);
  if (end == env || *end != '\0' || errno != 0 || !std::isfinite(v) || v <= 0) {
    throw UsageError(
        fmt::format("{}: expected a number of seconds > 0, got '{}'", name, excerpt(env)));
  }
  return v;
}

void ReplyReader::finish() const {
  if (!bytes_.empty()) garbled(fmt::format("{} bytes after the last field", bytes_.size()));
}

uint64_t ReplyReader::count(uint64_t element_bytes) {
  const uint64_t n = u64();
  if (n > max_elements_ || (element_bytes > 0 && n > bytes_.size() / element_bytes)) {
    garbled(fmt::format("a count of {} where {} bytes are left", n, bytes_.size()));
  }
  return n;
}

void ReplyReader::need(uint64_t n, const char* what) const {
  if (bytes_.size() < n) {
    garbled(fmt::format("{} bytes where {} needs {}", bytes_.size(), what, n));
  }
}

void ReplyReader::garbled(const std::string& found) const {
  throw InputError(InputLocation::file(input_), "file", "a complete reply from the reader process",
                   found + " (garbled reply)");
}

}  // namespace physiolite
