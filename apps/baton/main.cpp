// baton — command-line entry point. Dispatches subcommands and maps errors to exit statuses:
// 0 ok, 1 internal error (a bug), 2 bad input (DESIGN.md §9).
#include <cstring>
#include <iostream>
#include <string>

#include "cli.h"
#include "commands.h"

namespace {

const char* kUsage =
    "baton " BATON_VERSION " — how a DNN dataflow behaves on an accelerator\n\n"
    "usage: baton <command> [options]   (baton <command> --help for its options)\n\n"
    "commands:\n"
    "  schedule   compile layers + dataflow + hardware and print the schedule\n"
    "  analyze    analytical model (native, or --cost-model maestro): traffic, runtime, energy\n"
    "  simulate   SystemC cycle-level simulation: cycles by cause, measured traffic\n"
    "  check      analytical model vs simulation: discrepancy report (--report DIR)\n"
    "  trace      trace info | export: what an HDF5 trace holds, CSV / VCD export\n"
    "  validate   compare a MAESTRO CSV with baton's compatible and native results\n"
    "  dse        design-space exploration: hardware x mappings, Pareto fronts, re-check\n"
    "  bench      bench analyze | dse: analytical-model and DSE throughput\n"
    "\nWithout --mapping/--hw, commands run on the bundled default in configs/default/.\n"
    "Exit status: 0 ok, 1 internal error, 2 bad input, 3 discrepancy above --max-discrepancy,\n"
    "4 functional mismatch, 5 simulation stalled (watchdog), 130/143 interrupted.\n";

int dispatch(int argc, const char* const* argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::cout << kUsage;
    return argc < 2 ? baton::cli::kBadInput : baton::cli::kOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::cout << "baton " BATON_VERSION "\n";
    return 0;
  }
  const std::string cmd = argv[1];
  if (cmd == "schedule") return baton::cli::cmd_schedule(argc - 1, argv + 1);
  if (cmd == "analyze") return baton::cli::cmd_analyze(argc - 1, argv + 1);
  if (cmd == "bench") return baton::cli::cmd_bench(argc - 1, argv + 1);
  if (cmd == "simulate") return baton::cli::cmd_simulate(argc - 1, argv + 1);
  if (cmd == "check") return baton::cli::cmd_check(argc - 1, argv + 1);
  if (cmd == "trace") return baton::cli::cmd_trace(argc - 1, argv + 1);
  if (cmd == "validate") return baton::cli::cmd_validate(argc - 1, argv + 1);
  if (cmd == "dse") return baton::cli::cmd_dse(argc - 1, argv + 1);
  std::cerr << "baton: unknown command '" << cmd
            << "'; valid: schedule, analyze, simulate, check, trace, validate, dse, bench\n";
  return baton::cli::kBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  baton::cli::set_command_line(argc, argv);
  baton::cli::install_signal_handlers();
  try {
    return dispatch(argc, argv);
  } catch (const baton::InputError& e) {
    std::cerr << e.what() << '\n';
    return baton::cli::kBadInput;
  } catch (const boost::program_options::error& e) {
    std::cerr << "baton: " << e.what() << " (see --help)\n";
    return baton::cli::kBadInput;
  } catch (const baton::InternalError& e) {
    std::cerr << "baton: " << e.what() << '\n';
    return baton::cli::kInternal;
  } catch (const std::exception& e) {
    std::cerr << "baton: internal error (a bug in baton, please report it): " << e.what()
              << '\n';
    return baton::cli::kInternal;
  }
}
