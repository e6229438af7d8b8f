// Pushing final values: the Pushgateway's group job/run is replaced (PUT),
// a path prefix is kept, basic auth is sent, the group can be deleted at the
// start; an unreachable or bad gateway is a warning, never a throw.
#include "exposition.hpp"
#include "http_get.hpp"
#include "metrics/exporter.hpp"
#include "small_drill.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace calldrill {
namespace {

/// Accepts one HTTP request on loopback, answers `status`, and gives back
/// the request (headers and body). Bounded by a 10 s deadline.
class one_shot_server {
public:
  explicit one_shot_server(int status) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 1);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    request_ = std::async(std::launch::async, [this, status] { return serve(status); });
  }
  ~one_shot_server() { close(fd_); }
  std::uint16_t port() const { return port_; }
  std::string request() {
    if (request_.wait_for(std::chrono::seconds{15}) != std::future_status::ready)
      return "(no request)";
    return request_.get();
  }

private:
  std::string serve(int status) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0)
      return "(no connection)";
    int c = accept(fd_, nullptr, nullptr);
    std::string raw;
    char buf[8192];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd q{c, POLLIN, 0};
      if (poll(&q, 1, 1000) <= 0)
        continue;
      auto n = recv(c, buf, sizeof buf, 0);
      if (n <= 0)
        break;
      raw.append(buf, static_cast<std::size_t>(n));
      auto head = raw.find("\r\n\r\n");
      auto cl = raw.find("Content-Length: ");
      if (head != std::string::npos
          && (cl == std::string::npos || cl > head // no body (DELETE)
              || raw.size() >= head + 4 + std::stoul(raw.substr(cl + 16))))
        break;
    }
    auto reply = "HTTP/1.1 " + std::to_string(status)
                 + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
    close(c);
    return raw;
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::future<std::string> request_;
};

struct fixture {
  scenario scn = testing::small_drill();
  std::shared_ptr<const topology> topo = build_topology(scn).topo;
  exporter exp{*topo, scn, {}};
};

push_target target_at(std::uint16_t port, const std::string& path = "") {
  push_target t;
  t.url = "http://127.0.0.1:" + std::to_string(port) + path;
  t.grouping = {{"job", "calldrill"}, {"run", "r1"}};
  return t;
}

TEST(Push, ReplacesTheGroupOfJobAndRun) {
  fixture f;
  live_view v;
  v.final = true;
  v.now = std::chrono::minutes{16};
  f.exp.publish(v);
  one_shot_server server{200};
  auto warning = f.exp.push(target_at(server.port()), std::chrono::seconds{10});
  EXPECT_EQ(warning, "");
  auto req = server.request();
  EXPECT_EQ(req.rfind("PUT /metrics/job/calldrill/run/r1 ", 0), 0u) << req;
  EXPECT_NE(req.find("calldrill_run_complete{"), std::string::npos) << req;
  EXPECT_EQ(req.find("Authorization:"), std::string::npos) << req;
}

TEST(Push, KeepsAPathPrefixAndSendsBasicAuth) {
  fixture f;
  one_shot_server server{200};
  auto t = target_at(server.port(), "/gateway/prefix");
  t.user = "drill";
  t.password = "s3cret";
  EXPECT_EQ(f.exp.push(t, std::chrono::seconds{10}), "");
  auto req = server.request();
  EXPECT_EQ(req.rfind("PUT /gateway/prefix/metrics/job/calldrill/run/r1 ", 0), 0u)
    << req;
  // base64("drill:s3cret")
  EXPECT_NE(req.find("Authorization: Basic ZHJpbGw6czNjcmV0\r\n"),
            std::string::npos) << req;
}

TEST(Push, ValuesThatAreNotPlainWordsAreBase64Encoded) {
  push_target t;
  t.url = "http://gw:9091";
  t.grouping = {{"job", "calldrill"}, {"env", "a/b"}, {"empty", ""}};
  EXPECT_EQ(group_url(t),
            "http://gw:9091/metrics/job/calldrill/env@base64/YS9i/empty@base64/=");
}

TEST(Push, DeleteOnStartDeletesTheGroup) {
  one_shot_server server{202};
  EXPECT_EQ(delete_push_group(target_at(server.port()), std::chrono::seconds{10}),
            "");
  EXPECT_EQ(server.request().rfind("DELETE /metrics/job/calldrill/run/r1 ", 0), 0u);
}

TEST(Push, UnreachableGatewayIsAWarning) {
  fixture f;
  auto t = target_at(testing::free_port());
  auto warning = f.exp.push(t, std::chrono::seconds{10});
  EXPECT_NE(warning.find("failed: could not connect"), std::string::npos)
    << warning;
}

TEST(Push, RejectingGatewayIsAWarningWithItsStatus) {
  fixture f;
  one_shot_server server{401};
  auto warning = f.exp.push(target_at(server.port()), std::chrono::seconds{10});
  EXPECT_NE(warning.find("HTTP status 401 (check the credentials)"),
            std::string::npos) << warning;
  server.request();
}

TEST(Push, UrlsAreCheckedBeforeTheRun) {
  std::string base;
  EXPECT_EQ(parse_push_url("http://127.0.0.1:9091", base), "");
  EXPECT_EQ(base, "http://127.0.0.1:9091");
  EXPECT_EQ(parse_push_url("https://gw.example/", base), "");
  EXPECT_EQ(base, "https://gw.example");
  EXPECT_EQ(parse_push_url("http://h:9091/prefix/", base), "");
  EXPECT_EQ(base, "http://h:9091/prefix");
  EXPECT_NE(parse_push_url("127.0.0.1:9091", base), "");
  EXPECT_NE(parse_push_url("http://h:0", base), "");
  EXPECT_NE(parse_push_url("http://h:99999", base), "");
  EXPECT_NE(parse_push_url("http://:9091", base), "");
  EXPECT_NE(parse_push_url("http://h:9091/p?x=1", base), "");
  auto creds = parse_push_url("http://user:pw@h:9091", base);
  EXPECT_NE(creds.find("do not belong on the command line"), std::string::npos) << creds;
}

} // namespace
} // namespace calldrill
