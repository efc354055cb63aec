// Progress of `baton simulate` / `baton check` over a network on stderr: layer i/N, simulated
// cycles, rate (simulated cycles and global steps per second of wall time) and an ETA from the
// global steps still to simulate. On a terminal one line is rewritten in place (every 0.5 s),
// otherwise a line is printed every 10 s.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "baton/sim/simulator.h"

namespace baton::cli {

class SimProgressPrinter {
 public:
  SimProgressPrinter(std::ostream& os, int64_t network_steps, bool terminal);
  // A layer starts (index i of n, 1-based).
  void begin_layer(size_t i, size_t n, const std::string& name);
  void update(const SimProgress& p);
  // The layer ended after `steps` global steps and `cycles` simulated cycles.
  void end_layer(int64_t steps, int64_t cycles);

 private:
  void print(const SimProgress& p);
  using Clock = std::chrono::steady_clock;
  std::ostream& os_;
  int64_t network_steps_, steps_before_ = 0, cycles_before_ = 0;
  bool terminal_, pending_line_ = false;
  Clock::time_point start_, last_;
  std::string layer_;
  size_t i_ = 0, n_ = 0;
};

}  // namespace baton::cli
