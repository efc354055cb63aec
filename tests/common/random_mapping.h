// Test helper: deterministic random small layers with random, valid-looking dataflows, emitted as
// MAESTRO `.m` text (one layer per network) so that the parser, the validator and the Schedule
// are all exercised by property tests (tests/dataflow/property_test.cpp).
//
//   RandomCase c = random_case(seed);   // same seed -> same text, on every platform
//
// The generator follows DIRECTIVES.md rules 1–11 while it draws, tracking every level's extents
// (a level's extent is the tile the level above gave it, clipped), so nearly every case is valid:
//  * layer types CONV (strides 1–3, R ≠ S, Y/X or Y'/X' declared, sometimes one-dimensional),
//    DSCONV and POOL (K: 1), NGCONV (G 1–3), GEMM (M, N, K), FC, TRCONV (stride 2);
//  * 1–3 levels (Cluster sizes 1–4); pes = product × 1..5, sometimes plus a remainder so that the
//    top level has ⌊pes / product⌋ units;
//  * per level 0–4 directives on distinct dimensions in random order, exactly one SpatialMap when
//    the level has several units (sometimes also with one unit), sizes 1..extent+1 (sometimes
//    larger: clipped), offset = size on non-window dimensions, Y/X windows by rule 6, `Sz(...)`
//    and `Constant` operands, and sometimes an Eyeriss-style zipped `SpatialMap(1,1) Y;
//    SpatialMap(1,1) R;` in a `Cluster(Sz(R),P)` level below `SpatialMap(1,1) Y'` and
//    `TemporalMap(Sz(R),Sz(R)) R`.
// The description lists the layer, the units per level, the loops the Schedule must contain
// (`loops=[K:S2,Y':T1][R:Z1]`: per level, internal dim, Temporal/Spatial/Zipped, clipped tile in
// output coordinates) and bracketed feature tags ([zip], [trconv], [3level], [fold_partial],
// [stride], [clipped], [sz], [pes_rem], [const], [1unit_spatial], [zip_rows]).
// It uses only the standard library: no baton header, so it can never share a bug with baton.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace baton::test {

struct RandomCase {
  std::string text;  // a complete `.m` file: one network with one layer and its Dataflow
  int64_t pes = 1;   // hardware PE count to compile it with
  std::string description;
};

namespace random_mapping_detail {

// Portable draws: std::mt19937_64's output is fixed by the standard, the distributions are not,
// so all draws are derived from raw engine output here.
class Rng {
 public:
  explicit Rng(uint64_t seed) : g_(seed) {}
  int64_t uni(int64_t lo, int64_t hi) {  // inclusive, lo <= hi (tiny spans: modulo bias is fine)
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(g_() % span);
  }
  bool chance(double p) { return static_cast<double>(g_() >> 11) * (1.0 / 9007199254740992.0) < p; }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i)
      std::swap(v[i - 1], v[static_cast<size_t>(uni(0, static_cast<int64_t>(i) - 1))]);
  }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(uni(0, static_cast<int64_t>(v.size()) - 1))];
  }

 private:
  std::mt19937_64 g_;
};

// Internal axes in output coordinates, in baton's Dim order (P = Y' rows, Q = X' cols).
enum Ax { kN, kG, kK, kC, kM, kP, kQ, kR, kS, kNumAx };

