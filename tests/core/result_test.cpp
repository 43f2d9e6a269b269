#include <catch2/catch.hpp>

#include "core/result.hpp"

TEST_CASE("a Result holds either a value or an error", "[core][result]") {
  core::Result<int> good = 42;
  REQUIRE(good.ok());
  CHECK(*good == 42);

  core::Result<int> bad = core::MakeError(core::ErrorCode::kNotFound, "gone");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == core::ErrorCode::kNotFound);
  CHECK(bad.error().message == "gone");

  core::Result<void> done;
  CHECK(done.ok());
  core::Result<void> failed = core::MakeError(core::ErrorCode::kUnavailable, "disk full");
  CHECK_FALSE(failed.ok());
  CHECK(std::string(core::ErrorCodeName(failed.error().code)) == "unavailable");
}
