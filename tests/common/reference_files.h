// Test helper: the MAESTRO reference mapping files (inputs/mapping, inputs/validation).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

namespace baton::test {

inline std::string reference_inputs() {
  return std::string(BATON_REFERENCE_DIR) + "/maestro/inputs";
}

// Every mapping and validation `.m` file, sorted.
inline std::vector<std::string> reference_files() {
  std::vector<std::string> out;
  for (const char* sub : {"mapping", "validation/eyeriss", "validation/maeri"})
    for (const auto& e : std::filesystem::directory_iterator(reference_inputs() + "/" + sub))
      if (e.path().extension() == ".m") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// gtest parameter name: the file stem with non-alphanumerics replaced.
inline std::string file_param_name(const ::testing::TestParamInfo<std::string>& p) {
  std::string n = std::filesystem::path(p.param).stem().string();
  std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(c); }, '_');
  return n;
}

}  // namespace baton::test
