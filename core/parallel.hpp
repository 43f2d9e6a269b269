#pragma once

#include <cstddef>
#include <functional>

namespace core {

// Runs job(0) … job(n - 1) on every core (the calling thread included) and returns when all are
// done. Jobs are taken in order from a shared counter, so uneven jobs still balance. An exception
// from a job is rethrown here.
void ParallelFor(size_t n, const std::function<void(size_t)>& job);

}  // namespace core
