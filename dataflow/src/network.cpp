#include "baton/dataflow/network.h"

#include <map>

namespace baton {

bool CompiledNetwork::has_errors() const {
  for (const auto& l : layers)
    if (!l.errors.empty()) return true;
  return false;
}

std::vector<Diagnostic> CompiledNetwork::errors() const {
  std::vector<Diagnostic> out;
  for (const auto& l : layers) out.insert(out.end(), l.errors.begin(), l.errors.end());
  return out;
}

std::vector<const CompiledLayer*> CompiledNetwork::select(const std::string& which) const {
  std::vector<const CompiledLayer*> out;
  if (which.empty()) {
    for (const auto& l : layers) out.push_back(&l);
    return out;
  }
  if (which.size() > 1 && which[0] == '#') {
    try {
      size_t used = 0;
      const long i = std::stol(which.substr(1), &used);
      if (used == which.size() - 1 && i >= 0 && i < static_cast<long>(layers.size()))
        out.push_back(&layers[i]);
    } catch (const std::exception&) {
    }
    return out;
  }
  for (const auto& l : layers)
    if (l.name == which) out.push_back(&l);
  return out;
}

CompiledNetwork compile_network(const std::string& mapping_path,
                                const std::optional<std::string>& dataflow_path,
                                const HardwareSpec& hw) {
  CompiledNetwork net;
  net.mapping_path = mapping_path;
  MFile f = read_mfile(mapping_path);
  net.name = f.network_name;
  net.warnings = f.warnings;
  std::optional<DataflowDecl> tmpl;
  if (dataflow_path) {
    net.dataflow_path = *dataflow_path;
    MFile t = read_mfile(*dataflow_path);
    if (!t.dataflow) {
      throw InputError(make_error(SourceLoc{*dataflow_path, 1, 1},
                                  "'" + *dataflow_path + "' has no top-level `Dataflow { }` block",
                                  "a dataflow template is a file holding one Dataflow block"));
    }
    tmpl = t.dataflow;
  }
  if (f.layers.empty()) {
    throw InputError(make_error(SourceLoc{mapping_path, 1, 1}, "no `Layer` in '" +
                                mapping_path + "'", "a mapping file holds Network { Layer ... }"));
  }
  std::map<std::string, int> seen;
  int replaced = 0;
  for (size_t i = 0; i < f.layers.size(); ++i) {
    const LayerDecl& decl = f.layers[i];
    CompiledLayer cl;
    cl.index = static_cast<int>(i);
    cl.name = decl.name;
    cl.decl = decl;
    if (seen[decl.name]++ == 1) {
      net.warnings.push_back(make_warning(decl.loc, "layer name '" + decl.name +
                                          "' repeats; outputs identify layers by layer_index"));
    }
    std::vector<Diagnostic> diags;
    cl.layer = make_layer(decl, cl.index, diags);
    if (tmpl) {
      cl.dataflow = tmpl;
      replaced += decl.dataflow ? 1 : 0;
    } else if (decl.dataflow) {
      cl.dataflow = decl.dataflow;
    } else {
      diags.push_back(make_error(decl.loc, "layer '" + decl.name + "' has no `Dataflow`",
                                 "add a Dataflow block or give a template with --dataflow T.m"));
    }
    if (cl.layer && cl.dataflow) {
      ScheduleResult r = build_schedule(*cl.layer, *cl.dataflow, hw);
      diags.insert(diags.end(), r.diagnostics.begin(), r.diagnostics.end());
      cl.schedule = std::move(r.schedule);
    }
    for (auto& d : diags) {
      (d.severity == Severity::kError ? cl.errors : net.warnings).push_back(std::move(d));
    }
    if (!cl.errors.empty()) cl.schedule.reset();
    net.layers.push_back(std::move(cl));
  }
  if (replaced > 0) {
    net.warnings.push_back(make_warning(
        SourceLoc{*dataflow_path, 1, 1},
        "the --dataflow template replaces the Dataflow blocks of " + std::to_string(replaced) +
            " layer(s) of '" + mapping_path + "'",
        "omit --dataflow to use the mapping's own dataflows"));
  }
  return net;
}

}  // namespace baton
