// `baton trace info FILE`: layers, datasets, record counts and sizes of an HDF5 trace.
#include <iostream>

#include "baton/traces/hdf5_writer.h"
#include "cli.h"
#include "commands.h"

namespace baton::cli {

int cmd_trace(int argc, const char* const* argv) {
  if (argc < 3 || std::string(argv[1]) != "info") {
    std::cerr << "usage: baton trace info FILE.h5\n";
    return argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")
               ? kOk
               : kBadInput;
  }
  std::cout << trace_info(argv[2]);
  return kOk;
}

}  // namespace baton::cli
