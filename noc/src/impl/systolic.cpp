// `systolic`: neighbour forwarding in a 2D PE array, flit-level (docs/NOC.md; timing conventions:
// flit_common.h).
//
// Geometry: PEs on the most-square rows × cols grid (PE p at row p / cols, column p % cols, as
// the mesh). Every PE has one link to its east and one to its south neighbour (one lane of
// `bandwidth` elements each); data only flows east and south. L2 feeds operands in at the array
// edges — one port per row on the west edge and one per column on the north edge — and takes
// partial sums out at the east edge (one port per row) and the south edge (one per column).
// Distribution: a packet's destinations are served by chains: one copy per destination row
// entering at that row's west port and hopping east, or one copy per destination column
// entering at the column's north port and hopping south — whichever needs fewer copies (rows on
// a tie). Each PE a chain passes keeps the flit if it is a destination and forwards it while
// destinations lie further on; the chain ends at its last destination. Mappings that are not
// systolic-friendly pay for it: a unicast to column c crosses c + 1 links, a multicast to
// non-contiguous PEs is forwarded through the PEs in between anyway, and a destination set
// spanning several rows and columns costs one copy (one L2 port flit) per row or column.
// Collection: likewise one chain per source row (starting at its westmost source, hopping east
// to the east port) or per source column (northmost source, south to the south port). Partial
// sums are reduced along the chain: each source it passes adds its own value as the flit goes
// by (no extra latency); the chains of one packet are combined at L2.
// Buffers: every PE has a west and a north input buffer of buffer_depth flits (credit
// back-pressure). Arbitration: in distribution every output has a single input (east from west,
// south from north); in collection a PE's east (south) link is shared round robin between the
// chains passing through and the chains starting at the PE (the one not served last goes first).
// The PE's own flits wait in one FIFO and leave one per cycle. Flows only go east and south:
// no cyclic dependency, no deadlock.
#include "flit_common.h"

namespace baton {
namespace flitnet {
namespace {

enum Chain { kRow = 0, kCol = 1 };  // along a row (west -> east), along a column (north -> south)

class Systolic : public Topology {
 public:
  Systolic(const NocSpec& s, int64_t pes, NocDirection dir)
      : pes_(std::max<int64_t>(pes, 1)), dir_(dir), bw_(s.bandwidth_elems_per_cycle),
        hop_(s.hop_latency_cycles), h_(std::max<int64_t>(s.hop_latency_cycles, 1)),
        pe_(pes_), ni_(pes_) {
    std::tie(rows_, cols_) = most_square(pes_);
    for (Pe& p : pe_)
      for (InBuffer& b : p.in) b.capacity = std::max<int64_t>(s.buffer_depth_flits, 1);
    port_q_[kRow].resize(rows_), port_q_[kCol].resize(cols_);
    port_link_[kRow].resize(rows_), port_link_[kCol].resize(cols_);
    stats_.links = 2 * pes_;  // rows + cols edge links and the east/south links inside
  }
  std::string name() const override { return "systolic"; }
  void inject(const NocPacket& packet, int64_t now) override;
  void advance(int64_t now, std::vector<NocArrival>& arrivals) override {
    if (now > last_) {
      last_ = now;
      bool moved = false;
      for (int64_t p = pes_; p-- > 0;)  // downstream first: east and south neighbours are higher
        moved = (dir_ == NocDirection::kDistribution ? forward(p, now) : collect(p, now)) || moved;
      if (dir_ == NocDirection::kDistribution) moved = feed(now) || moved;
      if (moved) ++stats_.busy_cycles;
    }
    table_.release(now, arrivals);
  }
  bool busy() const override { return !table_.idle(); }
  const NocStats& stats() const override { return stats_; }
  std::vector<LinkInfo> link_info() const override {
    std::vector<LinkInfo> out;
    for (size_t p = 0; p < pe_.size(); ++p)
      for (const char* d : {".east", ".south"}) out.push_back({"pe" + std::to_string(p) + d, 1});
    for (int k = 0; k < 2; ++k)
      for (size_t i = 0; i < port_link_[k].size(); ++i)
        out.push_back({(k == kRow ? "west" : "north") + std::to_string(i), 1});
    return out;
  }
  void link_flits(std::vector<int64_t>& out) const override {
    out.clear();
    for (const Pe& p : pe_) out.push_back(p.out[0].total_flits()), out.push_back(p.out[1].total_flits());
    for (int k = 0; k < 2; ++k)
      for (const Link& l : port_link_[k]) out.push_back(l.total_flits());
  }

