// Closed form == reference counter on reduced copies of every accepted MAESTRO reference layer,
// on accelerator_1 and on a narrow, non-multicasting, non-reducing variant.
#include <filesystem>

#include "baton/analytical/model.h"
#include "baton/analytical/reference.h"
#include "baton/dataflow/network.h"
#include "common/reduce.h"
#include "common/reference_files.h"
#include "common/compare_cost.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {
namespace fs = std::filesystem;

const std::string kInputs = std::string(BATON_REFERENCE_DIR) + "/maestro/inputs";


class ReferenceLayers : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceLayers, ClosedFormEqualsReferenceCounterOnReducedLayers) {
  const MFile f = read_mfile(GetParam());
  HardwareSpec hw = load_hardware(kInputs + "/hw/accelerator_1.m");
  for (int variant = 0; variant < 2; ++variant) {
    if (variant == 1) {
      hw.noc.multicast = false;
      hw.noc.reduction = false;
      hw.pes = 37;  // odd PE count: partial clusters and folds
    }
    for (size_t i = 0; i < layers_to_check(f.layers.size()); ++i) {
      const LayerDecl d = reduced(f.layers[i]);
      std::vector<Diagnostic> diags;
      auto L = make_layer(d, static_cast<int>(i), diags);
      ASSERT_TRUE(L);
      ScheduleResult r = build_schedule(*L, *d.dataflow, hw);
      if (!r.schedule) continue;  // e.g. a level with several units and no SpatialMap on 37 PEs
      const std::string diff =
          compare_costs(analyze(*r.schedule, hw), reference_count(*r.schedule, hw).cost);
      EXPECT_EQ(diff, "") << d.name << " variant " << variant;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Maestro, ReferenceLayers, ::testing::ValuesIn(accepted_reference_files()),
                         file_param_name);

}  // namespace
}  // namespace baton::test
