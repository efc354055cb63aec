// HDF5 traces: a round trip at event level (record counts and sums equal the simulator's
// statistics), readable by h5dump, and an interrupted run leaves a readable file flagged
// complete = 0.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <cstdlib>
#include <vector>

#include "baton/sim/simulator.h"
#include "baton/traces/hdf5_writer.h"
#include "common/run_baton.h"
#include "dataflow/test_util.h"

namespace baton::test {
namespace {

template <typename R>
std::vector<R> read_records(hid_t file, const std::string& path, hid_t type) {
  hid_t d = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  EXPECT_GE(d, 0) << path;
  if (d < 0) return {};
  hid_t space = H5Dget_space(d);
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  std::vector<R> out(n);
  if (n) H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
  H5Sclose(space);
  H5Dclose(d);
  return out;
}

TEST(Trace, EventLevelRoundTripMatchesSimulatorStatistics) {
  auto s = compile_e1();
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 2;
  hw.noc.bandwidth_elems_per_cycle = 2;
  const std::string path = temp_path("event.h5");
  SimLayerResult r;
  {
    Hdf5TraceWriter w(path, TraceLevel::kEvent, TraceProvenance{"test", "0", "hw", {}});
    SimOptions opt;
    opt.trace = &w;
    opt.link_bin_cycles = 4;
    r = Simulator::instance().run(*s, hw, opt);
    w.finish();
  }
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  // Steps: one record per global step, cycles contiguous.
  hid_t st = H5Tcreate(H5T_COMPOUND, sizeof(StepRecord));
  H5Tinsert(st, "step", HOFFSET(StepRecord, step), H5T_NATIVE_INT64);
  H5Tinsert(st, "macs", HOFFSET(StepRecord, macs), H5T_NATIVE_INT64);
  const auto steps = read_records<StepRecord>(f, "/layers/L/steps", st);
  EXPECT_EQ(static_cast<int64_t>(steps.size()), r.counted.steps);
  int64_t macs = 0;
  for (const auto& x : steps) macs += x.macs;
  EXPECT_EQ(macs, r.counted.macs);
  // NoC packets: Σ elements per network = the network's carried elements.
  hid_t pt = H5Tcreate(H5T_COMPOUND, sizeof(NocPacketRecord));
  H5Tinsert(pt, "network", HOFFSET(NocPacketRecord, network), H5T_NATIVE_UINT8);
  H5Tinsert(pt, "elements", HOFFSET(NocPacketRecord, elements), H5T_NATIVE_INT64);
  H5Tinsert(pt, "dest_count", HOFFSET(NocPacketRecord, dest_count), H5T_NATIVE_INT32);
  const auto packets = read_records<NocPacketRecord>(f, "/layers/L/noc_packets", pt);
  int64_t dist = 0, coll = 0, deliveries = 0;
  for (const auto& p : packets) {
    (p.network == 0 ? dist : coll) += p.elements;
    if (p.network == 0) deliveries += p.elements * p.dest_count;
  }
  EXPECT_EQ(dist, r.distribution.elements);
  EXPECT_EQ(coll, r.collection.elements);
  const auto& t = r.counted.tensor;
  EXPECT_EQ(deliveries, t[0].noc_deliveries + t[1].noc_deliveries + t[2].noc_deliveries);
  // PE events: Σ compute durations = compute cycles; all kinds = runtime × PEs.
  hid_t et = H5Tcreate(H5T_COMPOUND, sizeof(PeEventRecord));
  H5Tinsert(et, "kind", HOFFSET(PeEventRecord, kind), H5T_NATIVE_UINT8);
  H5Tinsert(et, "duration", HOFFSET(PeEventRecord, duration), H5T_NATIVE_INT64);
  const auto events = read_records<PeEventRecord>(f, "/layers/L/pe_events", et);
  int64_t compute = 0;
  for (const auto& e : events)
    if (e.kind == PeCycleKind::kCompute) compute += e.duration;
  EXPECT_EQ(compute, r.pe_cycles.compute);
  // link_util: per (network, link) the bins add up to the link's flits over the layer.
  hid_t lt = H5Tcreate(H5T_COMPOUND, sizeof(LinkUtilRecord));
  H5Tinsert(lt, "bin_start_cycle", HOFFSET(LinkUtilRecord, bin_start_cycle), H5T_NATIVE_INT64);
  H5Tinsert(lt, "network", HOFFSET(LinkUtilRecord, network), H5T_NATIVE_UINT8);
  H5Tinsert(lt, "link", HOFFSET(LinkUtilRecord, link), H5T_NATIVE_INT32);
  H5Tinsert(lt, "flits", HOFFSET(LinkUtilRecord, flits), H5T_NATIVE_INT64);
  const auto util = read_records<LinkUtilRecord>(f, "/layers/L/link_util", lt);
  ASSERT_FALSE(util.empty());
  std::vector<int64_t> sums[2] = {std::vector<int64_t>(r.distribution_links.size()),
                                  std::vector<int64_t>(r.collection_links.size())};
  for (const auto& u : util) {
    ASSERT_LT(size_t(u.link), sums[u.network].size());
    EXPECT_EQ(u.bin_start_cycle % 4, 0);  // bins of opt.link_bin_cycles
    sums[u.network][size_t(u.link)] += u.flits;
  }
  for (size_t i = 0; i < sums[0].size(); ++i) EXPECT_EQ(sums[0][i], r.distribution_links[i].flits);
  for (size_t i = 0; i < sums[1].size(); ++i) EXPECT_EQ(sums[1][i], r.collection_links[i].flits);
  H5Tclose(lt);
  uint8_t complete = 0;
  hid_t a = H5Aopen(f, "complete", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_UINT8, &complete);
  EXPECT_EQ(complete, 1);
  H5Aclose(a);
  H5Tclose(st), H5Tclose(pt), H5Tclose(et), H5Fclose(f);
  // h5dump reads the file and shows the schema version.
  const std::string cmd = "h5dump -H '" + path + "' > '" + path + ".txt' 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_NE(slurp(path + ".txt").find("schema_version"), std::string::npos);
}

TEST(Trace, InterruptedRunLeavesAReadableFileFlaggedIncomplete) {
  auto s = compile_e1();
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 2;
  const std::string path = temp_path("stopped.h5");
  std::atomic<bool> stop{true};  // as if SIGINT arrived before the first step boundary
  {
    Hdf5TraceWriter w(path, TraceLevel::kStep, TraceProvenance{"test", "0", "hw", {}});
    SimOptions opt;
    opt.trace = &w;
    opt.stop = &stop;
    const SimLayerResult r = Simulator::instance().run(*s, hw, opt);
    EXPECT_TRUE(r.interrupted);
  }  // destroyed without finish(): flushed, complete stays 0
  const std::string info = trace_info(path);
  EXPECT_NE(info.find("complete: 0"), std::string::npos) << info;
  EXPECT_NE(info.find("steps: 1 records"), std::string::npos) << info;
}

TEST(TraceCli, SigintStopsTheRunWithStatus130AndAReadableTrace) {
  // Whole ResNet-50 (6.5 M global steps, about a minute): still running when SIGINT arrives.
  const std::string path = temp_path("sigint.h5");
  const std::string cmd = "SC_COPYRIGHT_MESSAGE=DISABLE timeout --preserve-status -s INT 1 '" BATON_BINARY
                          "' simulate --mapping '" BATON_REFERENCE_DIR
                          "/maestro/inputs/mapping/Resnet50_kcp_ws.m' --trace '" + path +
                          "' > /dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 130);
  const std::string info = trace_info(path);
  EXPECT_NE(info.find("complete: 0"), std::string::npos) << info;
}

}  // namespace
}  // namespace baton::test

