// apps/baton — shared CLI plumbing: common options, default config lookup, output files.
#pragma once

#include <atomic>
#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

#include "baton/dataflow/hardware.h"
#include "baton/dataflow/network.h"

namespace baton::cli {

namespace po = boost::program_options;

// Exit statuses (DESIGN.md §9).
enum Exit { kOk = 0, kInternal = 1, kBadInput = 2, kDiscrepancy = 3, kMismatch = 4,
            kWatchdog = 5 };

struct CommonOptions {
  std::string mapping;
  std::string dataflow;
  std::string hw;
  std::string layer;
  std::optional<std::string> json;  // "-" = stdout
  bool keep_going = false;
};

// Adds --mapping, --dataflow, --hw, --layer, --json[=FILE], --keep-going.
void add_common_options(po::options_description& desc, CommonOptions& o);
// Parses argv for a subcommand; prints --help and returns false if asked.
bool parse(int argc, const char* const* argv, const po::options_description& desc,
           const std::string& usage);

// configs/default/ of this installation (BATON_HOME, next to the binary, or the source tree).
std::string default_config_dir();
HardwareSpec load_hw(const CommonOptions& o);
// Compiles the network and prints warnings/errors to stderr. Throws InputError on file errors;
// returns the network even when layers have errors (the caller applies --keep-going).
CompiledNetwork load_network(const CommonOptions& o, const HardwareSpec& hw);
// Prints layer errors; returns true when the caller must stop without writing output.
bool report_layer_errors(const CompiledNetwork& net, bool keep_going);

// The command line as typed (for trace provenance); set by main().
std::string command_line();
void set_command_line(int argc, const char* const* argv);
// Whole file as text ("" if unreadable).
std::string read_text(const std::string& path);
// Set by SIGINT / SIGTERM (installed by main); the exit status to use after an interruption.
const std::atomic<bool>& stop_requested();
void install_signal_handlers();
int interrupted_status();

// Writes `text` to `path` atomically (temp file + rename): no partial file on failure.
void write_file_atomic(const std::string& path, const std::string& text);
// Writes JSON text per --json: stdout for "-", else the file.
void emit_json(const std::optional<std::string>& target, const std::string& text);

}  // namespace baton::cli