struct Layer {
  std::string type;
  std::array<int64_t, kNumAx> ext{};  // full extents (1 where unused)
  int64_t sy = 1, sx = 1;             // window stride of the (lowered) layer
  int64_t in_rows = 1, in_cols = 1;   // Sz(Y), Sz(X): input rows/cols of the (lowered) layer
  int64_t orig_sy = 1, orig_sx = 1;   // declared strides (TRCONV: the upsampling)
  std::set<std::string> declared;     // dimension names written in `Dimensions`
  std::vector<std::pair<std::string, int64_t>> dims;     // as written, in order
  std::vector<std::pair<std::string, int64_t>> strides;  // as written, in order
  bool gemm = false, trconv = false, fc = false;
  bool conv_like() const { return !gemm && !fc; }
  std::vector<Ax> axes;  // mappable axes
  int64_t macs() const {
    int64_t m = 1;
    for (int64_t e : ext) m *= e;
    return m;
  }
  bool has_sz(const std::string& n) const {
    if (n == "Y" || n == "Y'") return !gemm && (declared.count("Y") || declared.count("Y'"));
    if (n == "X" || n == "X'") return !gemm && (declared.count("X") || declared.count("X'"));
    return declared.count(n) != 0;
  }
};

inline const char* ax_name(Ax a) {
  static const char* kNames[] = {"N", "G", "K", "C", "M", "Y'", "X'", "R", "S"};
  return kNames[a];
}

// One directive as it will be written, plus what it does to the extents below.
struct Dir {
  Ax ax = kK;
  bool spatial = false;
  bool can_be_spatial = true;  // false for the forced `TemporalMap(Sz(R),Sz(R)) R` above a zip
  bool zipped = false;
  std::string size_txt, off_txt, dim_txt;
  int64_t tile = 1;  // resulting tile (already clipped) along ax, in output coordinates
  bool clipped = false;
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : seed_(seed), rng_(seed) {}

  RandomCase run() {
    style_ = static_cast<int>(rng_.uni(0, 2));
    one_line_ = rng_.chance(0.2);
    curly_ = rng_.chance(0.05);
    if (rng_.chance(0.15)) const_value_ = rng_.uni(1, 3);
    make_layer();
    make_dataflow();
    if (const_used_) add_tag("[const]");
    RandomCase c;
    c.text = render();
    c.pes = pes_;
    c.description = describe();
    return c;
  }

 private:
  // ---------------------------------------------------------------- layer
  void declare(const std::string& n, int64_t v) {
    L_.dims.emplace_back(n, v);
    L_.declared.insert(n);
  }

  // One sliding-window axis of a CONV-like (non-TRCONV) layer.
  void window_axis(bool rows, bool one_dim) {
    const Ax out = rows ? kP : kQ, k = rows ? kR : kS;
    const char* kn = rows ? "R" : "S";
    const char* in_n = rows ? "Y" : "X";
    const char* out_n = rows ? "Y'" : "X'";
    if (one_dim) {  // S and X left undeclared: both default to 1
      L_.ext[out] = L_.ext[k] = 1;
      return;
    }
    const int64_t kk = rng_.uni(1, 4);
    const int64_t sigma = rng_.chance(0.55) ? 1 : rng_.uni(2, 3);
    const int64_t p = rng_.uni(1, 6);
    L_.ext[k] = kk;
    L_.ext[out] = p;
    (rows ? L_.sy : L_.sx) = sigma;
    (rows ? L_.orig_sy : L_.orig_sx) = sigma;
    declare(kn, kk);
    int64_t in = (p - 1) * sigma + kk;
    if (rng_.chance(0.3)) {
      declare(out_n, p);
    } else {
      in += rng_.uni(0, sigma - 1);  // rows that no output window reaches
      declare(in_n, in);
    }
    (rows ? L_.in_rows : L_.in_cols) = in;
  }

