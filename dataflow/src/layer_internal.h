// Internal helpers shared by layer.cpp and layer_make.cpp.
#pragma once

#include <string>
#include <vector>

#include "baton/dataflow/layer.h"

namespace baton::detail {

struct TypeInfo {
  LayerType type;
  const char* name;
  std::vector<std::string> dims;  // names allowed in Dimensions
};

const std::vector<TypeInfo>& type_table();
// Fills LayerSpec::coords_ from the type and strides.
void set_couplings(LayerSpec& L);

}  // namespace baton::detail
