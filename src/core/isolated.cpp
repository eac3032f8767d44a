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
#include <cstring>
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
                            const std::function<void(ReplyWriter&)>& work) {
  const int fd = prepare_child(reply_fd, parent, options.memory_bytes);
  char kind = kResult;
  ReplyWriter result;
  std::string payload;
  try {
    work(result);
  } catch (const InputError& e) {
    kind = kInputError;
    ReplyWriter w;
    w.text(e.where().path);
    w.i64(e.where().line);
    w.i64(e.where().byte_offset);
    w.text(e.field());
    w.text(e.expected());
    // What the parent reads whole before the exit status (kMaxErrorReplyBytes) must fit.
    w.text(std::string_view(e.found()).substr(0, 64 * 1024));
    result = std::move(w);
  } catch (const UsageError& e) {
    kind = kUsageError;
    payload = std::string(e.what()).substr(0, 64 * 1024);
  } catch (const std::bad_alloc&) {
    kind = kOutOfMemory;
  } catch (const std::exception& e) {
    kind = kError;
    payload = std::string(e.what()).substr(0, 64 * 1024);
  } catch (...) {
    kind = kError;
    payload = "an exception that is not a std::exception";
  }
  if (kind != kResult && kind != kInputError) {
    result = ReplyWriter();
    result.bytes(std::move(payload));
  }
  const std::string h = header(kind, result.size());
  const bool sent = write_all(fd, h.data(), h.size()) && result.write_to(fd);
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
        const int error = errno;
        if (pidfd >= 0) ::close(pidfd);
        throw Error(fmt::format("waitpid: {}", std::strerror(error)));
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

// Thrown by pull_reply when the pipe ends before the reply does, or the deadline passes.
struct ReplyEnded {};
struct DeadlinePassed {};

}  // namespace

// The read end of the child's pipe, with the deadline every wait on it respects. Small fields
// (a reply can hold 10^5 short strings) come from a buffer; large arrays are read straight into
// their destination.
struct ReplyPipe {
  int fd;
  Clock::time_point deadline;
  uint64_t received = 0;  // bytes taken so far, for messages
  uint64_t expected = kHeaderBytes;
  std::vector<char> buffer = std::vector<char>(64 * 1024);
  size_t begin = 0, end = 0;  // buffer[begin, end) is read but not yet taken

  // Takes exactly `n` bytes into `dst`, waiting at most until the deadline.
  void pull(char* dst, uint64_t n) {
    if (n == 0) return;  // (dst may be the null data() of an empty vector)
    const size_t buffered = std::min<uint64_t>(n, end - begin);
    std::memcpy(dst, buffer.data() + begin, buffered);
    begin += buffered;
    dst += buffered;
    n -= buffered;
    received += buffered;
    while (n > 0) {
      if (n >= buffer.size()) {
        const size_t k = read_some(dst, n);
        dst += k;
        n -= k;
        received += k;
      } else {
        begin = 0;
        end = read_some(buffer.data(), buffer.size());
        const size_t k = std::min<uint64_t>(n, end);
        std::memcpy(dst, buffer.data(), k);
        begin = k;
        dst += k;
        n -= k;
        received += k;
      }
    }
  }

  // One read of at most `n` bytes (at least 1); throws at the end of the pipe or the deadline.
  size_t read_some(char* dst, uint64_t n) {
    for (;;) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) throw DeadlinePassed{};
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), INT_MAX)));
      if (ready < 0 && errno != EINTR) {
        throw Error(fmt::format("poll on a reader process: {}", std::strerror(errno)));
      }
      if (ready <= 0) continue;
      const ssize_t k = ::read(fd, dst, static_cast<size_t>(std::min<uint64_t>(n, SSIZE_MAX)));
      if (k < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        throw Error(fmt::format("reading a reader process's reply: {}", std::strerror(errno)));
      }
      if (k == 0) throw ReplyEnded{};
      return static_cast<size_t>(k);
    }
  }

  // True if the child closed the pipe with nothing more in it.
  bool at_end() {
    char extra;
    try {
      pull(&extra, 1);
    } catch (const ReplyEnded&) {
      return true;
    }
    return false;
  }
};