  void make_layer_once() {
    L_ = Layer{};
    L_.ext.fill(1);
    const int64_t t = rng_.uni(0, 99);
    L_.type = t < 28   ? "CONV"
              : t < 40 ? "DSCONV"
              : t < 52 ? "NGCONV"
              : t < 64 ? "GEMM"
              : t < 74 ? "FC"
              : t < 88 ? "TRCONV"
                       : "POOL";
    L_.gemm = L_.type == "GEMM";
    L_.fc = L_.type == "FC";
    L_.trconv = L_.type == "TRCONV";
    if (L_.gemm) {
      for (Ax a : {kM, kN, kK}) {
        L_.ext[a] = rng_.uni(1, 9);
        declare(a == kM ? "M" : a == kN ? "N" : "K", L_.ext[a]);
      }
      L_.axes = {kM, kN, kK};
      return;
    }
    const int64_t n = rng_.uni(1, 2);
    L_.ext[kN] = n;
    if (n > 1 || rng_.chance(0.5)) declare("N", n);
    if (L_.type == "DSCONV" || L_.type == "POOL") {
      L_.ext[kK] = 1;
      declare("K", 1);
      L_.ext[kC] = rng_.uni(1, 9);
      declare("C", L_.ext[kC]);
    } else if (L_.type == "NGCONV") {
      L_.ext[kG] = rng_.uni(1, 3);
      declare("G", L_.ext[kG]);
      L_.ext[kK] = rng_.uni(1, 5);
      declare("K", L_.ext[kK]);
      L_.ext[kC] = rng_.uni(1, 5);
      declare("C", L_.ext[kC]);
    } else {
      const int64_t kmax = L_.trconv ? 4 : 9;
      L_.ext[kK] = rng_.uni(1, kmax);
      declare("K", L_.ext[kK]);
      L_.ext[kC] = rng_.uni(1, kmax);
      declare("C", L_.ext[kC]);
    }
    if (L_.fc) {
      if (rng_.chance(0.4))
        for (const char* d : {"R", "S", "Y", "X"}) declare(d, 1);
    } else if (L_.trconv) {
      // Upsampling 2 (explicit, or the default σ = R = S = 2); lowered to a stride-1 CONV.
      const int64_t r = rng_.uni(1, 3), s = rng_.uni(1, 3);
      const int64_t y = rng_.uni(1, 3), x = rng_.uni(1, 3);
      const bool implicit = r == 2 && s == 2 && rng_.chance(0.5);
      if (!implicit) {
        L_.strides = {{"X", 2}, {"Y", 2}};
        if (rng_.chance(0.5)) std::swap(L_.strides[0], L_.strides[1]);
      }
      L_.orig_sy = L_.orig_sx = 2;
      L_.ext[kR] = r;
      L_.ext[kS] = s;
      declare("R", r);
      declare("S", s);
      declare("Y", y);
      declare("X", x);
      L_.ext[kP] = (y - 1) * 2 + r;
      L_.ext[kQ] = (x - 1) * 2 + s;
      L_.in_rows = (y - 1) * 2 + 1 + 2 * (r - 1);
      L_.in_cols = (x - 1) * 2 + 1 + 2 * (s - 1);
    } else {
      window_axis(true, false);
      window_axis(false, rng_.chance(0.1));
      if (L_.sy > 1 || L_.sx > 1 || rng_.chance(0.2)) {
        if (L_.sx > 1 || rng_.chance(0.7)) L_.strides.emplace_back("X", L_.sx);
        if (L_.sy > 1 || rng_.chance(0.7)) L_.strides.emplace_back("Y", L_.sy);
        if (rng_.chance(0.5)) std::reverse(L_.strides.begin(), L_.strides.end());
      }
    }
    L_.axes = {kN, kK, kC, kP, kQ, kR, kS};
    if (L_.type == "NGCONV") L_.axes.push_back(kG);
  }

  void make_layer() {
    for (int attempt = 0; attempt < 50; ++attempt) {
      make_layer_once();
      if (L_.macs() <= 6000) break;
    }
    rng_.shuffle(L_.dims);
    if (L_.trconv) add_tag("[trconv]");
    if (!L_.trconv && (L_.sy > 1 || L_.sx > 1)) add_tag("[stride]");
  }

  // ---------------------------------------------------------------- dataflow
  std::string lit(int64_t v) {
    if (const_value_ && v == const_value_ && rng_.chance(0.5)) {
      const_used_ = true;
      return "TILE";
    }
    return std::to_string(v);
  }

