// Runs a parser of untrusted files in a child process, the way browsers isolate theirs: a
// library we cannot fix (Debian's libhdf5 1.10 crashes, hangs for minutes and leaks on forged
// files) can then only fail the child, and the parent turns every such failure into an
// InputError naming the file.
//
// The child is a fork() of the caller. It runs `work`, sends back what `work` wrote (or the
// exception it threw: InputError with every field, UsageError, Error) through a pipe, framed as
// one kind byte, a little-endian 64-bit length and the payload, and leaves with _exit (no atexit
// handlers, no flushing of stdio buffers it inherited, no leak check). Its stdin, stdout and
// stderr are /dev/null and every other inherited descriptor is closed, so it cannot write into
// the parent's outputs or progress bars; it gets no core dump and dies with the parent. The
// parent decodes the reply from the pipe with a size cap and a wall-clock deadline (poll, then
// SIGKILL), and reaps the child on every path.
//
// Threads: after fork only the calling thread exists in the child. `work` must therefore use
// only what is fork-safe in a multi-threaded parent (LibTorch keeps thread pools): malloc (glibc
// takes its arena locks around fork and resets them in the child, as it does stdio's), C++
// exceptions (GCC 12 finds unwind tables through glibc's lock-free _dl_find_object), and
// libraries no other thread is inside at that moment (libhdf5 is not thread-safe and is called
// from one thread only). It must not start threads or use OpenMP/LibTorch. A test forks while
// other threads allocate and throw.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace physiolite {

struct IsolationOptions {
  std::string input;             // the file parsed, named in every error ("x.h5")
  std::string parser;            // what parses it, for messages ("libhdf5")
  double deadline_s = 60;        // wall-clock time allowed, from fork to the child's exit
  std::string deadline_knob;     // how a user allows longer, for the timeout message
  uint64_t max_reply_bytes = 0;  // a longer reply is refused as garbled
  // Most elements one array or string of the reply may declare (with max_reply_bytes, what the
  // parent allocates at most for one field).
  uint64_t max_elements = UINT64_MAX;
  // Address space the child may add to what it inherited (setrlimit RLIMIT_AS), so a forged
  // size cannot swap the machine; 0 = no limit. Not applied under ASan/TSan/MSan, which reserve
  // terabytes of virtual memory (isolation_memory_limit_applies()).
  uint64_t memory_bytes = 0;
};

// False in sanitizer builds, where IsolationOptions::memory_bytes is ignored.
bool isolation_memory_limit_applies();

class ReplyWriter;
class ReplyReader;

// Runs `work` in a child process; `read` decodes, in the parent, what `work` wrote, straight from
// the pipe (large arrays are copied once, by the kernel, into the vectors `read` allocates).
// Rethrows the child's InputError, UsageError or Error as the same type with the same text.
// Throws InputError naming options.input (field "file") if the child was killed by a signal
// ("<parser> crashed on this file"), exited without a complete reply or with a non-zero status,
// ran past the deadline (it is killed), ran out of its memory limit, or sent a reply that is
// longer than the cap, shorter or longer than `read` decodes, or not framed as above. Throws
// Error if the process cannot be created (fork/pipe failed).
void run_isolated(const IsolationOptions& options, const std::function<void(ReplyWriter&)>& work,
                  const std::function<void(ReplyReader&)>& read);

// The same for a result that is one string: the bytes `work` returned.
std::string run_isolated(const IsolationOptions& options, const std::function<std::string()>& work);

// The deadline in seconds from the environment variable `name` if it is set (a number > 0),
// else `default_s`. UsageError naming the variable for any other value.
double deadline_from_env(const char* name, double default_s);

