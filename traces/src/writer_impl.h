// Internal: datasets of one trace layer (compound types, batching) for the HDF5 writer.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "baton/traces/hdf5_writer.h"
#include "hdf5_util.h"

namespace baton::detail {


inline constexpr hsize_t kChunk = 8192;

struct Table {
  Hid type;
  Hid dset;
  std::string name, units;
  size_t record_size = 0;
  std::vector<unsigned char> buffer;  // pending records
  hsize_t rows = 0;
};

inline Hid compound_steps() {
  Hid t(H5Tcreate(H5T_COMPOUND, sizeof(StepRecord)), H5Tclose);
  H5Tinsert(t.get(), "step", HOFFSET(StepRecord, step), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "top_step", HOFFSET(StepRecord, top_step), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "start_cycle", HOFFSET(StepRecord, start_cycle), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "end_cycle", HOFFSET(StepRecord, end_cycle), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "macs", HOFFSET(StepRecord, macs), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "stall_cycles", HOFFSET(StepRecord, stall_cycles), H5T_NATIVE_INT64);
  return t;
}

inline Hid compound_pe_events() {
  Hid kind(H5Tenum_create(H5T_NATIVE_UINT8), H5Tclose);
  for (uint8_t k = 0; k < 6; ++k)
    H5Tenum_insert(kind.get(), pe_cycle_kind_name(static_cast<PeCycleKind>(k)), &k);
  Hid t(H5Tcreate(H5T_COMPOUND, sizeof(PeEventRecord)), H5Tclose);
  H5Tinsert(t.get(), "cycle", HOFFSET(PeEventRecord, cycle), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "pe", HOFFSET(PeEventRecord, pe), H5T_NATIVE_INT32);
  H5Tinsert(t.get(), "kind", HOFFSET(PeEventRecord, kind), kind.get());
  H5Tinsert(t.get(), "duration", HOFFSET(PeEventRecord, duration), H5T_NATIVE_INT64);
  return t;
}

inline Hid compound_packets() {
  Hid t(H5Tcreate(H5T_COMPOUND, sizeof(NocPacketRecord)), H5Tclose);
  H5Tinsert(t.get(), "inject_cycle", HOFFSET(NocPacketRecord, inject_cycle), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "arrive_cycle", HOFFSET(NocPacketRecord, arrive_cycle), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "network", HOFFSET(NocPacketRecord, network), H5T_NATIVE_UINT8);
  H5Tinsert(t.get(), "tensor", HOFFSET(NocPacketRecord, tensor), H5T_NATIVE_UINT8);
  H5Tinsert(t.get(), "source", HOFFSET(NocPacketRecord, source), H5T_NATIVE_INT32);
  H5Tinsert(t.get(), "dest_count", HOFFSET(NocPacketRecord, dest_count), H5T_NATIVE_INT32);
  H5Tinsert(t.get(), "first_dest", HOFFSET(NocPacketRecord, first_dest), H5T_NATIVE_INT32);
  H5Tinsert(t.get(), "elements", HOFFSET(NocPacketRecord, elements), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "hops", HOFFSET(NocPacketRecord, hops), H5T_NATIVE_INT32);
  return t;
}

inline Hid compound_mem() {
  Hid t(H5Tcreate(H5T_COMPOUND, sizeof(MemAccessRecord)), H5Tclose);
  H5Tinsert(t.get(), "cycle", HOFFSET(MemAccessRecord, cycle), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "tensor", HOFFSET(MemAccessRecord, tensor), H5T_NATIVE_UINT8);
  H5Tinsert(t.get(), "first_element", HOFFSET(MemAccessRecord, first_element), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "count", HOFFSET(MemAccessRecord, count), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "write", HOFFSET(MemAccessRecord, write), H5T_NATIVE_UINT8);
  return t;
}

inline Hid compound_link_util() {
  Hid t(H5Tcreate(H5T_COMPOUND, sizeof(LinkUtilRecord)), H5Tclose);
  H5Tinsert(t.get(), "bin_start_cycle", HOFFSET(LinkUtilRecord, bin_start_cycle), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "bin_cycles", HOFFSET(LinkUtilRecord, bin_cycles), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "network", HOFFSET(LinkUtilRecord, network), H5T_NATIVE_UINT8);
  H5Tinsert(t.get(), "link", HOFFSET(LinkUtilRecord, link), H5T_NATIVE_INT32);
  H5Tinsert(t.get(), "flits", HOFFSET(LinkUtilRecord, flits), H5T_NATIVE_INT64);
  H5Tinsert(t.get(), "utilisation", HOFFSET(LinkUtilRecord, utilisation), H5T_NATIVE_DOUBLE);
  return t;
}

struct WriterImpl {
  Hid file, layers, group;
  std::map<std::string, int> seen_names;
  std::map<std::string, Table> tables;  // of the current layer
  bool finished = false;

