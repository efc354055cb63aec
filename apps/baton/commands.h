// apps/baton — subcommand entry points (each returns a process exit status).
#pragma once

namespace baton::cli {

int cmd_schedule(int argc, const char* const* argv);
int cmd_analyze(int argc, const char* const* argv);
int cmd_bench(int argc, const char* const* argv);
int cmd_simulate(int argc, const char* const* argv);
int cmd_check(int argc, const char* const* argv);
int cmd_trace(int argc, const char* const* argv);
int cmd_validate(int argc, const char* const* argv);
int cmd_dse(int argc, const char* const* argv);
int cmd_bench_dse(int argc, const char* const* argv);

}  // namespace baton::cli
