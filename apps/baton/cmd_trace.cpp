// `baton trace info FILE`: layers, datasets, record counts and sizes of an HDF5 trace.
#include <iostream>

#include "baton/traces/hdf5_writer.h"
#include "cli.h"
#include "commands.h"

namespace baton::cli {

int cmd_trace(int argc, const char* const* argv) {
  const char* usage =
      "usage: baton trace info FILE.h5\n"
      "       baton trace export FILE.h5 --format csv|scalesim|vcd --layer NAME --out DIR\n";
  const std::string sub = argc >= 2 ? argv[1] : "";
  if (sub == "info" && argc >= 3) {
    std::cout << trace_info(argv[2]);
    return kOk;
  }
  if (sub == "export" && argc >= 3) {
    std::string format = "csv", layer, out = ".";
    po::options_description desc("baton trace export options");
    desc.add_options()("format", po::value(&format), "csv (every dataset), scalesim (SCALE-Sim v2 SRAM/DRAM traces) or vcd (PE states)")(
        "layer", po::value(&layer)->required(), "the layer group name (see trace info)")(
        "out", po::value(&out), "output directory (default .)");
    if (!parse(argc - 2, argv + 2, desc, usage)) return kOk;
    for (const std::string& f : export_trace(argv[2], layer, format, out))
      std::cout << "wrote " << f << '\n';
    return kOk;
  }
  std::cerr << usage;
  return sub == "--help" || sub == "-h" ? kOk : kBadInput;
}

}  // namespace baton::cli