// Builds a child's reply: fixed-width little-endian numbers, length-prefixed strings and arrays.
// Arrays are moved in and written from where they are, not copied into one buffer.
class ReplyWriter {
 public:
  void u64(uint64_t v) { small(&v, sizeof v); }
  void i64(int64_t v) { small(&v, sizeof v); }
  void f64(double v) { small(&v, sizeof v); }
  void text(std::string_view s) {
    u64(s.size());
    small(s.data(), s.size());
  }
  void texts(const std::vector<std::string>& values) {
    u64(values.size());
    for (const auto& v : values) text(v);
  }
  template <class T>
  void array(std::vector<T> values) {
    static_assert(std::is_trivially_copyable_v<T>);
    u64(values.size());
    auto held = std::make_shared<std::vector<T>>(std::move(values));
    piece(held, held->data(), held->size() * sizeof(T));
  }
  // Bytes without a length (the whole reply of the string form of run_isolated).
  void bytes(std::string value) {
    auto held = std::make_shared<std::string>(std::move(value));
    piece(held, held->data(), held->size());
  }
  uint64_t size() const { return size_; }
  // Writes the reply to `fd`; false if a write failed.
  bool write_to(int fd);

 private:
  struct Piece {
    std::shared_ptr<const void> owner;
    const char* data;
    size_t size;
  };
  void small(const void* p, size_t n) {
    tail_.append(static_cast<const char*>(p), n);
    size_ += n;
  }
  void piece(std::shared_ptr<const void> owner, const void* data, size_t n);
  void flush_tail();

  std::vector<Piece> pieces_;
  std::string tail_;
  uint64_t size_ = 0;
};

// The end of the pipe run_isolated reads the reply from (internal).
struct ReplyPipe;

// Reads a ReplyWriter's bytes back, from memory or (in run_isolated) from the pipe. Every count
// is checked against the bytes left and against `max_elements` before anything is allocated; a
// short or inconsistent reply throws InputError naming `input` ("garbled reply"), as does
// finish() when bytes are left over. In-memory `bytes` must outlive the reader.
class ReplyReader {
 public:
  ReplyReader(std::string_view bytes, std::string input, uint64_t max_elements)
      : memory_(bytes),
        left_(bytes.size()),
        input_(std::move(input)),
        max_elements_(max_elements) {}
  ReplyReader(ReplyPipe& pipe, uint64_t length, std::string input, uint64_t max_elements)
      : pipe_(&pipe), left_(length), input_(std::move(input)), max_elements_(max_elements) {}

  uint64_t u64() { return fixed<uint64_t>(); }
  int64_t i64() { return fixed<int64_t>(); }
  double f64() { return fixed<double>(); }
  std::string text() {
    std::string s(count(1), '\0');
    take(s.data(), s.size());
    return s;
  }
  std::vector<std::string> texts() {
    std::vector<std::string> values(count(sizeof(uint64_t)));
    for (auto& v : values) v = text();
    return values;
  }
  template <class T>
  std::vector<T> array() {
    static_assert(std::is_trivially_copyable_v<T>);
    std::vector<T> values(count(sizeof(T)));
    take(values.data(), values.size() * sizeof(T));
    return values;
  }
  // The next `n` bytes as they are.
  std::string bytes(uint64_t n) {
    if (n > left_) garbled(fmt_short(n));
    std::string s(n, '\0');
    take(s.data(), n);
    return s;
  }
  uint64_t left() const { return left_; }
  // A count of elements of `element_bytes` each, which the remaining bytes can hold.
  uint64_t count(uint64_t element_bytes);
  // Throws the garbled-reply InputError with `what` unless `ok` (a consistency check).
  void check(bool ok, const char* what) const {
    if (!ok) garbled(what);
  }
  // Throws unless every byte was read.
  void finish() const;

 private:
  template <class T>
  T fixed() {
    T v;
    take(&v, sizeof v);
    return v;
  }
  void take(void* dst, uint64_t n);
  std::string fmt_short(uint64_t n) const;
  [[noreturn]] void garbled(const std::string& found) const;

  ReplyPipe* pipe_ = nullptr;
  std::string_view memory_;
  uint64_t left_;
  std::string input_;
  uint64_t max_elements_;
};

}  // namespace physiolite