  Table& table(const std::string& name) {
    auto it = tables.find(name);
    if (it != tables.end()) return it->second;
    Table t;
    t.name = name;
    if (name == "steps") {
      t.type = compound_steps();
      t.record_size = sizeof(StepRecord);
      t.units = "step: 1; top_step: 1; start_cycle: cycle; end_cycle: cycle; macs: MAC; "
                "stall_cycles: cycle";
    } else if (name == "pe_events") {
      t.type = compound_pe_events();
      t.record_size = sizeof(PeEventRecord);
      t.units = "cycle: cycle; pe: PE id; kind: enum; duration: cycle";
    } else if (name == "noc_packets") {
      t.type = compound_packets();
      t.record_size = sizeof(NocPacketRecord);
      t.units = "inject_cycle: cycle; arrive_cycle: cycle; network: enum 0 distribution 1 "
                "collection; tensor: enum 0 input 1 weight 2 output; source: PE id (-1 L2); "
                "dest_count: PEs; first_dest: PE id (-1 L2); elements: element; hops: link";
    } else if (name == "link_util") {
      t.type = compound_link_util();
      t.record_size = sizeof(LinkUtilRecord);
      t.units = "bin_start_cycle: cycle; bin_cycles: cycle; network: enum 0 distribution 1 "
                "collection; link: index into the group attribute links_<network>; flits: flit "
                "(bus: busy cycle); utilisation: flits per lane per cycle";
    } else {
      t.type = compound_mem();
      t.record_size = sizeof(MemAccessRecord);
      t.units = "cycle: cycle; tensor: enum 0 input 1 weight 2 output; first_element: element "
                "id; count: element; write: 0 read 1 write";
    }
    hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = kChunk;
    Hid space(H5Screate_simple(1, &dims, &maxdims), H5Sclose);
    Hid dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_chunk(dcpl.get(), 1, &chunk);
    H5Pset_shuffle(dcpl.get());
    H5Pset_deflate(dcpl.get(), 1);
    H5Pset_obj_track_times(dcpl.get(), 0);
    t.dset = Hid(H5Dcreate2(group.get(), name.c_str(), t.type.get(), space.get(), H5P_DEFAULT,
                            dcpl.get(), H5P_DEFAULT),
                 H5Dclose);
    detail::attr_string(t.dset.get(), "units", t.units);
    return tables.emplace(name, std::move(t)).first->second;
  }

  void flush(Table& t) {
    const hsize_t n = t.buffer.size() / t.record_size;
    if (n == 0) return;
    const hsize_t total = t.rows + n;
    H5Dset_extent(t.dset.get(), &total);
    Hid fspace(H5Dget_space(t.dset.get()), H5Sclose);
    H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &t.rows, nullptr, &n, nullptr);
    Hid mspace(H5Screate_simple(1, &n, nullptr), H5Sclose);
    H5Dwrite(t.dset.get(), t.type.get(), mspace.get(), fspace.get(), H5P_DEFAULT,
             t.buffer.data());
    t.rows = total;
    t.buffer.clear();
  }

  template <typename R>
  void append(const std::string& name, const R& r) {
    if (!group.valid()) return;
    Table& t = table(name);
    const auto* p = reinterpret_cast<const unsigned char*>(&r);
    t.buffer.insert(t.buffer.end(), p, p + sizeof(R));
    if (t.buffer.size() / t.record_size >= kChunk) flush(t);
  }
};

}  // namespace baton::detail
