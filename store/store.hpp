#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"

namespace store {

// A unit of work for the writer: runs inside a transaction (its own savepoint), returns an error
// to roll back just its own changes.
using WriteJob = std::function<core::Result<void>(Database&)>;
using ReadJob = std::function<core::Result<void>(Database&)>;

struct StoreOptions {
  int max_batch = 1024;     // the most jobs one commit covers
  int readers = 4;          // read-only connections for parallel readers
  bool migrate = true;      // apply migrations on open
};

// The database: one writer thread that commits jobs in batches (group commit) and a pool of
// read-only connections. Thread-safe.
//
// Durability: Write() returns only after the COMMIT that contains the job has returned from SQLite
// with synchronous=FULL in WAL mode, i.e. after fsync: acknowledging afterwards loses nothing on a
// crash or power loss.
class Store {
 public:
  // Opens or creates the database file at `path` (its folder is created), applies migrations when
  // options.migrate, and starts the writer. Fails with kConflict for a database from a newer
  // Loket, kUnavailable when the file cannot be opened or written.
  static core::Result<std::unique_ptr<Store>> Open(const std::string& path, StoreOptions options = {});
  ~Store();

  // Queues `job`, waits for the commit of its batch and returns its outcome (or the commit's
  // error, e.g. kUnavailable on a full disk). After Stop(): kUnavailable.
  core::Result<void> Write(WriteJob job);

  // Runs `job` on a read-only connection, in parallel with other readers and the writer.
  core::Result<void> Read(const ReadJob& job);

  // Lets queued jobs finish, then stops the writer. Idempotent.
  void Stop();

  // Called on the writer thread with the size of each committed batch (for metrics).
  void SetBatchObserver(std::function<void(size_t)> observer);

  int schema_version() const { return schema_version_; }
  size_t queue_depth() const;
  const std::string& path() const { return path_; }

  // Checks that the database accepts a write (used by /readyz).
  core::Result<void> CheckWritable();

 private:
  struct Pending;
  Store(std::string path, StoreOptions options, Database writer_db);
  void WriterLoop();
  void CommitBatch(std::vector<std::shared_ptr<Pending>>& batch);

  std::string path_;
  StoreOptions options_;
  Database writer_db_;
  int schema_version_ = 0;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Pending>> queue_;
  bool stopping_ = false;
  std::thread writer_;
  std::function<void(size_t)> batch_observer_;

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Database>> idle_readers_;
  int open_readers_ = 0;
};

}  // namespace store
