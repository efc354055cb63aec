// `baton dse` under MPI: deterministic shards, gather at rank 0 (docs/DSE.md "MPI").
#include "dse_mpi.h"

#include <cstdlib>
#include <cstring>

#if BATON_HAVE_MPI
#include <mpi.h>
#endif

namespace baton::cli {
namespace {

const std::vector<std::string>& kReasons = dse::invalid_reasons();
const int kNumReasons = static_cast<int>(dse::invalid_reasons().size());

}  // namespace

MpiSession::MpiSession() {
#if BATON_HAVE_MPI
  if (!std::getenv("OMPI_COMM_WORLD_SIZE") && !std::getenv("PMI_SIZE")) return;
  MPI_Init(nullptr, nullptr);
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
#endif
}

MpiSession::~MpiSession() {
#if BATON_HAVE_MPI
  if (active_) MPI_Finalize();
#endif
}

dse::DseResult MpiSession::run(dse::Explorer& ex) {
  const uint64_t n = ex.space().size();
  const uint64_t begin = n * uint64_t(rank_) / uint64_t(size_);
  const uint64_t end = n * uint64_t(rank_ + 1) / uint64_t(size_);
  dse::DseResult r = ex.run(begin, end);
#if BATON_HAVE_MPI
  if (!active_ || size_ == 1) return r;
  // Counts: points, evaluated, valid, pruned, then one per reason; seconds: max over ranks.
  std::vector<uint64_t> counts = {r.points, r.evaluated, r.valid, r.pruned};
  counts.resize(4 + size_t(kNumReasons), 0);
  for (int i = 0; i < kNumReasons; ++i) {
    const auto it = r.invalid.find(kReasons[size_t(i)]);
    counts[4 + size_t(i)] = it == r.invalid.end() ? 0 : it->second;
  }
  std::vector<uint64_t> sums(counts.size(), 0);
  MPI_Reduce(counts.data(), sums.data(), 4 + kNumReasons, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  double secs[2] = {r.cache_seconds, r.eval_seconds}, max_secs[2] = {};
  MPI_Reduce(secs, max_secs, 2, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  // Designs as raw bytes (same binary on every rank), gathered in rank order.
  const int bytes = int(r.designs.size() * sizeof(dse::Design));
  std::vector<int> sizes(static_cast<size_t>(size_)), offsets(static_cast<size_t>(size_));
  MPI_Gather(&bytes, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<dse::Design> all;
  if (rank_ == 0) {
    int total = 0;
    for (int i = 0; i < size_; ++i) offsets[size_t(i)] = total, total += sizes[size_t(i)];
    all.resize(size_t(total) / sizeof(dse::Design));
  }
  MPI_Gatherv(r.designs.data(), bytes, MPI_BYTE, all.data(), sizes.data(), offsets.data(),
              MPI_BYTE, 0, MPI_COMM_WORLD);
  if (rank_ != 0) return r;
  dse::DseResult m;
  m.points = sums[0], m.evaluated = sums[1], m.valid = sums[2], m.pruned = sums[3];
  for (int i = 0; i < kNumReasons; ++i)
    if (sums[4 + size_t(i)]) m.invalid[kReasons[size_t(i)]] = sums[4 + size_t(i)];
  m.designs = std::move(all);
  m.cache_seconds = max_secs[0], m.eval_seconds = max_secs[1];
  m.cache_entries = r.cache_entries, m.runtime_evaluations = r.runtime_evaluations;
  return m;
#else
  return r;
#endif
}

}  // namespace baton::cli
