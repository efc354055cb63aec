// `baton bench analyze`: analytical-model throughput. Each repetition builds the Schedule from
// the parsed layer and hardware and evaluates it fully, on one thread, nothing cached between
// repetitions; text parsing is excluded. The last line is `layers_per_second: X`.
#include <chrono>
#include <iostream>

#include "analyze_output.h"
#include "baton/analytical/model.h"
#include "baton/maestro/compat.h"
#include "cli.h"
#include "commands.h"

namespace baton::cli {

int cmd_bench(int argc, const char* const* argv) {
  if (argc >= 2 && std::string(argv[1]) == "dse") return cmd_bench_dse(argc - 1, argv + 1);
  if (argc < 2 || std::string(argv[1]) != "analyze") {
    std::cerr << "usage: baton bench analyze --mapping F.m [--dataflow T.m] --hw H "
                 "[--seconds S]\n       baton bench dse --mapping F.m [--dataflow T.m] [--hw H]\n";
    return kBadInput;
  }
  CommonOptions o;
  double seconds = 3.0;
  std::string cost_model = "native";
  po::options_description desc("baton bench analyze options");
  add_common_options(desc, o);
  desc.add_options()("seconds", po::value(&seconds), "minimum measuring time (default 3)")(
      "cost-model", po::value(&cost_model), "native or maestro");
  if (!parse(argc - 1, argv + 1, desc,
             "usage: baton bench analyze [--mapping F.m] [--dataflow T.m] [--hw H] "
             "[--seconds S]\nRepeats the analytical evaluation of every layer and prints "
             "layers_per_second on the last line."))
    return kOk;
  if (seconds <= 0) {
    std::cerr << "baton: --seconds must be positive\n";
    return kBadInput;
  }
  const HardwareSpec hw = load_hw(o);
  const CompiledNetwork net = load_network(o, hw);
  if (cost_model == "maestro") {  // MAESTRO's own reading of the parsed layers
    const maestro::MaestroHw mhw = maestro::maestro_hw_from_spec(hw);
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    int64_t evaluated = 0, checksum = 0;
    double elapsed = 0;
    do {
      for (const CompiledLayer& cl : net.layers) {
        if (!cl.dataflow) continue;
        try {
          checksum += maestro::maestro_analyze(cl.decl, *cl.dataflow, mhw).runtime;
          ++evaluated;
        } catch (const InputError&) {
        }
      }
      elapsed = std::chrono::duration<double>(clock::now() - start).count();
    } while (elapsed < seconds && evaluated > 0);
    std::cout << "network: " << net.name << " (MAESTRO-compatible model)\n"
              << "evaluations: " << evaluated << " in " << fixed(elapsed, 3) << " s\n"
              << "checksum: " << checksum << '\n'
              << "layers_per_second: " << fixed(double(evaluated) / elapsed, 1) << '\n';
    return kOk;
  }
  if (cost_model != "native") {
    std::cerr << "baton: unknown cost model '" << cost_model << "'; valid: native, maestro\n";
    return kBadInput;
  }
  if (report_layer_errors(net, o.keep_going)) return kBadInput;
  std::vector<const CompiledLayer*> layers;
  for (const CompiledLayer* cl : net.select(o.layer))
    if (cl->schedule) layers.push_back(cl);
  if (layers.empty()) {
    std::cerr << "baton: no valid layer to benchmark\n";
    return kBadInput;
  }
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  int64_t evaluated = 0, checksum = 0;
  double elapsed = 0;
  do {
    for (const CompiledLayer* cl : layers) {
      ScheduleResult r = build_schedule(*cl->layer, *cl->dataflow, hw);
      checksum += analyze(*r.schedule, hw).runtime_cycles;
      ++evaluated;
    }
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  } while (elapsed < seconds);
  std::cout << "network: " << net.name << " (" << layers.size() << " layers)\n"
            << "evaluations: " << evaluated << " in " << fixed(elapsed, 3) << " s\n"
            << "checksum: " << checksum << '\n'
            << "layers_per_second: " << fixed(double(evaluated) / elapsed, 1) << '\n';
  return kOk;
}

}  // namespace baton::cli
