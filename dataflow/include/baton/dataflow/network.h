// baton::dataflow — a whole network compiled for one hardware: the entry point of every engine.
//
// compile_network reads a mapping file (or a model file plus a dataflow template), builds each
// layer, validates and compiles its dataflow. Syntax errors throw InputError; per-layer mapping
// errors are kept per layer so that callers can list them all (and --keep-going can go on).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "baton/dataflow/hardware.h"
#include "baton/dataflow/layer.h"
#include "baton/dataflow/schedule.h"

namespace baton {

struct CompiledLayer {
  int index = 0;
  std::string name;
  LayerDecl decl;                        // the layer as written (for other readings, e.g. MAESTRO's)
  std::optional<LayerSpec> layer;        // empty if the layer itself is invalid
  std::optional<DataflowDecl> dataflow;  // the dataflow applied (own or template)
  std::optional<Schedule> schedule;      // empty if there were errors
  std::vector<Diagnostic> errors;
};

struct CompiledNetwork {
  std::string name;
  std::string mapping_path;
  std::string dataflow_path;  // empty when layers carry their own dataflow
  std::vector<CompiledLayer> layers;
  std::vector<Diagnostic> warnings;

  bool has_errors() const;
  std::vector<Diagnostic> errors() const;  // all layers' errors, in file order
  // `--layer` selection: a name (all layers of that name) or `#index`; empty = all.
  std::vector<const CompiledLayer*> select(const std::string& which) const;
};

CompiledNetwork compile_network(const std::string& mapping_path,
                                const std::optional<std::string>& dataflow_path,
                                const HardwareSpec& hw);

}  // namespace baton
