// `baton trace info`: what a trace file holds (read-only).
#include <algorithm>
#include <sstream>
#include <vector>

#include "baton/dataflow/diagnostic.h"
#include "baton/traces/hdf5_writer.h"
#include "hdf5_util.h"

namespace baton {
namespace {
using detail::Hid;
using detail::read_string_attr;

template <typename T>
T read_scalar_attr(hid_t obj, const char* name, hid_t type, T dflt) {
  if (H5Aexists(obj, name) <= 0) return dflt;
  Hid attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  T v = dflt;
  H5Aread(attr.get(), type, &v);
  return v;
}

herr_t collect(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

std::vector<std::string> children(hid_t group) {
  std::vector<std::string> out;
  hsize_t idx = 0;
  H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &out);
  return out;
}

}  // namespace

std::string trace_info(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid())
    throw InputError(make_error(SourceLoc{path, 0, 0}, "cannot open '" + path +
                                "' as an HDF5 trace", "give a file written by --trace"));
  std::ostringstream os;
  const uint32_t schema =
      read_scalar_attr<uint32_t>(file.get(), "schema_version", H5T_NATIVE_UINT32, 0);
  const uint8_t complete = read_scalar_attr<uint8_t>(file.get(), "complete", H5T_NATIVE_UINT8, 0);
  os << "trace: " << path << "\nschema_version: " << schema
     << "\nbaton_version: " << read_string_attr(file.get(), "baton_version")
     << "\ncomplete: " << int(complete) << (complete ? "" : " (the run did not finish)")
     << "\ncommand_line: " << read_string_attr(file.get(), "command_line")
     << "\ninput_files:\n" << read_string_attr(file.get(), "input_files");
  if (H5Lexists(file.get(), "layers", H5P_DEFAULT) <= 0) return os.str();
  Hid layers(H5Gopen2(file.get(), "layers", H5P_DEFAULT), H5Gclose);
  std::vector<std::pair<int32_t, std::string>> ordered;  // by layer_index (file order)
  for (const std::string& name : children(layers.get())) {
    Hid g(H5Gopen2(layers.get(), name.c_str(), H5P_DEFAULT), H5Gclose);
    ordered.emplace_back(read_scalar_attr<int32_t>(g.get(), "layer_index", H5T_NATIVE_INT32, -1),
                         name);
  }
  std::sort(ordered.begin(), ordered.end());
  for (const auto& [index, name] : ordered) {
    Hid g(H5Gopen2(layers.get(), name.c_str(), H5P_DEFAULT), H5Gclose);
    os << "layer " << name << " (layer_index "
       << read_scalar_attr<int32_t>(g.get(), "layer_index", H5T_NATIVE_INT32, -1) << ")\n";
    for (const std::string& ds : children(g.get())) {
      Hid d(H5Dopen2(g.get(), ds.c_str(), H5P_DEFAULT), H5Dclose);
      Hid space(H5Dget_space(d.get()), H5Sclose);
      hsize_t rows = 0;
      H5Sget_simple_extent_dims(space.get(), &rows, nullptr);
      os << "  " << ds << ": " << rows << " records, " << H5Dget_storage_size(d.get())
         << " bytes stored\n";
    }
  }
  return os.str();
}

}  // namespace baton