 private:
  struct Pe {
    InBuffer in[2];  // [kRow] from the west, [kCol] from the north
    Link out[2];     // [kRow] to the east, [kCol] to the south
    int rr[2] = {0, 0};
  };
  int64_t row(int64_t p) const { return p / cols_; }
  int64_t col(int64_t p) const { return p % cols_; }
  int64_t pos(int64_t p, int kind) const { return kind == kRow ? col(p) : row(p); }
  int64_t next(int64_t p, int kind) const { return kind == kRow ? p + 1 : p + cols_; }
  static int kind_of(const Flit& f) { return f.aux & 1; }
  static int64_t end_of(const Flit& f) { return f.aux >> 1; }
  // A flit crossing into PE p: delivered if p is a destination, buffered if its chain goes on.
  void arrive(Flit f, int64_t p, int64_t now) {
    if (table_.has_pe(f.slot, p)) table_.deliver(f.slot, now + hop_);
    if (end_of(f) > pos(p, kind_of(f))) {
      f.ready = now + h_;
      pe_[p].in[kind_of(f)].q.push_back(f);
    }
  }
  bool needs_buffer(const Flit& f, int64_t p) const { return end_of(f) > pos(p, kind_of(f)); }
  bool forward(int64_t p, int64_t now);
  bool collect(int64_t p, int64_t now);
  bool feed(int64_t now);

