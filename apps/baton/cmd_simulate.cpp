// `baton simulate` and `baton check`: the SystemC simulation per layer, and the cross-check of
// the analytical model against it (discrepancy report, DESIGN.md §6).
#include <filesystem>
#include <memory>
#include <iostream>
#include <nlohmann/json.hpp>

#include "analyze_output.h"
#include "baton/analytical/model.h"
#include "baton/traces/hdf5_writer.h"
#include "baton/validation/crosscheck.h"
#include "cli.h"
#include "commands.h"
#include "sim_progress.h"

#include <unistd.h>

namespace baton::cli {
namespace {

struct SimCliOptions {
  CommonOptions common;
  std::string csv, noc, report, trace, trace_level = "step";
  std::vector<std::string> faults;
  double max_discrepancy = -1;
  SimOptions sim;
};

// --fault KIND=N (testing baton's own checks): corrupt-fill=DELTA, drop-writeback=N,
// lose-packet=N.
void apply_faults(SimCliOptions& o) {
  for (const std::string& f : o.faults) {
    const auto eq = f.find('=');
    const std::string kind = f.substr(0, eq);
    int64_t v = 0;
    try {
      v = std::stoll(eq == std::string::npos ? "" : f.substr(eq + 1));
    } catch (const std::exception&) {
      throw InputError(make_error(SourceLoc{"--fault", 0, 0}, "bad fault '" + f + "'",
                                  "write KIND=NUMBER, e.g. drop-writeback=3"));
    }
    if (kind == "corrupt-fill") o.sim.corrupt_fill_delta = v;
    else if (kind == "drop-writeback") o.sim.drop_writeback_packet = v;
    else if (kind == "lose-packet") o.sim.lose_distribution_packet = v;
    else
      throw InputError(make_error(SourceLoc{"--fault", 0, 0}, "unknown fault '" + kind + "'",
                                  "valid: corrupt-fill, drop-writeback, lose-packet"));
  }
}

// Statistics under hierarchical component names (the names traces and logs use too).
nlohmann::ordered_json stats_json(const SimLayerResult& r) {
  auto net = [](const NocStats& s) {
    return nlohmann::ordered_json{{"packets", s.packets},           {"elements", s.elements},
                                  {"element_hops", s.element_hops}, {"busy_cycles", s.busy_cycles},
                                  {"queued_packet_cycles", s.queued_cycles},
                                  {"l2_port_limited_cycles", s.port_limited_cycles},
                                  {"fork_stalls", s.fork_stalls},
                                  {"credit_stalls", s.credit_stalls},
                                  {"reduction_waits", s.reduction_waits},
                                  {"busiest_link_flits", s.max_link_flits}};
  };
  const PeCycles& p = r.pe_cycles;
  const LayerCost& c = r.counted;
  nlohmann::ordered_json j;
  auto busy = [&](const std::vector<LinkLoad>& links) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const BusyLink& b : busiest_links(links, r.counted.runtime_cycles))
      a.push_back({{"link", b.name}, {"flits", b.flits}, {"flits_per_cycle", b.flits_per_cycle}});
    return a;
  };
  j["accelerator.noc.distribution"] = net(r.distribution);
  j["accelerator.noc.distribution"]["busiest_links"] = busy(r.distribution_links);
  j["accelerator.noc.collection"] = net(r.collection);
  j["accelerator.noc.collection"]["busiest_links"] = busy(r.collection_links);
  nlohmann::ordered_json lat;
  for (int cls = 0; cls < 4; ++cls) {
    const LatencyHistogram& h = r.latency[size_t(cls)];
    nlohmann::ordered_json b = nlohmann::ordered_json::object();
    for (size_t i = 0; i < h.buckets.size(); ++i)
      if (h.buckets[i]) b[LatencyHistogram::bucket_label(i)] = h.buckets[i];
    lat[latency_class_name(static_cast<LatencyClass>(cls))] = {
        {"packets", h.packets}, {"mean_cycles", h.mean()}, {"max_cycles", h.max_cycles},
        {"histogram_cycles", b}};
  }
  j["accelerator.noc.packet_latency"] = lat;
  j["accelerator.pe_array"] = {{"compute", p.compute},           {"stall_input", p.stall_input},
                               {"stall_weight", p.stall_weight}, {"stall_output", p.stall_output},
                               {"stall_dram", p.stall_dram},     {"idle", p.idle}};
  for (size_t i = 0; i < r.per_pe_cycles.size(); ++i) {
    const PeCycles& q = r.per_pe_cycles[i];
    j["accelerator.pe_array.pe" + std::to_string(i)] = {
        {"compute", q.compute},           {"stall_input", q.stall_input},
        {"stall_weight", q.stall_weight}, {"stall_output", q.stall_output},
        {"stall_dram", q.stall_dram},     {"idle", q.idle}};
  }
  j["accelerator.l2"] = {
      {"reads", c.tensor[0].l2_reads + c.tensor[1].l2_reads + c.tensor[2].l2_reads},
      {"writes", c.tensor[2].l2_writes + c.dram_reads()}};
  j["accelerator.dram"] = {{"reads", c.dram_reads()}, {"writes", c.dram_writes()}};
  return j;
}