  // Size (= offset) of a non-window directive on `ax` at a level with extent E.
  void plain_tile(Dir& d, Ax ax, int64_t E) {
    const std::string name = L_.gemm ? (ax == kM ? "M" : ax == kN ? "N" : "K") : ax_name(ax);
    d.ax = ax;
    d.dim_txt = name;
    if (ax == kP || ax == kQ) d.dim_txt = prime(ax == kP ? "Y" : "X");
    int64_t s;
    if (L_.has_sz(name) && rng_.chance(0.08)) {
      s = L_.ext[ax];
      d.size_txt = d.off_txt = "Sz(" + name + ")";
      add_tag("[sz]");
    } else {
      s = rng_.chance(0.1) ? rng_.uni(E + 1, E + 3) : rng_.uni(1, E + 1);
      d.size_txt = lit(s);
      d.off_txt = d.size_txt == "TILE" ? "TILE" : std::to_string(s);
    }
    d.clipped = s > E;
    d.tile = std::min(s, E);
  }

  std::string prime(const char* base) {
    return std::string(base) + (curly_ && rng_.chance(0.5) ? "\xE2\x80\x99" : "'");
  }

  // A Y (X) directive in input coordinates (rule 6) covering `sp` output rows per tile, given
  // the level's filter tile r. sp = 0 draws one.
  void window_tile(Dir& d, Ax ax, int64_t E, int64_t r, int64_t sp) {
    const bool rows = ax == kP;
    const int64_t sigma = rows ? L_.sy : L_.sx;
    const int64_t full_in = rows ? L_.in_rows : L_.in_cols;
    const char* in_n = rows ? "Y" : "X";
    const char* k_n = rows ? "R" : "S";
    d.ax = ax;
    d.dim_txt = in_n;
    if (sp == 0 && L_.has_sz(in_n) && rng_.chance(0.08)) {
      // The whole input: one tile of at least every output row.
      d.size_txt = "Sz(" + std::string(in_n) + ")";
      d.off_txt = rng_.chance(0.5) ? d.size_txt : "1";
      sp = (full_in - r) / sigma + 1;
      d.tile = std::min(sp, E);
      d.clipped = sp > E;
      add_tag("[sz]");
      return;
    }
    if (sp == 0) sp = rng_.chance(0.1) ? rng_.uni(E + 1, E + 3) : rng_.uni(1, E + 1);
    int64_t s = r + (sp - 1) * sigma;
    if (sigma > 1 && rng_.chance(0.2)) s += rng_.uni(0, sigma - 1);  // still sp output rows
    int64_t o = sp * sigma;
    if (sigma > 1 && rng_.chance(0.2)) o -= rng_.uni(0, sigma - 1);  // ⌈o/σ⌉ is still sp
    if (sp == 1 && rng_.chance(0.4)) o = 1;                          // MAESTRO's (Sz(R),1)
    const int64_t k_full = L_.ext[rows ? kR : kS];
    if (s == k_full && L_.has_sz(k_n) && rng_.chance(0.6)) {
      d.size_txt = "Sz(" + std::string(k_n) + ")";
      add_tag("[sz]");
    } else {
      d.size_txt = lit(s);
    }
    d.off_txt = lit(o);
    d.tile = std::min(sp, E);
    d.clipped = sp > E;
  }

