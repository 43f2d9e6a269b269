#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "core/parallel.hpp"

TEST_CASE("every job runs exactly once", "[core][parallel]") {
  std::vector<std::atomic<int>> runs(100);
  core::ParallelFor(runs.size(), [&](size_t i) { runs[i]++; });
  for (const auto& r : runs) CHECK(r.load() == 1);
  core::ParallelFor(0, [&](size_t) { FAIL("no job expected"); });
}

TEST_CASE("a job's exception reaches the caller", "[core][parallel]") {
  CHECK_THROWS_AS(core::ParallelFor(8, [](size_t i) { if (i == 5) throw std::runtime_error("job 5"); }),
                  std::runtime_error);
}
