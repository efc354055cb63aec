#include "cli.h"

#include <unistd.h>

#include <csignal>
#include <sstream>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace baton::cli {
namespace fs = std::filesystem;

void add_common_options(po::options_description& desc, CommonOptions& o) {
  desc.add_options()
      ("mapping", po::value(&o.mapping), "mapping file (.m), or a model file with --dataflow "
       "(default: the bundled configs/default/network.m)")
      ("dataflow", po::value(&o.dataflow), "dataflow template (.m) applied to every layer")
      ("hw", po::value(&o.hw), "hardware file: native YAML or MAESTRO .m "
       "(default: configs/default/accelerator.yaml)")
      ("layer", po::value(&o.layer), "only this layer: a name or #index (0-based)")
      ("json", po::value<std::string>()->implicit_value("-")->notifier(
                   [&o](const std::string& v) { o.json = v; }),
       "JSON output: --json prints to stdout, --json=FILE writes FILE")
      ("keep-going", po::bool_switch(&o.keep_going),
       "write results for valid layers even if others have mapping errors (exit status 2)");
}

bool parse(int argc, const char* const* argv, const po::options_description& desc,
           const std::string& usage) {
  po::options_description all(desc);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  po::store(po::command_line_parser(argc, argv).options(all).style(
                po::command_line_style::unix_style & ~po::command_line_style::allow_guessing)
                .run(),
            vm);
  if (vm.count("help")) {
    std::cout << usage << "\n\n" << all << '\n';
    return false;
  }
  po::notify(vm);
  return true;
}

std::string default_config_dir() {
  if (const char* home = std::getenv("BATON_HOME")) {
    fs::path p = fs::path(home) / "configs" / "default";
    if (fs::exists(p)) return p.string();
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      fs::path p = dir / "configs" / "default";
      if (fs::exists(p / "network.m")) return p.string();
    }
  }
  return (fs::path(BATON_SOURCE_DIR) / "configs" / "default").string();
}

HardwareSpec load_hw(const CommonOptions& o) {
  const std::string path =
      o.hw.empty() ? (fs::path(default_config_dir()) / "accelerator.yaml").string() : o.hw;
  return load_hardware(path);
}

CompiledNetwork load_network(const CommonOptions& o, const HardwareSpec& hw) {
  const std::string mapping =
      o.mapping.empty() ? (fs::path(default_config_dir()) / "network.m").string() : o.mapping;
  std::optional<std::string> df;
  if (!o.dataflow.empty()) df = o.dataflow;
  CompiledNetwork net = compile_network(mapping, df, hw);
  for (const auto& w : net.warnings) std::cerr << w.format() << '\n';
  if (!o.layer.empty() && net.select(o.layer).empty()) {
    throw InputError(make_error(SourceLoc{mapping, 0, 0}, "no layer '" + o.layer + "' in '" +
                                mapping + "'", "give a layer name or #index (0-based)"));
  }
  return net;
}

bool report_layer_errors(const CompiledNetwork& net, bool keep_going) {
  if (!net.has_errors()) return false;
  for (const auto& e : net.errors()) std::cerr << e.format() << '\n';
  int bad = 0;
  for (const auto& l : net.layers) bad += l.errors.empty() ? 0 : 1;
  std::cerr << "baton: " << bad << " of " << net.layers.size() << " layers rejected"
            << (keep_going ? "; results written for the others (--keep-going)"
                           : "; nothing written (use --keep-going for the valid layers)")
            << '\n';
  return !keep_going;
}

namespace {
std::atomic<bool> g_stop{false};  // the process's signal flag (apps only, not a library)
std::atomic<int> g_signal{0};
std::string g_command_line;
extern "C" void on_signal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
}
}  // namespace

std::string command_line() { return g_command_line; }
void set_command_line(int argc, const char* const* argv) {
  g_command_line.clear();
  for (int i = 0; i < argc; ++i) g_command_line += (i ? " " : "") + std::string(argv[i]);
}
std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
const std::atomic<bool>& stop_requested() { return g_stop; }
void install_signal_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}
int interrupted_status() { return 128 + (g_signal.load() ? g_signal.load() : SIGINT); }

void write_file_atomic(const std::string& path, const std::string& text) {
  const fs::path target(path);
  const fs::path tmp = target.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw InputError(make_error(SourceLoc{path, 0, 0}, "cannot write '" + path + "'",
                                  "check that the directory exists and is writable"));
    }
    out << text;
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw InputError(make_error(SourceLoc{path, 0, 0}, "failed writing '" + path + "'"));
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw InputError(make_error(SourceLoc{path, 0, 0}, "cannot create '" + path + "'"));
  }
}

void emit_json(const std::optional<std::string>& target, const std::string& text) {
  if (!target) return;
  if (*target == "-" || target->empty()) {
    std::cout << text << '\n';
  } else {
    write_file_atomic(*target, text + "\n");
  }
}

}  // namespace baton::cli
