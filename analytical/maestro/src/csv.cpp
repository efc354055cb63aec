// MAESTRO's CSV output (DSE_csv_writer.hpp, ConfigurationV2 overload; MAESTRO-SEMANTICS.md §4.1)
// with its energy / area / power formulas (§3.12, §3.13).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ostream>

#include "baton/maestro/compat.h"

namespace baton::maestro {
namespace {

constexpr double kMacEnergyNj = 0.00023;
constexpr double kL1Energy = 1.68;
constexpr double kL2Energy = 18.61;

std::string g(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
std::string n(int64_t v) { return std::to_string(v); }

// a / b as MAESTRO prints it (glibc prints 0.0/0.0 as "-nan").
std::string ratio(double a, double b) { return (a == 0 && b == 0) ? "-nan" : g(a / b); }

// MAESTRO's lexer splits on , - > ( ) : ; and keeps the last token of a layer name.
std::string maestro_name(const std::string& name) {
  const size_t cut = name.find_last_of(",->():;");
  return cut == std::string::npos ? name : name.substr(cut + 1);
}

int64_t l1_sum(const LayerResult& r) {
  int64_t s = 0;
  for (const TensorCounters* t : {&r.input, &r.filter, &r.output}) s += t->l1_read + t->l1_write;
  return s;
}

double energy_nj(const LayerResult& r, int64_t l1) {
  const double l2 = static_cast<double>(r.input.l2_read + r.input.l2_write + r.filter.l2_read +
                                        r.filter.l2_write + r.output.l2_write);
  return kMacEnergyNj * (kL2Energy * l2 + kL1Energy * static_cast<double>(l1));
}

}  // namespace

std::string maestro_csv_header() {
  return "Neural Network Name, Layer Number, NumPEs, Runtime (Cycles), Activity count-based Energy "
         "(nJ), Throughput (MACs/Cycle), Throughput Per Energy (GMACs/s*J), Area, Power, NoC BW "
         "Req (Elements/cycle), Avg BW Req, Peak BW Req, Vector Width, Offchip BW Req "
         "(Elements/cycle),  L2 SRAM Size Req (Bytes), L1 SRAM Size Req (Bytes), Multicasting "
         "Factor (Weight), Multicasting Factor (Input), Num Total Input Pixels, Num Total Weight "
         "Pixels, Ops/J, Num MACs, PE power, L1 power, L2 power, NOC power, input l1 read, input "
         "l1 write, input l2 read, input l2 write, input reuse factor,filter l1 read, filter l1 "
         "write, filter l2 read, filter l2 write, filter reuse factor,output l1 read, output l1 "
         "write, output l2 read, output l2 write, output reuse factor,Ingress Delay (Min), Ingress "
         "Delay (Max), Ingress Delay (Avg), Egress Delay (Min), Egress Delay (Max),  Egress Delay "
         "(Avg),Compute Delay (Min), Compute Delay (Min), Compute Delay (Avg),Avg number of "
         "utilized PEs, Arithmetic Intensity, Recomputed Energy (nJ)";
}

double recomputed_energy_nj(const LayerResult& r) { return energy_nj(r, l1_sum(r)); }

void write_maestro_csv(std::ostream& os, const std::string& network_name,
                       const std::vector<LayerResult>& layers) {
  os << maestro_csv_header() << '\n';
  int64_t prev_l1 = 0;
  for (const LayerResult& r : layers) {
    const double e_csv = energy_nj(r, r.inner_level_analysed ? prev_l1 : l1_sum(r));
    prev_l1 = l1_sum(r);
    const double p = static_cast<double>(r.num_pes), lanes = static_cast<double>(r.num_simd_lanes);
    const double bw = static_cast<double>(r.noc_bw);
    const double l1 = static_cast<double>(r.l1_size_req), l2 = static_cast<double>(r.l2_size_req);
    const double bus = 14.662 * p + 28.895;
    const double arb = 1.2886 * p * p + 5.5814 * p - 23.711;
    const double area = p * (283 * lanes + 0.104 * l1) + 0.104 * l2 + 101.7938 * bus * bw +
                        std::max(395.473, 395.473 * arb);
    const double pe_pw = p * 1.2223 * lanes, l1_pw = p * 0.00345 * l1, l2_pw = 0.00345 * l2;
    const double noc_pw = 0.8 * bus / 1000 * bw + std::max(0.34, 0.34 * arb / 1000);
    const double macs = static_cast<double>(r.num_macs);
    const double thr = macs / static_cast<double>(r.runtime);
    const bool none = r.valid_case_occurrences == 0;  // MAESTRO divides 0 by 0 here
    const std::string thr_text = none ? "-nan" : g(thr);
    std::vector<std::string> c = {network_name, maestro_name(r.layer_name), n(r.num_pes),
                                  n(r.runtime), g(e_csv), thr_text,
                                  none ? "-nan" : g(thr / e_csv * 1e9), g(area),
                                  g(pe_pw + l1_pw + l2_pw + noc_pw), n(r.peak_bw_req),
                                  none ? "-nan" : g(r.avg_bw_req), n(r.peak_bw_req),
                                  n(r.num_simd_lanes), n(r.offchip_bw_req), n(r.l2_size_req),
                                  n(r.l1_size_req),
                                  ratio(static_cast<double>(r.filter.l1_write),
                                        static_cast<double>(r.filter.l2_read)),
                                  ratio(static_cast<double>(r.input.l1_write),
                                        static_cast<double>(r.input.l2_read)),
                                  n(r.input_pixels), n(r.weight_pixels), g(macs / e_csv * 1e9),
                                  n(r.num_macs), g(pe_pw), g(l1_pw), g(l2_pw), g(noc_pw)};
    for (const TensorCounters* t : {&r.input, &r.filter, &r.output}) {
      c.insert(c.end(), {n(t->l1_read), n(t->l1_write), n(t->l2_read), n(t->l2_write),
                         ratio(static_cast<double>(t->l1_read), static_cast<double>(t->l1_write))});
    }
    const std::string garbage = n(INT64_MIN);  // (long) of an untouched long-double min / of nan
    for (const DelayStats* d : {&r.ingress_delay, &r.egress_delay, &r.compute_delay}) {
      if (none) c.insert(c.end(), {garbage, "0", garbage});
      else c.insert(c.end(), {n(d->min), n(d->max), n(d->avg)});
    }
    c.insert(c.end(), {g(r.avg_utilized_pes), g(r.arithmetic_intensity), g(recomputed_energy_nj(r))});
    for (size_t i = 0; i < c.size(); ++i) os << (i == 0 ? "" : i < 27 ? "," : ", ") << c[i];
    os << '\n';
  }
}

}  // namespace baton::maestro
