// baton::maestro against MAESTRO's own CSVs for every mapping MAESTRO ran (runs.tsv rc 0), on
// accelerator_1: the compared columns must match exactly, and the whole 52-column row text must
// be identical to MAESTRO's (our 53rd column, recomputed energy, is dropped for the comparison).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "baton/dataflow/hardware.h"
#include "baton/dataflow/mfile.h"
#include "reference_csv.h"

namespace baton::maestro::testing {
namespace {

const std::string kRef = BATON_REFERENCE_DIR;

std::vector<std::string> stems() {
  std::vector<std::string> out;
  for (const auto& [stem, mapping] : successful_runs(kRef)) out.push_back(stem);
  return out;
}

class MaestroReferenceFile : public ::testing::TestWithParam<std::string> {};

TEST_P(MaestroReferenceFile, ComparedColumnsMatchExactly) {
  const std::string stem = GetParam();
  const FileReport rep = compare_file(kRef, stem, successful_runs(kRef).at(stem));
  EXPECT_EQ(rep.error, "");
  ASSERT_GT(rep.layers, 0);
  for (const Column& c : compared_columns()) {
    const auto it = rep.exact.find(c.name);
    EXPECT_EQ(it == rep.exact.end() ? 0 : it->second, rep.layers) << c.name;
  }
  for (const Mismatch& m : rep.mismatches)
    ADD_FAILURE() << m.layer << " [" << m.column << "] ours " << m.ours << " maestro " << m.maestro;
}

TEST_P(MaestroReferenceFile, CsvRowsAreIdenticalToMaestros) {
  const std::string stem = GetParam();
  const MaestroHw hw =
      maestro_hw_from_spec(load_hardware(kRef + "/maestro/inputs/hw/accelerator_1.m"));
  const MFile mf = read_mfile(successful_runs(kRef).at(stem));
  std::vector<LayerResult> rows;
  for (const LayerDecl& l : mf.layers) rows.push_back(maestro_analyze(l, *l.dataflow, hw));
  std::ostringstream os;
  write_maestro_csv(os, mf.network_name, rows);
  std::istringstream ours(os.str());
  std::ifstream theirs(kRef + "/maestro/outputs/accel1/" + stem + ".csv");
  std::string a, b;
  std::getline(ours, a);
  std::getline(theirs, b);
  EXPECT_EQ(a.substr(0, a.rfind(", ")), b) << "header";
  int row = 0;
  while (std::getline(theirs, b)) {
    ASSERT_TRUE(static_cast<bool>(std::getline(ours, a))) << "missing row " << row;
    EXPECT_EQ(a.substr(0, a.rfind(", ")), b) << "row " << row;
    ++row;
  }
  EXPECT_EQ(row, static_cast<int>(rows.size()));
}

INSTANTIATE_TEST_SUITE_P(Accel1, MaestroReferenceFile, ::testing::ValuesIn(stems()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

TEST(MaestroReference, EverySuccessfulRunIsCovered) {
  // runs.tsv lists 43 runs; 35 exited 0 (the others crash MAESTRO and have no CSV).
  EXPECT_EQ(successful_runs(kRef).size(), 35u);
}

}  // namespace
}  // namespace baton::maestro::testing
