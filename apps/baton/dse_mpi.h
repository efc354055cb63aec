// apps/baton — `mpirun -np N baton dse ...`: each rank explores a deterministic shard of the
// space (contiguous point ranges, PEs outermost, so each rank caches only its PE counts); rank 0
// gathers the valid designs and counts and writes the outputs (docs/DSE.md "MPI").
#pragma once

#include "baton/dse/dse.h"

namespace baton::cli {

class MpiSession {
 public:
  // Initialises MPI only when the process was started by an MPI launcher (OMPI_COMM_WORLD_SIZE
  // or PMI_SIZE set) and baton was built with MPI; otherwise rank 0 of 1.
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Runs this rank's shard and merges every rank's results at rank 0 (in rank order, which is
  // point order). Other ranks get their own partial result.
  dse::DseResult run(dse::Explorer& ex);

 private:
  bool active_ = false;
  int rank_ = 0, size_ = 1;
};

}  // namespace baton::cli
