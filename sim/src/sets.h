// Internal: sorted element-id sets (vectors of distinct ids in increasing order).
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

namespace baton::detail {

using Set = std::vector<int64_t>;

inline Set minus(const Set& a, const Set& b) {
  Set o;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(o));
  return o;
}

inline void unite(Set& acc, const Set& b) {
  Set o;
  std::set_union(acc.begin(), acc.end(), b.begin(), b.end(), std::back_inserter(o));
  acc.swap(o);
}

}  // namespace baton::detail
