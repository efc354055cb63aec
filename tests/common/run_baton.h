// Test helper: run the `baton` binary (BATON_BINARY) and capture its exit status and output.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace baton::test {

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A path unique to this test and process in the test temp directory.
inline std::string temp_path(const std::string& suffix) {
  const auto* info = testing::UnitTest::GetInstance()->current_test_info();
  return testing::TempDir() + "baton_cli_" + info->test_suite_name() + "_" + info->name() + "_" +
         std::to_string(::getpid()) + "_" + suffix;
}

inline std::string write_temp(const std::string& suffix, const std::string& text) {
  const std::string path = temp_path(suffix);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct Result {
  int status = -1;  // exit status, -1 if the process did not exit normally
  std::string out, err;
};

// Runs `baton <args>` (args are passed through the shell) and captures stdout and stderr.
inline Result baton(const std::string& args) {
  static int n = 0;
  const std::string out = temp_path("run" + std::to_string(n) + ".out");
  const std::string err = temp_path("run" + std::to_string(n++) + ".err");
  const std::string cmd = "SC_COPYRIGHT_MESSAGE=DISABLE '" BATON_BINARY "' " + args + " >'" +
                          out + "' 2>'" + err + "'";
  const int rc = std::system(cmd.c_str());
  Result r;
  if (rc != -1 && WIFEXITED(rc)) r.status = WEXITSTATUS(rc);
  r.out = slurp(out);
  r.err = slurp(err);
  std::error_code ec;
  std::filesystem::remove(out, ec);
  std::filesystem::remove(err, ec);
  return r;
}

}  // namespace baton::test
