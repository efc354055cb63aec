// Helpers for comparing baton::maestro with MAESTRO's reference CSVs
// (validation/reference/maestro/outputs/accel1).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "baton/maestro/compat.h"

namespace baton::maestro::testing {

// One CSV file: header names (trimmed) and rows of trimmed cells.
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int column(const std::string& name) const;  // -1 if absent
};
Csv read_csv(const std::string& path);

// The columns compared, with the function giving our value.
struct Column {
  std::string name;  // as in MAESTRO's header (trimmed)
  double (*ours)(const LayerResult&);
};
const std::vector<Column>& compared_columns();

// Mapping files MAESTRO ran successfully (rc 0 in runs.tsv): CSV stem → mapping path.
std::map<std::string, std::string> successful_runs(const std::string& reference_dir);

struct Mismatch {
  std::string file, layer, column;
  double ours = 0, maestro = 0;
};
struct FileReport {
  std::string file;
  int layers = 0;
  std::string error;                        // analysis threw (message)
  std::map<std::string, int> exact;         // column → layers matching exactly
  std::vector<Mismatch> mismatches;
};
// Runs baton::maestro on one mapping file with accelerator_1 and compares with the CSV.
FileReport compare_file(const std::string& reference_dir, const std::string& stem,
                        const std::string& mapping);

}  // namespace baton::maestro::testing
