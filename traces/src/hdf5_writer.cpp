// HDF5 trace writer. Schema (docs/TRACES.md, schema_version 1):
//   /                       attrs: schema_version (u32), baton_version, command_line, hardware,
//                                  input_files ("path sha256" per line), input_<i>_text,
//                                  complete (u8: 1 when the run finished)
//   /layers/<name>[#k]/     attrs: layer_index, summary (JSON)
//     steps        step, top_step, start_cycle, end_cycle, macs, stall_cycles
//     pe_events    cycle, pe, kind (enum compute/stall_input/stall_weight/stall_output/
//                  stall_dram/idle), duration
//     noc_packets  inject_cycle, arrive_cycle, network (0 distribution, 1 collection), tensor,
//                  source, dest_count, first_dest, elements, hops
//     l2_accesses, dram_accesses   cycle, tensor, first_element, count, write
//     link_util    bin_start_cycle, bin_cycles, network, link, flits, utilisation (event level;
//                  group attrs links_distribution / links_collection: "name lanes" per link)
// Every dataset: 1-D, chunked, shuffle + deflate 1, extendible; attribute `units` per field.
#include "baton/traces/hdf5_writer.h"

#include <openssl/evp.h>

#include <cstdio>
#include <functional>

#include "baton/dataflow/diagnostic.h"
#include "writer_impl.h"

namespace baton {

struct Hdf5TraceWriter::Impl : detail::WriterImpl {};

Hdf5TraceWriter::Hdf5TraceWriter(const std::string& path, TraceLevel level,
                                 const TraceProvenance& prov)
    : impl_(std::make_unique<Impl>()), level_(level) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are reported by us, not on stderr
  detail::Hid fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
  H5Pset_obj_track_times(fcpl.get(), 0);
  impl_->file = detail::Hid(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT),
                            H5Fclose);
  if (!impl_->file.valid())
    throw InputError(make_error(SourceLoc{path, 0, 0}, "cannot create trace file '" + path + "'",
                                "check that the directory exists and is writable"));
  const hid_t root = impl_->file.get();
  detail::attr_scalar<uint32_t>(root, "schema_version", H5T_NATIVE_UINT32, 1);
  detail::attr_string(root, "baton_version", prov.baton_version);
  detail::attr_string(root, "command_line", prov.command_line);
  detail::attr_string(root, "hardware", prov.hardware);
  std::string files;
  for (size_t i = 0; i < prov.inputs.size(); ++i) {
    files += prov.inputs[i].first + " " + sha256_hex(prov.inputs[i].second) + "\n";
    detail::attr_string(root, ("input_" + std::to_string(i) + "_text").c_str(),
                        prov.inputs[i].second);
  }
  detail::attr_string(root, "input_files", files);
  detail::attr_string(root, "time_unit", "cycle");
  detail::attr_scalar<uint8_t>(root, "complete", H5T_NATIVE_UINT8, 0);
  detail::Hid gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
  H5Pset_obj_track_times(gcpl.get(), 0);
  impl_->layers =
      detail::Hid(H5Gcreate2(root, "layers", H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose);
  H5Fflush(root, H5F_SCOPE_GLOBAL);
}

Hdf5TraceWriter::~Hdf5TraceWriter() {
  if (!impl_->file.valid()) return;
  for (auto& [name, t] : impl_->tables) impl_->flush(t);
  H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL);
}

void Hdf5TraceWriter::finish() {
  if (!impl_->file.valid()) return;
  for (auto& [name, t] : impl_->tables) impl_->flush(t);
  impl_->tables.clear();
  impl_->group.reset();
  detail::attr_scalar<uint8_t>(impl_->file.get(), "complete", H5T_NATIVE_UINT8, 1);
  impl_->layers.reset();
  impl_->file.reset();
}

void Hdf5TraceWriter::begin_layer(const std::string& name, int layer_index) {
  for (auto& [n, t] : impl_->tables) impl_->flush(t);
  impl_->tables.clear();
  std::string g = name;
  for (char& c : g)
    if (c == '/' || c == '.') c = '_';
  const int k = ++impl_->seen_names[g];
  if (k > 1) g += "#" + std::to_string(k);
  detail::Hid gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
  H5Pset_obj_track_times(gcpl.get(), 0);
  impl_->group = detail::Hid(
      H5Gcreate2(impl_->layers.get(), g.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose);
  detail::attr_scalar<int32_t>(impl_->group.get(), "layer_index", H5T_NATIVE_INT32, layer_index);
  detail::attr_string(impl_->group.get(), "layer_name", name);
}

void Hdf5TraceWriter::step(const StepRecord& r) { impl_->append("steps", r); }
void Hdf5TraceWriter::pe_event(const PeEventRecord& r) { impl_->append("pe_events", r); }
void Hdf5TraceWriter::noc_packet(const NocPacketRecord& r) { impl_->append("noc_packets", r); }
void Hdf5TraceWriter::l2_access(const MemAccessRecord& r) { impl_->append("l2_accesses", r); }
void Hdf5TraceWriter::dram_access(const MemAccessRecord& r) { impl_->append("dram_accesses", r); }
void Hdf5TraceWriter::links(uint8_t network, const std::string& names) {
  if (impl_->group.valid())
    detail::attr_string(impl_->group.get(),
                        network ? "links_collection" : "links_distribution", names);
}
void Hdf5TraceWriter::link_util(const LinkUtilRecord& r) { impl_->append("link_util", r); }

void Hdf5TraceWriter::end_layer(const std::string& summary_json) {
  for (auto& [n, t] : impl_->tables) impl_->flush(t);
  if (impl_->group.valid()) detail::attr_string(impl_->group.get(), "summary", summary_json);
  impl_->tables.clear();
  impl_->group.reset();
  H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL);
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    out += buf;
  }
  return out;
}

TraceLevel parse_trace_level(const std::string& s) {
  if (s == "layer") return TraceLevel::kLayer;
  if (s == "step") return TraceLevel::kStep;
  if (s == "event") return TraceLevel::kEvent;
  throw InputError(make_error(SourceLoc{"--trace-level", 0, 0},
                              "unknown trace level '" + s + "'", "valid: layer, step, event"));
}

}  // namespace baton
