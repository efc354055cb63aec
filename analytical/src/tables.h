// Internal: per-group sums over the (PE, step) pairs of one advancing-loop class (docs/
// ANALYTICAL.md, points 4–6), keyed by step tuple, built on demand per layer.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "baton/dataflow/schedule.h"
#include "arena.h"
#include "chains.h"
#include "picks.h"

namespace baton::detail {

// memset in pieces below 2 KB: larger ones take a `rep stosb` path that is slow to count under
// callgrind (and no faster at these sizes). All-zero bytes are +0.0 (IEEE 754), nullptr and 0:
// zeros without a store per field.
inline void zero_bytes(void* p, size_t bytes) {
  std::byte* b = static_cast<std::byte*>(p);
  for (; bytes >= 2048; b += 1024, bytes -= 1024) std::memset(b, 0, 1024);
  std::memset(b, 0, bytes);
}

// One coordinate of a tensor (a dim, or a window pair {P, R} / {Q, S}), or a free dim (a dim
// the tensor does not depend on). No default member initialisers: Groups (Small) value-
// initialises by zero-filling instead of constructing every slot; tensor_groups sets each field.
struct Group {
  std::array<Dim, 2> dims;
  int ndims;
  int64_t sigma;
  bool coupled;
};
using Groups = Small<Group, kNumDims>;
Groups tensor_groups(const LayerSpec& L, Tensor t);
void tensor_groups(const LayerSpec& L, Tensor t, Groups& out);  // in place

// Per-PE sums of |N|, |H|, |N ∩ H| over a group's units (counts for free dims), and the same
// with siblings collapsed (multicast / reduction distinct counts).
struct Sums {
  double n = 0, h = 0, i = 0;
  double nd = 0, hd = 0, id = 0;
};

// A group table: Sums per step tuple of the group's dims, by key = dense tuple id (window pairs:
// id(a)·ids(b) + id(b); free dims at kStep0 / kFinal: key 0). Missing keys hold zeros. `total`
// sums every key weighted by the top-level indices it stands for (sparse chains).
struct FlatTable {
  const Sums* v = nullptr;
  int64_t size = 0;
  Sums total;
  const Sums* at(int64_t key) const { return key >= 0 && key < size ? &v[key] : nullptr; }
};

// Group tables of every tensor. A dim's table depends on the position k only through the loop at
// k (if it is on the dim) or the number of the dim's loops before k, so each is built once per
// such variant. The constructor lists every variant's picks of each dim in one pass over its
// entries (the lists are short: per-pass overhead dominates) and builds the single-dim tables
// (coupled and free) of the variants step 0, the end and the advancing positions use; window
// tables and any other variant are built on demand from the listed picks. Tables live in an
// arena owned by this object.
class Tables {
 public:
  Tables(const Schedule& s, const Chains& chains, Mem* mem = heap_mem());
  ~Tables();
  Tables(const Tables&) = delete;
  Tables& operator=(const Tables&) = delete;
  const Groups& groups(int t) const { return groups_[t]; }
  // Groups of tensor t whose dims have loops; the others contribute the same Sums in every
  // mode and position (one tile, held throughout), multiplied into constant(t).
  const Small<int8_t, kNumDims>& varying(int t) const { return varying_[t]; }
  const Sums& constant(int t) const { return constant_[t]; }
  bool has(int t) const { return has_[t]; }
  const FlatTable& get(int t, size_t g, Mode mode, int k) { return at_row(t, g, row(mode, k)); }
  // The same by variant row: a transition's position k, or row(Mode::kStep0 / kFinal, 0).
  const FlatTable& at_row(int t, size_t g, int r) {
    // Built tables are looked up inline; build() makes the missing ones.
    const Ref& rf = ref_[t][g];
    const int16_t* var = &var_[r * kNumDims];
    const FlatTable* p = rf.window ? window_[rf.base + var[rf.a] * nv_ + var[rf.b]]
                                   : single_[rf.base + var[rf.a]];
    return p ? *p : build(t, g, r);
  }
  // Tensor t's varying-group tables (varying(t) order) at variant row r, looked up on first use
  // (every tensor's at once) and kept: tensor_counts and StepModel::eval read the same rows (the
  // advancing positions).
  const FlatTable* const* row_tables(int t, int r) {
    const FlatTable** p = rowtab_[r * 3 + t];
    return p ? p : fill_row(t, r);
  }
  int row(Mode mode, int k) const {
    return mode == Mode::kTransition ? k : mode == Mode::kStep0 ? m_ : m_ + 1;
  }
  int loops() const { return m_; }
  // Global loop positions some step advances (the loop's index reaches 1), in order.
  struct Positions {
    const int16_t* b;
    const int16_t* e;
    const int16_t* begin() const { return b; }
    const int16_t* end() const { return e; }
  };
  Positions advancing() const { return {advancing_, advancing_ + nadvancing_}; }
  // Per dim, over its entries: Σ combo weight · top-level weight · |range| (what a tensor coupled
  // to the dim holds, summed over units and indices), Σ combo weight over active combos, and
  // whether any combo is active.
  struct Held {
    double coupled = 0, free = 0, any = 0;
  };
  const Held& held(Dim d) const { return held_[idx(d)]; }

