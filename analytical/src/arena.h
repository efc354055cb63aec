// Internal: per-evaluation memory. analyze() owns one Arena; the model's internal containers
// allocate from it (a pointer bump instead of a malloc/free pair each) and everything is released
// when the evaluation ends — nothing outlives one call. Without an arena (tests, the exact
// passes) the containers use the default heap resource.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <new>
#include <utility>
#include <vector>

namespace baton::detail {

template <class T>
using Vec = std::pmr::vector<T>;
using Mem = std::pmr::memory_resource;

inline Mem* heap_mem() { return std::pmr::get_default_resource(); }

// An object allocated from a memory resource (an analyze() arena: no malloc), destroyed and
// returned to it by the pointer.
template <class T>
struct MemDelete {
  Mem* mem = nullptr;
  void operator()(T* p) const {
    p->~T();
    mem->deallocate(p, sizeof(T), alignof(T));
  }
};
template <class T>
using MemPtr = std::unique_ptr<T, MemDelete<T>>;
template <class T, class... A>
MemPtr<T> make_in(Mem* mem, A&&... a) {
  void* raw = mem->allocate(sizeof(T), alignof(T));
  try {
    return MemPtr<T>(new (raw) T(std::forward<A>(a)...), MemDelete<T>{mem});
  } catch (...) {
    mem->deallocate(raw, sizeof(T), alignof(T));
    throw;
  }
}

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

// Bump allocation in blocks taken from an upstream resource and returned to it at destruction
// (memory that lives as long as its owner, e.g. Tables', without a virtual call each).
class Bump {
 public:
  Bump(size_t block, Mem* up) : up_(up), block_(block), blocks_(up) {}
  ~Bump() {
    for (const auto& [p, n] : blocks_) up_->deallocate(p, n, alignof(std::max_align_t));
  }
  Bump(const Bump&) = delete;
  Bump& operator=(const Bump&) = delete;
  void* allocate(size_t bytes, size_t align) {
    const uintptr_t p = (reinterpret_cast<uintptr_t>(cur_) + align - 1) & ~(uintptr_t(align) - 1);
    if (cur_ && p + bytes <= reinterpret_cast<uintptr_t>(end_)) {
      cur_ = reinterpret_cast<std::byte*>(p + bytes);
      return reinterpret_cast<void*>(p);
    }
    const size_t n = std::max(block_, bytes + align);
    void* b = up_->allocate(n, alignof(std::max_align_t));
    blocks_.emplace_back(b, n);
    cur_ = static_cast<std::byte*>(b);
    end_ = cur_ + n;
    return allocate(bytes, align);
  }

 private:
  Mem* up_;
  size_t block_;
  std::pmr::vector<std::pair<void*, size_t>> blocks_;
  std::byte* cur_ = nullptr;
  std::byte* end_ = nullptr;
};

// A bump allocator: allocation is a pointer increment in the current block, deallocation does
// nothing, blocks are freed with the arena. The first block is part of the object (analyze()
// keeps it on its stack frame: 64 KB, a typical layer uses ≈ 47 KB), so a typical layer allocates
// nothing from the heap.
class Arena final : public std::pmr::memory_resource {
 public:
  Arena() : cur_(first_), end_(first_ + sizeof(first_)) {}
  ~Arena() override {
    while (blocks_) {
      Block* b = blocks_;
      blocks_ = b->next;
      ::operator delete(b);
    }
  }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Mem* mem() { return this; }

 private:
  struct Block {
    Block* next;
  };
  void* do_allocate(size_t bytes, size_t align) override {
    const uintptr_t p = (reinterpret_cast<uintptr_t>(cur_) + align - 1) & ~(uintptr_t(align) - 1);
    if (p + bytes <= reinterpret_cast<uintptr_t>(end_)) {
      cur_ = reinterpret_cast<std::byte*>(p + bytes);
      return reinterpret_cast<void*>(p);
    }
    return grow(bytes, align);
  }
  void* grow(size_t bytes, size_t align) {
    const size_t want = std::max<size_t>(2 * (bytes + align), size_t{1} << 16);
    Block* b = static_cast<Block*>(::operator new(sizeof(Block) + want));
    b->next = blocks_;
    blocks_ = b;
    cur_ = reinterpret_cast<std::byte*>(b + 1);
    end_ = cur_ + want;
    return do_allocate(bytes, align);
  }
  void do_deallocate(void*, size_t, size_t) override {}
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override {
    return this == &o;
  }

  alignas(std::max_align_t) std::byte first_[size_t{1} << 16];
  std::byte* cur_;
  std::byte* end_;
  Block* blocks_ = nullptr;
};

}  // namespace baton::detail