  // Builds one level's directives. `above_zip`: this level must hand (mostly) one output row and
  // the whole filter axis to a zipped level below; `zip`: this level is the zipped cluster.
  std::vector<Dir> make_level(int64_t units, std::array<int64_t, kNumAx>& E, bool above_zip,
                              bool zip, bool zip_rows) {
    const Ax zw = zip_rows ? kP : kQ, zk = zip_rows ? kR : kS;
    std::vector<Dir> dirs;
    std::set<int> used;
    // Forced directives.
    if (above_zip) {
      Dir r;
      r.ax = zk;
      r.dim_txt = zip_rows ? "R" : "S";
      r.size_txt = r.off_txt = zip_rows ? "Sz(R)" : "Sz(S)";
      r.tile = E[zk];
      r.can_be_spatial = false;
      add_tag("[sz]");
      Dir w;
      // Mostly one output row per zipped cluster (Eyeriss); sometimes several, which the
      // pair below then covers with a taller Y tile (rule 7).
      const int64_t rows = rng_.chance(0.75) ? 1 : rng_.uni(1, E[zw]);
      if (L_.trconv || rng_.chance(0.3)) {
        window_tile(w, zw, E[zw], E[zk], rows);
      } else {
        w.ax = zw;
        w.dim_txt = prime(zip_rows ? "Y" : "X");
        w.size_txt = w.off_txt = lit(rows);
        w.tile = std::min(rows, E[zw]);
      }
      dirs.push_back(r);
      dirs.push_back(w);
      used.insert(zk);
      used.insert(zw);
    }
    if (zip) {
      const int64_t zs = (E[zk] >= 3 && rng_.chance(0.2)) ? 2 : 1;
      Dir w, k;
      w.ax = zw;
      w.dim_txt = zip_rows ? "Y" : "X";
      w.tile = E[zw];  // held whole: the pair is compiled to a spatial loop over R (S)
      k.ax = zk;
      k.dim_txt = zip_rows ? "R" : "S";
      k.tile = std::min(zs, E[zk]);
      // The Y (X) tile holds the level's output rows for one filter tile: each unit reduces
      // its filter rows over all of them (tile counts and offsets of the pair then agree).
      const int64_t sigma = zip_rows ? L_.sy : L_.sx;
      const int64_t ws = zs + (E[zw] - 1) * sigma;
      w.size_txt = lit(ws);
      w.off_txt = k.size_txt = k.off_txt = std::to_string(zs);
      if (E[zw] > 1) add_tag("[zip_rows]");
      w.spatial = k.spatial = w.zipped = k.zipped = true;
      dirs.push_back(w);
      dirs.push_back(k);
      used.insert(zk);
      used.insert(zw);
      add_tag("[zip]");
    }
    // Random directives on other axes.
    std::vector<Ax> avail;
    for (Ax a : L_.axes)
      if (!used.count(a)) avail.push_back(a);
    rng_.shuffle(avail);
    // Mostly map dimensions that this level actually has to split (extent > 1).
    if (rng_.chance(0.8))
      std::stable_partition(avail.begin(), avail.end(), [&](Ax a) { return E[a] > 1; });
    const int64_t room = 4 - static_cast<int64_t>(dirs.size());
    int64_t extra = std::min<int64_t>(rng_.uni(0, std::max<int64_t>(room, 0)),
                                      static_cast<int64_t>(avail.size()));
    const bool has_spatial_candidate = zip || above_zip;
    if (units > 1 && !has_spatial_candidate && extra == 0) extra = 1;
    // Directives on P/Q in input coordinates depend on the level's R/S tile: do them last.
    std::vector<Ax> chosen(avail.begin(), avail.begin() + extra);
    std::vector<Ax> windows;
    for (Ax a : chosen) {
      const bool input_form =
          !L_.gemm && (a == kP || a == kQ) &&
          (L_.trconv || (!L_.fc && rng_.chance(0.55)) || (L_.fc && rng_.chance(0.2)));
      if (input_form) {
        windows.push_back(a);
        continue;
      }
      Dir d;
      plain_tile(d, a, E[a]);
      dirs.push_back(d);
    }
    for (Ax a : windows) {
      const Ax k = a == kP ? kR : kS;
      int64_t r = E[k];
      for (const Dir& d : dirs)
        if (d.ax == k) r = std::min(r, filter_size(d));
      Dir d;
      window_tile(d, a, E[a], r, 0);
      dirs.push_back(d);
    }
    // Exactly one SpatialMap when the level has several units (sometimes with one unit too).
    if (!zip) {
      std::vector<size_t> cand;
      for (size_t i = 0; i < dirs.size(); ++i)
        if (dirs[i].can_be_spatial) cand.push_back(i);
      const bool want = units > 1 || rng_.chance(0.3);
      // Mostly put the SpatialMap on a directive with several tiles (folds, idle units).
      std::vector<size_t> split;
      for (size_t i : cand)
        if (dirs[i].tile < E[dirs[i].ax]) split.push_back(i);
      if (!split.empty() && rng_.chance(0.7)) cand = split;
      if (want && !cand.empty()) {
        Dir& d = dirs[rng_.pick(cand)];
        d.spatial = true;
        if (units == 1) add_tag("[1unit_spatial]");
        const int64_t e = E[d.ax];
        const int64_t tiles = (e + d.tile - 1) / d.tile;
        if (tiles > units && tiles % units != 0) add_tag("[fold_partial]");
      }
    }
    for (const Dir& d : dirs)
      if (d.clipped) add_tag("[clipped]");
    rng_.shuffle(dirs);
    // Extents one level down.
    for (const Dir& d : dirs) E[d.ax] = d.tile;
    return dirs;
  }