namespace baton::test {
namespace {

TEST(TraceExport, CsvHasOneRowPerRecordAndVcdParses) {
  auto s = compile_e1();
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 2;
  hw.noc.bandwidth_elems_per_cycle = 2;  // a finite link: link_util has records
  const std::string path = temp_path("export.h5");
  SimLayerResult r;
  {
    Hdf5TraceWriter w(path, TraceLevel::kEvent, TraceProvenance{"test", "0", "hw", {}});
    SimOptions opt;
    opt.trace = &w;
    r = Simulator::instance().run(*s, hw, opt);
    w.finish();
  }
  const std::string dir = temp_path("export");
  const auto files = export_trace(path, "L", "csv", dir);
  EXPECT_EQ(files.size(), 6u);  // + link_util
  EXPECT_EQ(slurp(dir + "/link_util.csv").rfind("bin_start_cycle,bin_cycles,network,link,flits,utilisation\n", 0), 0u);
  const std::string steps = slurp(dir + "/steps.csv");
  EXPECT_EQ(steps.rfind("step,top_step,start_cycle,end_cycle,macs,stall_cycles\n", 0), 0u);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), '\n'), r.counted.steps + 1);
  EXPECT_NE(slurp(dir + "/pe_events.csv").find(",compute,"), std::string::npos);
  // VCD: header, one 3-bit state variable per PE, time-ordered value changes.
  export_trace(path, "L", "vcd", dir);
  std::istringstream vcd(slurp(dir + "/L.vcd"));
  std::string line;
  int vars = 0, changes = 0, link_vars = 0, link_changes = 0;
  int64_t last_time = -1;
  bool in_body = false, ordered = true;
  while (std::getline(vcd, line)) {
    if (line.rfind("$var wire 3 ", 0) == 0) ++vars;
    if (line == "$enddefinitions $end") in_body = true;
    if (in_body && !line.empty() && line[0] == '#') {
      const int64_t t = std::stoll(line.substr(1));
      ordered = ordered && t > last_time;
      last_time = t;
    }
    if (in_body && !line.empty() && line[0] == 'b') ++changes;
    if (line.rfind("$var wire 1 ", 0) == 0 && line.find("_valid $end") != std::string::npos) ++link_vars;
    if (in_body && line.size() > 2 && line[0] == '1' && line[1] == 'l' && line.back() == 'v') ++link_changes;
  }
  EXPECT_EQ(vars, 2);
  EXPECT_EQ(link_vars, 2);  // the bus of each network carried flits
  EXPECT_GT(link_changes, 0);
  EXPECT_TRUE(ordered);
  EXPECT_GT(changes, 2 * r.counted.steps / 2);
  EXPECT_THROW(export_trace(path, "nope", "csv", dir), InputError);
  EXPECT_THROW(export_trace(path, "L", "pdf", dir), InputError);
}

}  // namespace
}  // namespace baton::test

