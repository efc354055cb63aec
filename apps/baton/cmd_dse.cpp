// `baton dse`: design-space exploration (docs/DSE.md) and `baton bench dse`.
#include <filesystem>
#include <iostream>
#include <thread>

#include "analyze_output.h"
#include "baton/dse/report.h"
#include "cli.h"
#include "commands.h"
#include "dse_mpi.h"
#include "dse_recheck.h"

namespace baton::cli {
namespace {

struct DseCli {
  std::string mapping, hw, space, out = "dse-out", objective = "edp";
  std::vector<std::string> dataflows;
  int threads = 0, recheck = 0;
  bool quiet = false;
};

void add_options(po::options_description& desc, DseCli& o) {
  desc.add_options()("mapping", po::value(&o.mapping), "mapping file F.m, or a model file with --dataflow")(
      "dataflow", po::value(&o.dataflows)->composing(),
      "a candidate dataflow template T.m (repeatable); the mapping's own dataflows are a "
      "candidate too when every layer has one")(
      "hw", po::value(&o.hw), "base hardware (YAML or MAESTRO); the space overrides its axes")(
      "threads", po::value(&o.threads), "worker threads (default: all cores)")(
      "objective", po::value(&o.objective), "runtime | energy | edp | perf-per-area (default edp)")(
      "quiet", po::bool_switch(&o.quiet), "no progress on stderr");
}

dse::Objective objective_of(const std::string& text) {
  const auto o = dse::parse_objective(text);
  if (!o)
    throw InputError(make_error(SourceLoc{"--objective", 0, 0}, "unknown objective '" + text + "'",
                                "valid: runtime, energy, edp, perf-per-area"));
  return *o;
}

HardwareSpec base_hw(const std::string& path) {
  return path.empty() ? default_hardware() : load_hardware(path);
}

std::function<void(const dse::Progress&)> progress_printer(bool quiet) {
  if (quiet) return {};
  return [](const dse::Progress& p) {
    const double rate = p.seconds > 0 ? double(p.done) / p.seconds : 0;
    const double eta = rate > 0 ? double(p.total - std::min(p.done, p.total)) / rate : 0;
    std::cerr << "\rdse " << p.phase << ": " << std::min(p.done, p.total) << "/" << p.total
              << " (" << fixed(100.0 * double(std::min(p.done, p.total)) / double(std::max<uint64_t>(p.total, 1)), 1)
              << " %), " << (p.valid ? std::to_string(p.valid) + " valid, " : std::string())
              << fixed(rate, 0) << "/s, ETA " << fixed(eta, 0) << " s   " << std::flush;
  };
}

int threads_or_default(int t) {
  return t > 0 ? t : std::max(1, int(std::thread::hardware_concurrency()));
}

}  // namespace

int cmd_dse(int argc, const char* const* argv) {
  DseCli o;
  po::options_description desc("baton dse options");
  add_options(desc, o);
  desc.add_options()("space", po::value(&o.space), "design space file (YAML, docs/DSE.md)")(
      "out", po::value(&o.out), "output directory (default dse-out)")(
      "recheck", po::value(&o.recheck), "simulate the top K designs of the objective");
  if (!parse(argc, argv, desc,
             "usage: baton dse --mapping F.m [--dataflow a.m --dataflow b.m ...] --space S.yaml "
             "[--hw H] [--threads N] [--objective runtime|energy|edp|perf-per-area] [--out DIR] "
             "[--recheck K]\nExplores hardware points x candidate mappings for a whole network: "
             "Pareto fronts, best designs, optional simulator re-check. docs/DSE.md."))
    return kOk;
  if (o.mapping.empty() || o.space.empty())
    throw InputError(make_error(SourceLoc{o.mapping.empty() ? "--mapping" : "--space", 0, 0},
                                "baton dse needs --mapping and --space",
                                "e.g. --mapping configs/default/network.m --space configs/default/space.yaml"));
  if (o.recheck < 0)
    throw InputError(make_error(SourceLoc{"--recheck", 0, 0}, "--recheck must be >= 0", ""));
  MpiSession mpi;  // before any output: ranks other than 0 stay quiet
  if (mpi.rank() != 0) o.quiet = true;
  const dse::Objective objective = objective_of(o.objective);
  const HardwareSpec base = base_hw(o.hw);
  dse::DesignSpace space = dse::load_space(o.space, base);
  dse::Workload w = dse::load_workload(o.mapping, o.dataflows);
  const int threads = threads_or_default(o.threads);
  dse::DseOptions opt{objective, threads, progress_printer(o.quiet), &stop_requested()};
  dse::Explorer ex(std::move(w), std::move(space), base, opt);
  const dse::DseResult r = mpi.run(ex);
  if (!o.quiet) std::cerr << '\n';
  if (stop_requested()) return interrupted_status();
  if (mpi.rank() != 0) return kOk;  // rank 0 writes the merged results
  std::filesystem::create_directories(o.out);
  const dse::Fronts fronts = dse::pareto_fronts(r.designs);
  write_file_atomic(o.out + "/designs.csv", dse::designs_csv(ex.space(), r.designs));
  write_file_atomic(o.out + "/front_runtime_energy.csv",
                    dse::designs_csv(ex.space(), fronts.runtime_energy));
  write_file_atomic(o.out + "/front_runtime_area.csv",
                    dse::designs_csv(ex.space(), fronts.runtime_area));
  write_file_atomic(o.out + "/summary.json",
                    dse::summary_json(ex, r, fronts, objective, threads, mpi.size()) + "\n");
  write_file_atomic(o.out + "/designs.svg",
                    dse::scatter_svg(r.designs, fronts.runtime_energy,
                                     ex.workload().network + ": valid designs, runtime x energy front"));
  std::cout << dse::summary_text(ex, r, fronts, objective);
  if (o.recheck > 0) {
    const std::string table = recheck_designs(ex, r, objective, o.recheck, o.quiet);
    write_file_atomic(o.out + "/recheck.csv", table);
    std::cout << "re-check in the simulator (" << o.out << "/recheck.csv):\n" << table;
  }
  std::cout << "outputs: " << o.out << "/{summary.json, designs.csv, front_runtime_energy.csv, "
            << "front_runtime_area.csv, designs.svg" << (o.recheck > 0 ? ", recheck.csv" : "")
            << "}\n";
  return kOk;
}

int cmd_bench_dse(int argc, const char* const* argv) {
  DseCli o;
  po::options_description desc("baton bench dse options");
  add_options(desc, o);
  if (!parse(argc, argv, desc,
             "usage: baton bench dse --mapping F.m [--dataflow T.m] [--hw H] [--threads N]\n"
             "Evaluates the built-in space (PEs 64-4096, SIMD 1-8, L1 256 B-64 KiB, L2 64 KiB-"
             "16 MiB, NoC 8-1024, off-chip 8-256 elem/cycle, powers of two) on one network; "
             "prints networks_per_second and, last, points_per_second."))
    return kOk;
  if (o.mapping.empty())
    throw InputError(make_error(SourceLoc{"--mapping", 0, 0}, "baton bench dse needs --mapping", ""));
  const HardwareSpec base = base_hw(o.hw);
  dse::Workload w = dse::load_workload(o.mapping, o.dataflows);
  const size_t layers = w.layer_names.size();
  const int threads = threads_or_default(o.threads);
  dse::Explorer ex(std::move(w), dse::default_space(base), base,
                   dse::DseOptions{dse::parse_objective(o.objective).value_or(dse::Objective::kEdp),
                                   threads, progress_printer(o.quiet), &stop_requested()});
  const dse::DseResult r = ex.run();
  if (!o.quiet) std::cerr << '\n';
  if (stop_requested()) return interrupted_status();
  const double total = r.cache_seconds + r.eval_seconds;
  std::cout << "network: " << ex.workload().network << " (" << layers << " layers, "
            << ex.workload().unique.size() << " distinct), threads: " << threads << '\n'
            << "space: " << r.points << " points, evaluated " << r.evaluated << ", valid "
            << r.valid << ", pruned " << r.pruned << '\n'
            << "cache: " << r.cache_entries << " (layer, mapping, PE count) entries, "
            << r.analyses << " layer analyses, " << r.runtime_evaluations
            << " runtime re-evaluations from their profiles, " << fixed(r.cache_seconds, 3) << " s\n"
            << "points: " << fixed(r.eval_seconds, 3) << " s ("
            << fixed(double(r.evaluated) / std::max(r.eval_seconds, 1e-9), 0)
            << " networks/s without the cache phase)\n"
            << "networks_per_second: " << fixed(double(r.evaluated) / total, 1) << '\n'
            << "points_per_second: " << fixed(double(r.evaluated * layers) / total, 1) << '\n';
  return kOk;
}

}  // namespace baton::cli
