#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>
#include <vector>

namespace core {

void ParallelFor(size_t n, const std::function<void(size_t)>& job) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) job(i);
  };
  size_t threads = std::min<size_t>(n, std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::future<void>> workers;
  for (size_t t = 1; t < threads; ++t) workers.push_back(std::async(std::launch::async, work));
  work();
  for (auto& w : workers) w.get();
}

}  // namespace core