  // The value a filter directive's size resolves to (before clipping).
  int64_t filter_size(const Dir& d) const {
    if (d.size_txt == "Sz(R)") return L_.ext[kR];
    if (d.size_txt == "Sz(S)") return L_.ext[kS];
    if (d.size_txt == "TILE") return const_value_;
    return std::stoll(d.size_txt);
  }

  void make_dataflow() {
    const int64_t t = rng_.uni(0, 99);
    const int nlev = t < 35 ? 1 : t < 72 ? 2 : 3;
    bool zip = false, zip_rows = true;
    int zip_level = -1;
    // A zipped pair needs a real filter axis to reduce over (R or S of at least 2).
    const bool rows_ok = L_.ext[kR] > 1, cols_ok = L_.ext[kS] > 1;
    if (L_.conv_like() && nlev >= 2 && (rows_ok || cols_ok) && rng_.chance(0.4)) {
      zip = true;
      zip_level = static_cast<int>(rng_.uni(1, nlev - 1));
      zip_rows = rows_ok && !(cols_ok && rng_.chance(0.3));
    }
    std::vector<int64_t> units(nlev, 1);
    int64_t product = 1;
    for (int i = 1; i < nlev; ++i) {
      if (zip && i == zip_level) {
        units[i] = L_.ext[zip_rows ? kR : kS];
        cluster_txt_.push_back(rng_.chance(0.8) ? (zip_rows ? "Sz(R)" : "Sz(S)")
                                                : std::to_string(units[i]));
      } else {
        units[i] = rng_.uni(1, 4);
        cluster_txt_.push_back(lit(units[i]));
      }
      product *= units[i];
    }
    const int64_t m = rng_.uni(1, 5);
    pes_ = product * m;
    if (product > 1 && rng_.chance(0.25)) {
      pes_ += rng_.uni(1, product - 1);
      add_tag("[pes_rem]");
    }
    units[0] = m;
    units_ = units;
    if (nlev >= 3) add_tag("[3level]");
    std::array<int64_t, kNumAx> E = L_.ext;
    for (int i = 0; i < nlev; ++i) {
      levels_.push_back(
          make_level(units[i], E, zip && i == zip_level - 1, zip && i == zip_level, zip_rows));
    }
  }