namespace baton::test {
namespace {

TEST(TraceExport, ScaleSimLayoutHasCycleThenOneAddressPerPort) {
  // A systolic-like mapping: each PE a column of output channels, weights streamed per step.
  auto s = compile(one_layer(R"(Type: GEMM
    Dimensions { M: 8, N: 4, K: 6 }
    Dataflow { SpatialMap(1,1) N; TemporalMap(1,1) M; TemporalMap(Sz(K),Sz(K)) K; })"), 4);
  ASSERT_TRUE(s);
  HardwareSpec hw;
  hw.pes = 4;
  const std::string path = temp_path("ss.h5");
  {
    Hdf5TraceWriter w(path, TraceLevel::kEvent, TraceProvenance{"test", "0", "hw", {}});
    SimOptions opt;
    opt.trace = &w;
    Simulator::instance().run(*s, hw, opt);
    w.finish();
  }
  const std::string dir = temp_path("scalesim");
  const auto files = export_trace(path, "L", "scalesim", dir);
  ASSERT_EQ(files.size(), 6u);
  for (const char* name : {"IFMAP_SRAM_TRACE.csv", "FILTER_SRAM_TRACE.csv", "OFMAP_SRAM_TRACE.csv",
                           "IFMAP_DRAM_TRACE.csv", "FILTER_DRAM_TRACE.csv", "OFMAP_DRAM_TRACE.csv"}) {
    std::istringstream in(slurp(dir + "/" + name));
    std::string line;
    int64_t last = -1, rows = 0;
    while (std::getline(in, line)) {
      std::vector<int64_t> v;
      std::istringstream cells(line);
      std::string c;
      while (std::getline(cells, c, ',')) v.push_back(std::stoll(c));
      ASSERT_EQ(v.size(), 17u) << name << ": " << line;  // cycle + 16 ports
      EXPECT_GT(v[0], last) << name;
      last = v[0];
      const int64_t base = std::string(name).rfind("IFMAP", 0) == 0    ? 0
                           : std::string(name).rfind("FILTER", 0) == 0 ? 10000000
                                                                        : 20000000;
      for (size_t k = 1; k < v.size(); ++k) {
        if (v[k] != -1) {
          EXPECT_GE(v[k], base) << name;
        }
      }
      ++rows;
    }
    EXPECT_GT(rows, 0) << name;
  }
}

}  // namespace
}  // namespace baton::test
