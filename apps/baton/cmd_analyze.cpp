// `baton analyze`: the closed-form analytical model per layer (CSV / JSON / summary).
#include <iostream>

#include "analyze_output.h"
#include "baton/analytical/model.h"
#include "cli.h"
#include "commands.h"
#include "maestro_mode.h"

namespace baton::cli {

int cmd_analyze(int argc, const char* const* argv) {
  CommonOptions o;
  std::string csv, cost_model = "native", csv_format;
  MaestroHwOptions mo;
  po::options_description desc("baton analyze options");
  add_common_options(desc, o);
  desc.add_options()("csv", po::value(&csv), "write one CSV row per layer to FILE")(
      "cost-model", po::value(&cost_model),
      "native (DIRECTIVES.md, exact) or maestro (reproduces the MAESTRO tool's numbers)")(
      "csv-format", po::value(&csv_format),
      "native, or maestro (MAESTRO's 52 columns + recomputed energy; needs --cost-model "
      "maestro)");
  add_maestro_hw_options(desc, mo);
  if (!parse(argc, argv, desc,
             "usage: baton analyze [--mapping F.m] [--dataflow T.m] [--hw H] [--layer NAME] "
             "[--csv FILE] [--json[=FILE]]\nEvaluates every layer with the closed-form "
             "analytical model (DIRECTIVES.md rules 9-14): traffic, runtime, buffers, "
             "bandwidth, energy. Columns: docs/OUTPUTS.md."))
    return kOk;
  HardwareSpec hw = load_hw(o);
  apply_maestro_hw_options(mo, hw);
  if (cost_model != "native" && cost_model != "maestro")
    throw InputError(make_error(SourceLoc{"--cost-model", 0, 0}, "unknown cost model '" +
                                cost_model + "'", "valid: native, maestro"));
  if (csv_format.empty()) csv_format = cost_model;
  if (csv_format != cost_model)
    throw InputError(make_error(SourceLoc{"--csv-format", 0, 0},
                                "--csv-format " + csv_format + " goes with --cost-model " +
                                    csv_format, "give both, or neither"));
  if (cost_model == "maestro") return analyze_maestro(o, hw, csv);
  const CompiledNetwork net = load_network(o, hw);
  if (report_layer_errors(net, o.keep_going)) return kBadInput;
  std::vector<LayerRow> rows;
  for (const CompiledLayer* cl : net.select(o.layer)) {
    if (!cl->schedule) continue;
    LayerRow r{cl, analyze(*cl->schedule, hw), {}};
    apply_fit(r.cost, hw);
    rows.push_back(std::move(r));
  }
  if (!csv.empty()) write_file_atomic(csv, analyze_csv(rows));
  if (o.json && *o.json == "-") {
    std::cout << analyze_json(rows, net, hw) << '\n';
  } else {
    if (o.json) emit_json(o.json, analyze_json(rows, net, hw));
    std::cout << analyze_summary(rows, net, hw);
  }
  return net.has_errors() ? kBadInput : kOk;
}

}  // namespace baton::cli
