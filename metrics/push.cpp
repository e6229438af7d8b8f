// Pushing the final values of a run to a Pushgateway (prometheus-cpp push).
// A push that fails or hangs is a warning for the caller, never a crash.
#include "metrics/exporter.hpp"
#include "metrics/families.hpp"

#include <prometheus/gateway.h>

#include <future>
#include <thread>

namespace calldrill {

std::string parse_push_url(const std::string& url, std::string& host,
                           std::string& port) {
  std::string scheme;
  for (const char* s : {"http://", "https://"})
    if (url.rfind(s, 0) == 0)
      scheme = s;
  if (scheme.empty())
    return "expected http://HOST[:PORT], got '" + url + "'";
  auto rest = url.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/')
    rest.pop_back();
  if (rest.find('/') != std::string::npos)
    return "a path is not supported, got '" + url + "'";
  auto colon = rest.rfind(':');
  bool has_port = colon != std::string::npos && rest.find(']', colon) == std::string::npos;
  auto name = has_port ? rest.substr(0, colon) : rest;
  port = has_port ? rest.substr(colon + 1) : (scheme == "https://" ? "443" : "80");
  if (name.empty())
    return "no host in '" + url + "'";
  if (port.empty() || port.size() > 5
      || port.find_first_not_of("0123456789") != std::string::npos
      || std::stoul(port) == 0 || std::stoul(port) > 65535)
    return "bad port in '" + url + "'";
  host = scheme + name;
  return {};
}

namespace metrics_detail {

namespace {

std::string curl_failure(int code) {
  switch (-code) {
    case 6:
      return "could not resolve the host";
    case 7:
      return "could not connect";
    case 28:
      return "timed out";
    default:
      return "transfer error " + std::to_string(-code);
  }
}

} // namespace

std::string push_registry(const std::shared_ptr<prometheus::Registry>& r,
                          const std::string& url, std::chrono::seconds timeout) {
  std::string host;
  std::string port;
  if (auto err = parse_push_url(url, host, port); !err.empty())
    return "push to " + url + ": " + err;
  std::shared_ptr<prometheus::Gateway> gw;
  try {
    gw = std::make_shared<prometheus::Gateway>(host, port, "calldrill");
  } catch (const std::exception& e) {
    return "push to " + url + ": " + e.what();
  }
  gw->RegisterCollectable(r);
  auto done = std::make_shared<std::promise<int>>();
  auto code = done->get_future();
  std::thread([gw, done] {
    try {
      done->set_value(gw->Push());
    } catch (...) {
      done->set_value(-1);
    }
  }).detach();
  if (code.wait_for(timeout) != std::future_status::ready)
    return "push to " + url + " did not finish within "
           + std::to_string(timeout.count()) + " s; giving up";
  auto c = code.get();
  if (c >= 200 && c < 300)
    return {};
  if (c < 0)
    return "push to " + url + " failed: " + curl_failure(c);
  return "push to " + url + " failed: HTTP status " + std::to_string(c);
}

} // namespace metrics_detail

} // namespace calldrill