  // ---------------------------------------------------------------- text
  std::string render() const {
    const char* sep = style_ == 0 ? ";" : style_ == 1 ? "" : ",";
    const std::string nl = one_line_ ? " " : "\n";
    const std::string ind = one_line_ ? "" : "      ";
    auto block = [&](const std::vector<std::pair<std::string, int64_t>>& v) {
      std::string s = "{ ";
      for (size_t i = 0; i < v.size(); ++i) {
        if (i) s += style_ == 1 ? " " : style_ == 0 ? ", " : "; ";
        s += v[i].first + (style_ == 1 ? " " : ": ") + std::to_string(v[i].second);
      }
      return s + " }";
    };
    std::string out;
    if (const_value_) out += "Constant TILE " + std::to_string(const_value_) + ";\n";
    out += "// baton random_mapping seed " + std::to_string(seed_) + "\n";
    out += "Network Rand" + std::to_string(seed_) + " {\n";
    out += "  Layer L-" + std::to_string(seed_) + ".r {\n";
    out += std::string("    Type") + (style_ == 1 ? " " : ": ") + L_.type + "\n";
    if (!L_.strides.empty()) out += "    Stride " + block(L_.strides) + "\n";
    out += "    Dimensions " + block(L_.dims) + "\n";
    out += "    Dataflow {" + nl;
    for (size_t l = 0; l < levels_.size(); ++l) {
      if (l > 0) {
        const char* kind = style_ == 2 ? "L" : "P";
        out += ind + "Cluster(" + cluster_txt_[l - 1] + (style_ == 1 ? " " : ", ") + kind + ")" +
               sep + nl;
      }
      if (!one_line_ && levels_.size() > 1) out += ind + "// level " + std::to_string(l) + "\n";
      for (const Dir& d : levels_[l]) {
        out += ind + (d.spatial ? "SpatialMap(" : "TemporalMap(") + d.size_txt +
               (style_ == 1 ? " " : ",") + d.off_txt + ") " + d.dim_txt + sep + nl;
      }
    }
    out += (one_line_ ? "" : "    ") + std::string("}\n  }\n}\n");
    return out;
  }

  std::string describe() const {
    std::string s = "seed " + std::to_string(seed_) + ": " + L_.type;
    static const char* kNames[] = {"N", "G", "K", "C", "M", "P", "Q", "R", "S"};
    for (int a = 0; a < kNumAx; ++a)
      if (L_.ext[a] != 1 || a == kK)
        s += std::string(" ") + kNames[a] + "=" + std::to_string(L_.ext[a]);
    if (L_.orig_sy > 1 || L_.orig_sx > 1)
      s += " stride=" + std::to_string(L_.orig_sy) + "x" + std::to_string(L_.orig_sx);
    s += " macs=" + std::to_string(L_.macs()) + " pes=" + std::to_string(pes_) + " units=[";
    for (size_t i = 0; i < units_.size(); ++i) s += (i ? "," : "") + std::to_string(units_[i]);
    s += "] loops=";
    // What the Schedule must contain, level by level: internal dim (Y' for any rows directive),
    // T(emporal) / S(patial) / Z(ipped, the pair's one spatial loop over R or S), full tile.
    for (const auto& lvl : levels_) {
      std::string l;
      for (const Dir& d : lvl) {
        if (d.zipped && (d.ax == kP || d.ax == kQ)) continue;  // folded into the R (S) loop
        l += std::string(l.empty() ? "" : ",") + ax_name(d.ax) + ":" +
             (d.zipped    ? "Z"
              : d.spatial ? "S"
                          : "T") +
             std::to_string(d.tile);
      }
      s += "[" + l + "]";
    }
    s += " ";
    for (const auto& t : tags_) s += t;
    return s;
  }

  void add_tag(const std::string& t) {
    if (std::find(tags_.begin(), tags_.end(), t) == tags_.end()) tags_.push_back(t);
  }

  uint64_t seed_;
  Rng rng_;
  int style_ = 0;
  bool one_line_ = false, curly_ = false;
  int64_t const_value_ = 0;
  bool const_used_ = false;
  Layer L_;
  std::vector<int64_t> units_;
  std::vector<std::string> cluster_txt_;
  std::vector<std::vector<Dir>> levels_;
  int64_t pes_ = 1;
  std::vector<std::string> tags_;
};

}  // namespace random_mapping_detail

// A random small layer with a random valid-looking dataflow; deterministic in `seed`.
inline RandomCase random_case(uint64_t seed) {
  return random_mapping_detail::Generator(seed).run();
}

}  // namespace baton::test
