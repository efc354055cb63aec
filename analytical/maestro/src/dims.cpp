// Dimension names → the small integer ids the engine works with (see model.h).
#include "model.h"

namespace baton::maestro::detail {

int fixed_dim_id(const std::string& name) {
  if (name.size() == 2 && name[1] == '\'') return name[0] == 'Y' ? kYo : name[0] == 'X' ? kXo : -1;
  if (name.size() != 1) return -1;
  switch (name[0]) {
    case 'N': return kN;
    case 'G': return kG;
    case 'K': return kK;
    case 'C': return kC;
    case 'M': return kM;
    case 'R': return kR;
    case 'S': return kS;
    case 'Y': return kY;
    case 'X': return kX;
    default: return -1;
  }
}

int OtherDims::find(const std::string& name) const {
  const int id = fixed_dim_id(name);
  if (id >= 0) return id;
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return kFirstOtherDim + static_cast<int>(i);
  return -1;
}

int OtherDims::intern(const std::string& name) {
  const int id = find(name);
  if (id >= 0) return id;
  if (kFirstOtherDim + names.size() >= static_cast<size_t>(kMaxDims)) return -1;
  names.push_back(name);
  return kFirstOtherDim + static_cast<int>(names.size()) - 1;
}

}  // namespace baton::maestro::detail