  struct Scratch;  // reusable buffers of the window tables

 private:
  static constexpr int kMaxVariants = 2 * 16 + 3;  // build_chains allows 16 loops per dim
  // var_ row m_ is step 0, m_ + 1 the end; dims without loops have variant 0 in every row (one
  // tile held throughout: the same picks in every mode).
  int variant(Dim d, int r) const { return var_[r * kNumDims + idx(d)]; }
  // Where group (t, g)'s tables are: single_[base + variant(a)], or
  // window_[base + variant(a) · nv + variant(b)].
  struct Ref {
    int32_t base = 0;
    int8_t a = 0, b = 0;
    bool window = false;
  };
  std::array<std::array<Ref, kNumDims>, 3> ref_{};
  const FlatTable& build(int t, size_t g, int r);
  const FlatTable** fill_row(int t, int r);
  // Lists every variant's picks of a dim.
  void list_picks(const DimChain& c);
  // Single-dim tables (coupled and free) of the variants v with need[v], none built yet.
  void build_single(const DimChain& c, const uint8_t* need);
  // A dim without loops with one tuple: its coupled and free tables into ft[0], ft[1] (and
  // their keys after them), and its Held.
  void build_fixed(const DimChain& c, FlatTable* ft);
  const FlatTable& build_window(int t, size_t g, int va, int vb);
  // Scratch is defined with the window tables (tables_window.cpp), so is its deleter.
  struct ScratchFree {
    Mem* mem = nullptr;
    void operator()(Scratch* p) const;
  };
  using ScratchPtr = std::unique_ptr<Scratch, ScratchFree>;
  static ScratchPtr new_scratch(Mem* mem);
  // The window tables' buffers, made on first use (most layers' windows never need them).
  Scratch& scratch();
  // Fills a window table whose keys follow it in memory.
  void fill_window(FlatTable& tab, const Group& gr, int va, int vb);

  // A pick (for_picks): step entry, previous entry, top-level weight, combo weight.
  struct Pick {
    const ChainEntry* x;
    const ChainEntry* y;
    double w, cw;
  };
  // Dim d's picks of variant v: picks_[d] + v * stride_[d], npicks_[d * nv_ + v] of them.
  const Pick* picks(int d, int v, int32_t& n) const {
    n = npicks_[d * nv_ + v];
    return picks_[d] + static_cast<size_t>(v) * stride_[d];
  }

  const Chains& chains_;
  int m_ = 0, nv_ = 3;
  std::array<Groups, 3> groups_;
  std::array<Small<int8_t, kNumDims>, 3> varying_;
  std::array<Sums, 3> constant_;
  std::array<bool, 3> has_{};
  // Index arrays, in one zeroed block of store_:
  int16_t* var_ = nullptr;        // [row * kNumDims + dim]: variant (row: see row())
  int16_t* advancing_ = nullptr;  // nadvancing_ positions
  int nadvancing_ = 0;
  std::array<Held, kNumDims> held_{};
  FlatTable** single_ = nullptr;  // [(dim * 2 + coupled) * nv + variant]
  FlatTable** window_ = nullptr;  // [(slot * nv + variant_a) * nv + variant_b]
  const FlatTable*** rowtab_ = nullptr;  // [row * 3 + tensor]: row_tables, or null
  std::array<const Pick*, kNumDims> picks_{};
  std::array<size_t, kNumDims> stride_{};
  int32_t* npicks_ = nullptr;     // [dim * nv + variant]
  Bump store_;  // the tables' Sums and FlatTables
  ScratchPtr scratch_;
};

}  // namespace baton::detail