std::vector<std::pair<std::string, std::string>> cycle_columns(const SimLayerResult& r) {
  const PeCycles& p = r.pe_cycles;
  auto n = [](int64_t v) { return std::to_string(v); };
  return {{"cycles_compute", n(p.compute)},         {"cycles_stall_input", n(p.stall_input)},
          {"cycles_stall_weight", n(p.stall_weight)}, {"cycles_stall_output", n(p.stall_output)},
          {"cycles_stall_dram", n(p.stall_dram)},     {"cycles_idle", n(p.idle)}};
}

// Runs the simulation (and, for check, the analytical model) of every selected layer.
int run(int argc, const char* const* argv, bool check) {
  SimCliOptions o;
  po::options_description desc(check ? "baton check options" : "baton simulate options");
  std::string noc_help = "NoC topology (overrides the hardware file; docs/NOC.md): ";
  for (const std::string& n : topology_names()) noc_help += n + (n == topology_names().back() ? "" : ", ");
  add_common_options(desc, o.common);
  desc.add_options()("csv", po::value(&o.csv), "write one CSV row per layer to FILE")(
      "noc", po::value(&o.noc), noc_help.c_str())(
      "functional", po::bool_switch(&o.sim.functional),
      "compute real values and compare the output tensor with a direct computation (exit 4 on "
      "a mismatch)")(
      "watchdog", po::value(&o.sim.watchdog_cycles),
      "cycles without NoC progress before a stalled simulation stops (exit 5); default 1000000")(
      "trace", po::value(&o.trace), "write an HDF5 trace to FILE (docs/TRACES.md)")(
      "trace-level", po::value(&o.trace_level),
      "layer | step | event (default step; event is for single layers)")(
      "fault", po::value(&o.faults)->composing(),
      "inject a fault to test baton's checks: corrupt-fill=DELTA, drop-writeback=N, "
      "lose-packet=N (repeatable)");
  if (check)
    desc.add_options()("report", po::value(&o.report),
                       "write DIR/discrepancy.csv, .json and .md")(
        "max-discrepancy", po::value(&o.max_discrepancy),
        "exit with status 3 if a layer's runtime differs by more than PCT percent or traffic "
        "differs");
  const std::string usage =
      check ? "usage: baton check [--mapping F.m] [--dataflow T.m] [--hw H] [--noc NAME] "
              "[--report DIR] [--max-discrepancy PCT] [--csv FILE] [--json[=FILE]]\nRuns the "
              "analytical model and the SystemC simulation per layer and reports where and why "
              "they differ."
            : "usage: baton simulate [--mapping F.m] [--dataflow T.m] [--hw H] [--noc NAME] "
              "[--csv FILE] [--json[=FILE]]\nSimulates every layer cycle by cycle (SystemC).";
  if (!parse(argc, argv, desc, usage)) return kOk;
  apply_faults(o);
  HardwareSpec hw = load_hw(o.common);
  if (!o.noc.empty()) hw.noc.topology = o.noc;
  make_topology(hw.noc);  // an unknown topology is a bad input before any work
  const CompiledNetwork net = load_network(o.common, hw);
  if (report_layer_errors(net, o.common.keep_going)) return kBadInput;
  std::unique_ptr<Hdf5TraceWriter> trace;
  if (!o.trace.empty()) {
    TraceProvenance prov{command_line(), BATON_VERSION, describe(hw), {}};
    for (const std::string& f : {net.mapping_path, net.dataflow_path, hw.source_file})
      if (!f.empty()) prov.inputs.emplace_back(f, read_text(f));
    trace = std::make_unique<Hdf5TraceWriter>(o.trace, parse_trace_level(o.trace_level), prov);
    o.sim.trace = trace.get();
  }
  o.sim.stop = &stop_requested();
  std::vector<LayerRow> rows;
  std::vector<nlohmann::ordered_json> stats;
  CheckReport report{net.name, net.mapping_path, hw.name, {}};
  const auto layers = net.select(o.common.layer);
  int64_t network_steps = 0;
  for (const CompiledLayer* cl : layers)
    if (cl->schedule) network_steps += cl->schedule->steps();
  SimProgressPrinter progress(std::cerr, network_steps, isatty(STDERR_FILENO) != 0);
  o.sim.progress = [&progress](const SimProgress& p) { progress.update(p); };
  size_t i = 0;
  for (const CompiledLayer* cl : layers) {
    ++i;
    if (!cl->schedule) continue;
    std::cerr << "[" << i << "/" << layers.size() << "] " << cl->name << ": simulating "
              << cl->schedule->steps() << " steps\n";
    progress.begin_layer(i, layers.size(), cl->name);
    SimLayerResult sim = Simulator::instance().run(*cl->schedule, hw, o.sim);
    progress.end_layer(sim.counted.steps, sim.counted.runtime_cycles);
    if (sim.interrupted) {
      std::cerr << "baton: interrupted in layer " << cl->name << "; "
                << (trace ? "the trace is readable and flagged complete = 0" : "no output written")
                << '\n';
      return interrupted_status();
    }
    if (sim.stalled) {
      std::cerr << "baton: layer " << cl->name << " (#" << cl->index << ") stalled\n"
                << *sim.stalled;
      return kWatchdog;
    }
    if (sim.functional_mismatch) {
      std::cerr << "baton: functional mismatch in layer " << cl->name << " (#" << cl->index
                << "): " << *sim.functional_mismatch << '\n';
      return kMismatch;
    }
    if (o.sim.functional) std::cerr << "  functional check passed\n";
    stats.push_back(stats_json(sim));
    LayerRow row{cl, sim.counted, cycle_columns(sim)};
    apply_fit(row.cost, hw);
    rows.push_back(row);
    if (check) {
      LayerCheck c{cl->name, cl->index, analyze(*cl->schedule, hw), sim, 0, {}};
      compare(c);
      report.layers.push_back(std::move(c));
    }
  }
  if (trace) trace->finish();
  if (!o.csv.empty()) write_file_atomic(o.csv, analyze_csv(rows));
  if (check && !o.report.empty()) {
    std::filesystem::create_directories(o.report);
    write_file_atomic(o.report + "/discrepancy.csv", discrepancy_csv(report));
    write_file_atomic(o.report + "/discrepancy.json", discrepancy_json(report) + "\n");
    write_file_atomic(o.report + "/discrepancy.md", discrepancy_markdown(report));
  }
  std::string json = check ? discrepancy_json(report) : analyze_json(rows, net, hw);
  if (!check) {  // simulate: add each layer's component statistics
    auto j = nlohmann::ordered_json::parse(json);
    j["cost_model"] = "simulation";
    for (size_t k = 0; k < stats.size(); ++k) j["layers"][k]["stats"] = stats[k];
    json = j.dump(2);
  }
  if (o.common.json && *o.common.json == "-") {
    std::cout << json << '\n';
  } else {
    if (o.common.json) emit_json(o.common.json, json);
    std::cout << (check ? discrepancy_markdown(report) : analyze_summary(rows, net, hw));
  }
  if (check && o.max_discrepancy >= 0 &&
      (report.max_abs_diff_pct() > o.max_discrepancy || !report.all_traffic_match())) {
    std::cerr << "baton: discrepancy " << fixed(report.max_abs_diff_pct(), 3)
              << " % exceeds --max-discrepancy " << fixed(o.max_discrepancy, 3)
              << (report.all_traffic_match() ? "" : " (traffic differs)") << '\n';
    return kDiscrepancy;
  }
  return net.has_errors() ? kBadInput : kOk;
}

}  // namespace

int cmd_simulate(int argc, const char* const* argv) { return run(argc, argv, false); }
int cmd_check(int argc, const char* const* argv) { return run(argc, argv, true); }

}  // namespace baton::cli
