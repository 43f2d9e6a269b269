#include "store/store.hpp"

#include <filesystem>
#include <future>

#include "store/migrations.hpp"

namespace store {

using core::ErrorCode;
using core::MakeError;

struct Store::Pending {
  WriteJob job;
  std::promise<core::Result<void>> done;
};

core::Result<std::unique_ptr<Store>> Store::Open(const std::string& path, StoreOptions options) {
  if (path != ":memory:") {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) return MakeError(ErrorCode::kUnavailable, "cannot create folder " + parent.string() + ": " + ec.message());
  } else {
    options.readers = 0;  // an in-memory database cannot be shared between connections
  }
  auto db = Database::Open(path);
  if (!db.ok()) return db.error();
  int version = 0;
  if (options.migrate) {
    auto migrated = Migrate(*db);
    if (!migrated.ok()) return migrated.error();
    version = *migrated;
  } else {
    auto current = SchemaVersion(*db);
    if (!current.ok()) return current.error();
    if (*current > LatestSchemaVersion()) {
      return MakeError(ErrorCode::kConflict, "database schema version " + std::to_string(*current) +
                                                 " is newer than this Loket supports");
    }
    if (*current < LatestSchemaVersion()) {
      return MakeError(ErrorCode::kConflict, "database needs migrations: run `loket migrate`");
    }
    version = *current;
  }
  std::unique_ptr<Store> store(new Store(path, options, std::move(*db)));
  store->schema_version_ = version;
  return store;
}

Store::Store(std::string path, StoreOptions options, Database writer_db)
    : path_(std::move(path)), options_(options), writer_db_(std::move(writer_db)) {
  writer_ = std::thread([this] { WriterLoop(); });
}

Store::~Store() { Stop(); }

void Store::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void Store::SetBatchObserver(std::function<void(size_t)> observer) {
  std::lock_guard<std::mutex> lock(mu_);
  batch_observer_ = std::move(observer);
}

size_t Store::queue_depth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

core::Result<void> Store::Write(WriteJob job) {
  auto pending = std::make_shared<Pending>();
  pending->job = std::move(job);
  auto future = pending->done.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return MakeError(ErrorCode::kUnavailable, "the database is shutting down");
    queue_.push_back(pending);
  }
  cv_.notify_one();
  return future.get();
}

void Store::WriterLoop() {
  std::vector<std::shared_ptr<Pending>> batch;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      // Everything that queued while the previous batch was being committed goes into this one:
      // under load one fsync covers many writes.
      while (!queue_.empty() && batch.size() < static_cast<size_t>(options_.max_batch)) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitBatch(batch);
    batch.clear();
  }
}

void Store::CommitBatch(std::vector<std::shared_ptr<Pending>>& batch) {
  std::vector<core::Result<void>> results;
  results.reserve(batch.size());
  auto begin = writer_db_.Exec("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    for (auto& p : batch) p->done.set_value(begin.error());
    return;
  }
  for (auto& p : batch) {
    auto sp = writer_db_.Exec("SAVEPOINT job");
    if (!sp.ok()) {
      results.push_back(sp.error());
      continue;
    }
    core::Result<void> r = MakeError(ErrorCode::kInternal, "write job threw");
    try {
      r = p->job(writer_db_);
    } catch (const std::exception& e) {
      r = MakeError(ErrorCode::kInternal, std::string("write job threw: ") + e.what());
    }
    if (!r.ok() && !writer_db_.InTransaction()) {
      // SQLite rolled back the whole transaction (full disk, I/O error): none of this batch is
      // committed, so every caller in it hears so.
      core::Error error = r.error().code == ErrorCode::kUnavailable
                              ? r.error()
                              : MakeError(ErrorCode::kUnavailable, "database write failed: " + r.error().message);
      for (auto& q : batch) q->done.set_value(error);
      return;
    }
    if (!r.ok()) (void)writer_db_.Exec("ROLLBACK TO job");
    (void)writer_db_.Exec("RELEASE job");
    results.push_back(std::move(r));
  }
  auto commit = writer_db_.Exec("COMMIT");
  if (!commit.ok()) {
    (void)writer_db_.Exec("ROLLBACK");
    for (auto& p : batch) p->done.set_value(commit.error());
    return;
  }
  std::function<void(size_t)> observer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    observer = batch_observer_;
  }
  if (observer) observer(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) batch[i]->done.set_value(std::move(results[i]));
}

core::Result<void> Store::Read(const ReadJob& job) {
  if (options_.readers <= 0) {
    // In-memory databases have one connection: reads go through the writer queue.
    return Write(job);
  }
  std::unique_ptr<Database> db;
  {
    std::unique_lock<std::mutex> lock(readers_mu_);
    readers_cv_.wait(lock, [this] { return !idle_readers_.empty() || open_readers_ < options_.readers; });
    if (!idle_readers_.empty()) {
      db = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    } else {
      ++open_readers_;
    }
  }
  if (!db) {
    auto opened = Database::Open(path_, Database::Mode::kReadOnly);
    if (!opened.ok()) {
      std::lock_guard<std::mutex> lock(readers_mu_);
      --open_readers_;
      readers_cv_.notify_one();
      return opened.error();
    }
    db = std::make_unique<Database>(std::move(*opened));
  }
  core::Result<void> r;
  auto begin = db->Exec("BEGIN");
  if (!begin.ok()) {
    r = begin.error();
  } else {
    try {
      r = job(*db);
    } catch (const std::exception& e) {
      r = MakeError(ErrorCode::kInternal, std::string("read job threw: ") + e.what());
    }
    (void)db->Exec("COMMIT");
  }
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    idle_readers_.push_back(std::move(db));
  }
  readers_cv_.notify_one();
  return r;
}

core::Result<void> Store::CheckWritable() {
  return Write([](Database& db) {
    return db.Exec("INSERT INTO meta(key, value) VALUES ('ready_check', strftime('%s','now')) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  });
}

}  // namespace store
