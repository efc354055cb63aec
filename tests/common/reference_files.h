// Test helper: the MAESTRO reference mapping files (inputs/mapping, inputs/validation).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
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

// The reference files baton rejects natively (DIRECTIVES.md; pinned by
// tests/dataflow/reference_test.cpp), and the others — cheap: nothing is compiled here, so
// every test process of a parameterised suite starts fast (also under sanitizers).
inline bool natively_rejected(const std::string& path) {
  static const char* kRejected[] = {"Resnet50_rs",    "ResNeXt50_rs",     "UNet_RS",
                                    "vgg16_rs",       "UNet_kcp_ws",      "UNet_yxp_os",
                                    "ResNeXt50_yxp_os", "Transformer_Layers"};
  const std::string stem = std::filesystem::path(path).stem().string();
  for (const char* r : kRejected)
    if (stem == r) return true;
  return false;
}
inline std::vector<std::string> accepted_reference_files() {
  std::vector<std::string> out;
  for (const std::string& f : reference_files())
    if (!natively_rejected(f)) out.push_back(f);
  return out;
}

// Layers per reference file that the heavy cross-checks visit: all, or 4 when
// BATON_TEST_QUICK is set (the sanitizer CI run: memory errors, not exhaustive coverage).
inline size_t layers_to_check(size_t n) {
  return std::getenv("BATON_TEST_QUICK") ? std::min<size_t>(n, 4) : n;
}

// gtest parameter name: the file stem with non-alphanumerics replaced.
inline std::string file_param_name(const ::testing::TestParamInfo<std::string>& p) {
  std::string n = std::filesystem::path(p.param).stem().string();
  std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(c); }, '_');
  return n;
}

}  // namespace baton::test
