// baton::traces — HDF5 traces (schema: docs/TRACES.md). The writer is a TraceSink: the simulator
// emits records, the writer batches them into chunked, compressed (shuffle + deflate), extendible
// datasets of compound records under /layers/<name>/. Only this library includes HDF5 headers.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "baton/sim/trace_sink.h"

namespace baton {

struct TraceProvenance {
  std::string command_line;
  std::string baton_version;
  std::string hardware;  // the hardware spec, human-readable
  std::vector<std::pair<std::string, std::string>> inputs;  // (path, full text) of input files
};

class Hdf5TraceWriter : public TraceSink {
 public:
  // Creates (truncates) `path`; the root attribute `complete` is 0 until finish().
  Hdf5TraceWriter(const std::string& path, TraceLevel level, const TraceProvenance& prov);
  ~Hdf5TraceWriter() override;
  Hdf5TraceWriter(const Hdf5TraceWriter&) = delete;
  Hdf5TraceWriter& operator=(const Hdf5TraceWriter&) = delete;

  // Flushes every buffer, sets `complete` = 1 and closes the file.
  void finish();

  TraceLevel level() const override { return level_; }
  void begin_layer(const std::string& name, int layer_index) override;
  void step(const StepRecord& r) override;
  void pe_event(const PeEventRecord& r) override;
  void noc_packet(const NocPacketRecord& r) override;
  void l2_access(const MemAccessRecord& r) override;
  void dram_access(const MemAccessRecord& r) override;
  void links(uint8_t network, const std::string& names) override;
  void link_util(const LinkUtilRecord& r) override;
  void end_layer(const std::string& summary_json) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  TraceLevel level_;
};

// `baton trace info`: schema version, completeness, layers, datasets, record counts, sizes.
std::string trace_info(const std::string& path);

// `baton trace export`: the datasets of layer group `layer` ("/layers/<layer>") as CSV files
// (<dataset>.csv, one column per field, enums by name) or its PE states as a VCD waveform
// (<layer>.vcd: a 3-bit state per PE: 0 idle, 1 compute, 2–5 stall_input/weight/output/dram).
// Returns the files written.
std::vector<std::string> export_trace(const std::string& path, const std::string& layer,
                                      const std::string& format, const std::string& out_dir);

// SHA-256 of a byte string, lowercase hex (provenance of input files).
std::string sha256_hex(const std::string& bytes);

TraceLevel parse_trace_level(const std::string& s);  // layer | step | event; InputError else

}  // namespace baton