namespace {

InputError file_error(const IsolationOptions& o, std::string expected, std::string found) {
  return InputError(InputLocation::file(o.input), "file", std::move(expected), std::move(found));
}

// `found` texts stay under kExcerptBytes (80), the part of bad input a message shows.
[[noreturn]] void throw_child_failure(const IsolationOptions& o, const ReplyPipe& pipe,
                                      int status) {
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
  throw file_error(o, "a complete reply from the reader process",
                   fmt::format("a truncated reply: {} of {} bytes", pipe.received, pipe.expected));
}

[[noreturn]] void throw_timeout(const IsolationOptions& o) {
  throw file_error(
      o,
      fmt::format("a file {} reads within {} s (set {} to allow longer)", o.parser, o.deadline_s,
                  o.deadline_knob),
      fmt::format("no result after {} s; the reader process was stopped", o.deadline_s));
}

// An error reply turned back into the exception it stands for.
[[noreturn]] void throw_reply_error(const IsolationOptions& o, char kind, ReplyReader& r) {
  switch (kind) {
    case kInputError: {
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
      throw UsageError(r.bytes(r.left()));
    case kError:
      throw Error(r.bytes(r.left()));
    case kOutOfMemory:
      throw file_error(o,
                       fmt::format("a file {} reads within the reader's memory limit ({} MiB)",
                                   o.parser, o.memory_bytes >> 20),
                       "the reader process ran out of memory");
    default:
      throw file_error(o, "a complete reply from the reader process",
                       fmt::format("an unknown reply kind {} (garbled)",
                                   static_cast<int>(static_cast<unsigned char>(kind))));
  }
}

// An error reply is read whole before the child's exit status is known; this caps it.
constexpr uint64_t kMaxErrorReplyBytes = 1 << 20;

}  // namespace

bool isolation_memory_limit_applies() {
#ifdef PHYSIOLITE_SANITIZED
  return false;
#else
  return true;
#endif
}

void run_isolated(const IsolationOptions& options, const std::function<void(ReplyWriter&)>& work,
                  const std::function<void(ReplyReader&)>& read) {
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

  ReplyPipe pipe{child.fd(), deadline};
  char kind = 0;
  std::string error_reply;
  try {
    char head[kHeaderBytes];
    pipe.pull(head, kHeaderBytes);
    kind = head[0];
    uint64_t length;
    std::memcpy(&length, head + 1, sizeof length);
    const uint64_t cap = kind == kResult ? options.max_reply_bytes : kMaxErrorReplyBytes;
    if (length > cap) {
      child.kill_and_reap();
      throw file_error(options,
                       fmt::format("a reply of at most {} bytes from the reader process", cap),
                       fmt::format("a reply declaring {} bytes (garbled)", length));
    }
    pipe.expected = kHeaderBytes + length;
    if (kind == kResult) {
      ReplyReader reader(pipe, length, options.input, options.max_elements);
      read(reader);
      reader.finish();
    } else {
      error_reply.resize(length);
      pipe.pull(error_reply.data(), length);
    }
    if (!pipe.at_end()) {
      child.kill_and_reap();
      throw file_error(options, "a complete reply from the reader process",
                       "bytes after the reply's end (garbled)");
    }
  } catch (const DeadlinePassed&) {
    child.kill_and_reap();
    throw_timeout(options);
  } catch (const ReplyEnded&) {
    // The child ended before its reply did: its exit status says why.
    if (!child.reap_before(deadline)) {
      child.kill_and_reap();
      throw_timeout(options);
    }
    throw_child_failure(options, pipe, child.status());
  }
  if (!child.reap_before(deadline)) {
    child.kill_and_reap();
    throw_timeout(options);
  }
  const int status = child.status();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw_child_failure(options, pipe, status);
  if (kind != kResult) {
    ReplyReader r(error_reply, options.input, kMaxErrorReplyBytes);
    throw_reply_error(options, kind, r);
  }
}

std::string run_isolated(const IsolationOptions& options,
                         const std::function<std::string()>& work) {
  std::string result;
  run_isolated(
      options, [&](ReplyWriter& w) { w.bytes(work()); },
      [&](ReplyReader& r) { result = r.bytes(r.left()); });
  return result;
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

void ReplyWriter::piece(std::shared_ptr<const void> owner, const void* data, size_t n) {
  flush_tail();
  pieces_.push_back({std::move(owner), static_cast<const char*>(data), n});
  size_ += n;
}

void ReplyWriter::flush_tail() {
  if (tail_.empty()) return;
  auto held = std::make_shared<std::string>(std::move(tail_));
  tail_.clear();
  pieces_.push_back({held, held->data(), held->size()});
}

bool ReplyWriter::write_to(int fd) {
  flush_tail();
  for (const Piece& p : pieces_) {
    if (!write_all(fd, p.data, p.size)) return false;
  }
  return true;
}

void ReplyReader::take(void* dst, uint64_t n) {
  if (n > left_) garbled(fmt_short(n));
  if (pipe_ != nullptr) {
    pipe_->pull(static_cast<char*>(dst), n);
  } else if (n > 0) {
    std::memcpy(dst, memory_.data(), n);
    memory_.remove_prefix(n);
  }
  left_ -= n;
}

std::string ReplyReader::fmt_short(uint64_t n) const {
  return fmt::format("{} bytes left where {} are needed", left_, n);
}

void ReplyReader::finish() const {
  if (left_ > 0) garbled(fmt::format("{} bytes after the last field", left_));
}

uint64_t ReplyReader::count(uint64_t element_bytes) {
  const uint64_t n = u64();
  if (n > max_elements_ || (element_bytes > 0 && n > left_ / element_bytes)) {
    garbled(fmt::format("a count of {} where {} bytes are left", n, left_));
  }
  return n;
}

void ReplyReader::garbled(const std::string& found) const {
  throw InputError(InputLocation::file(input_), "file", "a complete reply from the reader process",
                   found + " (garbled reply)");
}

}  // namespace physiolite
