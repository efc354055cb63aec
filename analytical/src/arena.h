// Internal: per-evaluation memory. analyze() owns one Arena; the model's internal containers
// allocate from it (a pointer bump instead of a malloc/free pair each) and everything is released
// when the evaluation ends — nothing outlives one call. Without an arena (tests, the exact
// passes) the containers use the default heap resource.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <memory_resource>
#include <vector>

namespace baton::detail {

template <class T>
using Vec = std::pmr::vector<T>;
using Mem = std::pmr::memory_resource;

inline Mem* heap_mem() { return std::pmr::get_default_resource(); }

// A vector of at most N elements stored inline (no allocation).
template <class T, size_t N>
struct Small {
  std::array<T, N> v{};
  size_t n = 0;
  bool push_back(const T& x) {  // false when full
    if (n == N) return false;
    v[n++] = x;
    return true;
  }
  size_t size() const { return n; }
  bool empty() const { return n == 0; }
  T& operator[](size_t i) { return v[i]; }
  const T& operator[](size_t i) const { return v[i]; }
  const T* begin() const { return v.data(); }
  const T* end() const { return v.data() + n; }
};

class Arena {
 public:
  // The first block holds a typical layer's data; more blocks come from the heap as needed.
  explicit Arena(size_t bytes = size_t{1} << 16)
      : block_(new std::byte[bytes]), res_(block_.get(), bytes, heap_mem()) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Mem* mem() { return &res_; }

 private:
  std::unique_ptr<std::byte[]> block_;
  std::pmr::monotonic_buffer_resource res_;
};

}  // namespace baton::detail