  int64_t pes_;
  NocDirection dir_;
  std::optional<int64_t> bw_;
  int64_t hop_, h_, rows_ = 1, cols_ = 1, last_ = -1;
  std::vector<Pe> pe_;
  std::vector<std::deque<Flit>> port_q_[2];  // distribution: L2 at the west / north edge
  std::vector<Link> port_link_[2];           // distribution: edge port -> first PE
  std::vector<std::deque<Flit>> ni_;         // collection: each PE's own flits
  PacketTable table_;
  NocStats stats_;
};

void Systolic::inject(const NocPacket& packet, int64_t now) {
  std::vector<int32_t> pes = accept_packet(packet, now, hop_, stats_, table_);
  if (pes.empty()) return;
  // Chains: per row (first/last column used) or per column (first/last row used).
  std::vector<int64_t> first[2] = {std::vector<int64_t>(rows_, -1), std::vector<int64_t>(cols_, -1)};
  std::vector<int64_t> last[2] = {std::vector<int64_t>(rows_, -1), std::vector<int64_t>(cols_, -1)};
  int64_t groups[2] = {0, 0};
  for (int32_t p : pes)
    for (int kind : {kRow, kCol}) {
      const int64_t line = kind == kRow ? row(p) : col(p), at = pos(p, kind);
      if (first[kind][line] < 0) first[kind][line] = at, ++groups[kind];
      last[kind][line] = std::max(last[kind][line], at);
    }
  const int kind = groups[kRow] <= groups[kCol] ? kRow : kCol;
  const int64_t flits = flit_count(packet.elements, bw_);
  const bool dist = dir_ == NocDirection::kDistribution;
  const int64_t n = static_cast<int64_t>(pes.size());
  const int32_t slot = table_.add(packet.id, std::move(pes), flits * (dist ? n : groups[kind]));
  const int64_t lines = kind == kRow ? rows_ : cols_;
  for (int64_t line = 0; line < lines; ++line) {
    if (first[kind][line] < 0) continue;
    // Distribution: the copy enters at the line's edge port and ends at its last destination.
    // Collection: the chain starts at the line's first source and runs to the edge.
    const int64_t start = kind == kRow ? line * cols_ + first[kind][line]
                                       : first[kind][line] * cols_ + line;
    const int64_t end = dist ? last[kind][line] : (kind == kRow ? cols_ : rows_);
    for (int64_t f = 0; f < flits; ++f) {
      const Flit flit{slot, static_cast<int32_t>(f), flit_size(packet.elements, bw_, f), now + 1,
                      static_cast<int32_t>(end * 2 + kind)};
      if (dist) port_q_[kind][line].push_back(flit);
      else ni_[start].push_back(flit);
    }
  }
}

// Distribution: each input forwards its head one PE further along its chain.
bool Systolic::forward(int64_t p, int64_t now) {
  bool moved = false;
  for (int kind : {kRow, kCol}) {
    auto& q = pe_[p].in[kind].q;
    if (q.empty() || q.front().ready > now) continue;
    const int64_t to = next(p, kind);
    if (needs_buffer(q.front(), to) && !pe_[to].in[kind].space()) {
      ++stats_.credit_stalls;
      continue;
    }
    pe_[p].out[kind].take(now, q.front().elements, stats_);
    arrive(q.front(), to, now);
    q.pop_front();
    moved = true;
  }
  return moved;
}

// Distribution: L2's edge ports into the first PE of each row (west) and column (north).
bool Systolic::feed(int64_t now) {
  bool moved = false;
  for (int kind : {kRow, kCol})
    for (size_t line = 0; line < port_q_[kind].size(); ++line) {
      auto& q = port_q_[kind][line];
      if (q.empty() || q.front().ready > now) continue;
      const int64_t to = kind == kRow ? static_cast<int64_t>(line) * cols_
                                      : static_cast<int64_t>(line);
      if (needs_buffer(q.front(), to) && !pe_[to].in[kind].space()) {
        ++stats_.credit_stalls;
        continue;
      }
      port_link_[kind][line].take(now, q.front().elements, stats_);
      arrive(q.front(), to, now);
      q.pop_front();
      moved = true;
    }
  return moved;
}

// Collection: the east and south links each carry one flit per cycle, round robin between the
// chains passing through and the PE's own flits (one per cycle); the edge links go into L2.
bool Systolic::collect(int64_t p, int64_t now) {
  bool moved = false, own_sent = false;
  Pe& pe = pe_[p];
  for (int kind : {kRow, kCol}) {
    auto& through = pe.in[kind].q;
    auto& own = ni_[p];
    const bool t_ok = !through.empty() && through.front().ready <= now;
    const bool o_ok = !own_sent && !own.empty() && own.front().ready <= now &&
                      kind_of(own.front()) == kind;
    if (!t_ok && !o_ok) continue;
    const bool edge = pos(p, kind) == (kind == kRow ? cols_ : rows_) - 1;
    if (!edge && !pe_[next(p, kind)].in[kind].space()) {
      ++stats_.credit_stalls;
      continue;
    }
    const bool take_own = o_ok && (!t_ok || pe.rr[kind] == 1);
    auto& q = take_own ? own : through;
    Flit f = q.front();
    q.pop_front();
    own_sent = own_sent || take_own;
    pe.rr[kind] = take_own ? 0 : 1;  // the other candidate goes first next time
    pe.out[kind].take(now, f.elements, stats_);
    if (edge) {
      table_.deliver(f.slot, now + hop_);  // into L2 through the edge port
    } else {
      f.ready = now + h_;
      pe_[next(p, kind)].in[kind].q.push_back(f);
    }
    moved = true;
  }
  return moved;
}

}  // namespace
}  // namespace flitnet

std::unique_ptr<Topology> make_systolic(const NocSpec& s, int64_t pes, NocDirection dir,
                                        std::optional<int64_t>) {
  return std::make_unique<flitnet::Systolic>(s, pes, dir);
}

}  // namespace baton
