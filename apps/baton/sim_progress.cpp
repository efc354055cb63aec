#include "sim_progress.h"

#include <cmath>
#include <cstdio>

namespace baton::cli {
namespace {

std::string si(double v) {  // 12.3k, 4.56M
  const char* units[] = {"", "k", "M", "G", "T"};
  int u = 0;
  while (std::fabs(v) >= 1000 && u < 4) v /= 1000, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s", v, units[u]);
  return buf;
}

std::string duration(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0fs", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", int(s) / 60, int(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", int(s) / 3600, int(s) % 3600 / 60);
  return buf;
}

}  // namespace

SimProgressPrinter::SimProgressPrinter(std::ostream& os, int64_t network_steps, bool terminal)
    : os_(os), network_steps_(network_steps), terminal_(terminal), start_(Clock::now()),
      last_(start_) {}

void SimProgressPrinter::begin_layer(size_t i, size_t n, const std::string& name) {
  i_ = i, n_ = n, layer_ = name;
}

void SimProgressPrinter::update(const SimProgress& p) {
  const auto now = Clock::now();
  if (now - last_ < std::chrono::milliseconds(terminal_ ? 500 : 10000)) return;
  last_ = now;
  print(p);
}

void SimProgressPrinter::print(const SimProgress& p) {
  const double wall = std::chrono::duration<double>(Clock::now() - start_).count();
  const int64_t steps = steps_before_ + p.steps_done, cycles = cycles_before_ + p.cycles;
  const double steps_rate = wall > 0 ? double(steps) / wall : 0;
  const double eta = steps_rate > 0 ? double(network_steps_ - steps) / steps_rate : 0;
  os_ << (terminal_ ? "\r" : "") << "  [" << i_ << "/" << n_ << "] " << layer_ << ": step "
      << si(double(p.steps_done)) << "/" << si(double(p.steps_total)) << ", " << si(double(cycles))
      << " simulated cycles, " << si(wall > 0 ? double(cycles) / wall : 0) << " cycles/s, "
      << si(steps_rate) << " steps/s, elapsed " << duration(wall) << ", ETA " << duration(eta)
      << (terminal_ ? "\x1b[K" : "\n") << std::flush;
  pending_line_ = terminal_;
}

void SimProgressPrinter::end_layer(int64_t steps, int64_t cycles) {
  steps_before_ += steps;
  cycles_before_ += cycles;
  if (pending_line_) os_ << '\n';
  pending_line_ = false;
}

}  // namespace baton::cli
