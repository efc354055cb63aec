// baton::noc — the network-on-chip interface every topology implements (DESIGN.md §3, §5).
//
// Plain C++ (no SystemC): the simulator steps a Topology cycle by cycle from one gated SystemC
// method, only while something is in flight (SIM-NOTES.md §4). A packet carries `elements`
// tensor elements between the L2 port and a set of PEs (multicast / reduction groups).
// Cycle convention: a packet injected at cycle T0 on a link of B elements/cycle moves its
// elements in cycles T0+1, T0+2, … (B per cycle, shared FIFO); it arrives hop_latency cycles
// after its last element moved. With unlimited bandwidth it moves at T0.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "baton/dataflow/hardware.h"

namespace baton {

struct NocPacket {
  int64_t id = 0;
  int64_t elements = 0;
  int64_t endpoints = 1;     // PEs reached (destinations) or merged (reduction sources)
  std::vector<int32_t> pes;  // those PEs (topologies with geometry route by them)
};

// Which way a network carries data: L2 → PEs (operands) or PEs → L2 (partial sums).
enum class NocDirection { kDistribution, kCollection };

struct NocArrival {
  int64_t id = 0;
  int64_t cycle = 0;
};

struct NocStats {
  int64_t packets = 0;
  int64_t elements = 0;       // elements carried (a multicast counts once)
  int64_t element_hops = 0;   // Σ elements × links traversed (bus: one link per endpoint)
  int64_t busy_cycles = 0;    // cycles in which at least one element moved
  int64_t queued_cycles = 0;  // Σ over packets of cycles waiting behind other packets
  int64_t links = 1;               // links (a tree link of k lanes counts k)
  int64_t max_link_flits = 0;      // busiest link's (lane's) flits over the run
  int64_t fork_stalls = 0;  // multicast flits held back by a busy or full branch (crossbar,
                            // tree: while another branch could take them)
  int64_t credit_stalls = 0;       // flits held back by a full downstream buffer
  int64_t port_limited_cycles = 0; // cycles in which the L2 port, not the link, set the pace
  int64_t max_link_elems_per_cycle = 0;  // most elements any one link (lane) moved in a cycle
  int64_t reduction_waits = 0;  // cycles partial sums waited for their partners (tree, crossbar)
};

// One link of a topology (a tree link of k parallel lanes is one link with lanes = k).
struct LinkInfo {
  std::string name;  // e.g. "r0c1.east" (mesh), "s3.out1" (tree), "bus"
  int64_t lanes = 1;
};

class Topology {
 public:
  virtual ~Topology() = default;
  virtual std::string name() const = 0;
  virtual void inject(const NocPacket& p, int64_t now) = 0;
  // Advances to cycle `now` (one cycle after the previous call, or the same cycle) and appends
  // the packets that have arrived by `now`.
  virtual void advance(int64_t now, std::vector<NocArrival>& arrivals) = 0;
  // The last cycle whose outcome the network already knows after advance(now) (or an injection
  // at now): cycles after now up to it that the caller does not advance count as advanced (the
  // same results; each arrival keeps its own cycle). Any other cycle not advanced is a cycle in
  // which nothing moves. Default: now (nothing is known ahead).
  virtual int64_t known_until(int64_t now) const { return now; }
  virtual bool busy() const = 0;
  virtual const NocStats& stats() const = 0;
  // stats().busy_cycles, cheaper where stats() settles lazily kept figures (the mesh).
  virtual int64_t busy_cycles() const { return stats().busy_cycles; }
  // Every link, in a fixed order (docs/NOC.md "Links"), and the flits each has carried since the
  // topology was built (summed over its lanes; the bus: cycles in which it moved elements).
  // link_flits() will be read at arbitrary cycles (per time bin): the flits must be counted in
  // the cycles they move, not ahead (the mesh then simulates every batch, replays none).
  virtual void count_link_flits_per_cycle() {}
  virtual std::vector<LinkInfo> link_info() const = 0;
  virtual void link_flits(std::vector<int64_t>& out) const = 0;
};

// Topologies by name for `pes` PEs (bus, crossbar, mesh, systolic, tree; docs/NOC.md); an
// unknown name is an InputError listing the valid ones. `l2_port`: elements per cycle the L2
// side can read (distribution) or write (collection); nullopt = not limiting. The bus and the
// crossbar apply it; mesh, tree and systolic have fixed L2 ports of `bandwidth` each.
std::unique_ptr<Topology> make_topology(const NocSpec& spec, int64_t pes = 1,
                                        NocDirection dir = NocDirection::kDistribution,
                                        std::optional<int64_t> l2_port = std::nullopt);
std::vector<std::string> topology_names();

}  // namespace baton
