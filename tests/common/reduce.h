// Test helper: reduced copies of reference layers (dims shrunk, filters and strides kept).
#pragma once

#include <algorithm>
#include <map>
#include <string>

#include "baton/dataflow/mfile.h"

namespace baton::test {

// A copy of the layer with dims shrunk so that walking it is fast; filter sizes and strides kept.
inline LayerDecl reduced(LayerDecl d) {
  std::map<std::string, int64_t> st;
  for (const auto& x : d.strides) st[x.name] = x.value;
  std::map<std::string, int64_t> v;
  for (const auto& x : d.dims) v[x.name] = x.value;
  for (auto& x : d.dims) {
    if (x.name == "N") x.value = std::min<int64_t>(x.value, d.type == "GEMM" ? 7 : 2);
    if (x.name == "K" || x.name == "C" || x.name == "M") x.value = std::min<int64_t>(x.value, 7);
    if (x.name == "G") x.value = std::min<int64_t>(x.value, 3);
    if (x.name == "Y'" || x.name == "X'") x.value = std::min<int64_t>(x.value, 3);
    if ((x.name == "Y" || x.name == "X") && d.type != "GEMM") {
      const bool y = x.name == "Y";
      const int64_t k = v.count(y ? "R" : "S") ? v[y ? "R" : "S"] : 1;
      const int64_t s = st.count(x.name) ? st[x.name] : (d.type == "TRCONV" ? k : 1);
      if (d.type == "TRCONV") {
        x.value = std::min<int64_t>(x.value, 2);
      } else {
        const int64_t p = std::min<int64_t>((x.value - k) / s + 1, 3);
        x.value = (p - 1) * s + k;
      }
    }
  }
  return d;
}

}  // namespace baton::test
