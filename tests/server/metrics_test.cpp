#include <catch2/catch.hpp>

#include "server/metrics.hpp"

TEST_CASE("metrics render counters, histograms and gauges in Prometheus text format", "[server][metrics]") {
  server::Metrics m;
  m.DescribeCounter("loket_http_requests_total", "HTTP requests.");
  m.Count("loket_http_requests_total", "route=\"/a\",status=\"200\"");
  m.Count("loket_http_requests_total", "route=\"/a\",status=\"200\"", 2);
  m.DescribeHistogram("lat_seconds", "Latency.", {0.1, 1});
  m.Observe("lat_seconds", "route=\"/a\"", 0.05);
  m.Observe("lat_seconds", "route=\"/a\"", 0.5);
  m.Observe("lat_seconds", "route=\"/a\"", 5);
  m.Gauge("queue", "Queue size.", [] { return 7.0; });
  std::string text = m.Render();
  CHECK_THAT(text, Catch::Contains("# TYPE loket_http_requests_total counter"));
  CHECK_THAT(text, Catch::Contains("loket_http_requests_total{route=\"/a\",status=\"200\"} 3"));
  CHECK_THAT(text, Catch::Contains("lat_seconds_bucket{route=\"/a\",le=\"0.1\"} 1"));
  CHECK_THAT(text, Catch::Contains("lat_seconds_bucket{route=\"/a\",le=\"1\"} 2"));
  CHECK_THAT(text, Catch::Contains("lat_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3"));
  CHECK_THAT(text, Catch::Contains("lat_seconds_count{route=\"/a\"} 3"));
  CHECK_THAT(text, Catch::Contains("queue 7"));
  CHECK(server::LabelValue("a\"b\\c") == "a\\\"b\\\\c");
}
