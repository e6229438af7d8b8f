// Pushing the final values of a run to a Pushgateway over HTTP(S) with
// libcurl: the group named by the grouping key (job and run by default) is
// replaced (PUT), or deleted at the start when asked. A push that fails or
// hangs is a warning for the caller, never a crash.
#include "metrics/exporter.hpp"
#include "metrics/families.hpp"

#include <curl/curl.h>

#include <prometheus/text_serializer.h>

#include <mutex>

namespace calldrill {

namespace {

bool is_plain(const std::string& v) {
  if (v.empty())
    return false;
  for (unsigned char c : v)
    if (!(std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == '~'))
      return false;
  return true;
}

/// Base64url without padding, as the Pushgateway reads `label@base64/value`.
std::string base64url(const std::string& in) {
  static const char* abc =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    auto n = (unsigned(static_cast<unsigned char>(in[i])) << 16)
             | (unsigned(static_cast<unsigned char>(in[i + 1])) << 8)
             | unsigned(static_cast<unsigned char>(in[i + 2]));
    for (int s = 18; s >= 0; s -= 6)
      out += abc[(n >> s) & 63];
  }
  auto rest = in.size() - i;
  if (rest > 0) {
    unsigned n = unsigned(static_cast<unsigned char>(in[i])) << 16;
    if (rest == 2)
      n |= unsigned(static_cast<unsigned char>(in[i + 1])) << 8;
    out += abc[(n >> 18) & 63];
    out += abc[(n >> 12) & 63];
    if (rest == 2)
      out += abc[(n >> 6) & 63];
  }
  return out;
}

std::string curl_failure(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return "could not resolve the host";
    case CURLE_COULDNT_CONNECT:
      return "could not connect";
    case CURLE_OPERATION_TIMEDOUT:
      return "timed out";
    default:
      return curl_easy_strerror(code);
  }
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) {
  return size * n;
}

/// One request to the group's URL; "" or a warning.
std::string request(const push_target& t, const char* method,
                    const std::string& body, std::chrono::seconds timeout) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  auto url = group_url(t);
  auto what = std::string{method == std::string{"DELETE"} ? "delete of "
                                                          : "push to "}
              + url;
  CURL* c = curl_easy_init();
  if (c == nullptr)
    return what + " failed: cannot start an HTTP client";
  curl_slist* headers = curl_slist_append(
    nullptr, "Content-Type: text/plain; version=0.0.4; charset=utf-8");
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(timeout.count() * 1000));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  if (!body.empty()) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(body.size()));
  }
  if (!t.user.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, t.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, t.password.c_str());
  }
  auto code = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(c);
  if (code != CURLE_OK)
    return what + " failed: " + curl_failure(code);
  if (status < 200 || status >= 300)
    return what + " failed: HTTP status " + std::to_string(status)
           + (status == 401 ? " (check the credentials)" : "");
  return {};
}

} // namespace

std::string parse_push_url(const std::string& url, std::string& base) {
  std::string scheme;
  for (const char* s : {"http://", "https://"})
    if (url.rfind(s, 0) == 0)
      scheme = s;
  if (scheme.empty())
    return "expected http://HOST[:PORT][/PATH], got '" + url + "'";
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  auto path = slash == std::string::npos ? std::string{} : rest.substr(slash);
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  if (authority.find('@') != std::string::npos)
    return "credentials do not belong on the command line: put USER:PASSWORD "
           "in --push-auth-file or in the environment variable "
           "CALLDRILL_PUSH_AUTH";
  if (url.find_first_of("?# \t\r\n") != std::string::npos)
    return "a query, fragment or space is not allowed, got '" + url + "'";
  auto colon = authority.rfind(':');
  bool has_port =
    colon != std::string::npos && authority.find(']', colon) == std::string::npos;
  auto host = has_port ? authority.substr(0, colon) : authority;
  if (host.empty())
    return "no host in '" + url + "'";
  if (has_port) {
    auto port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5
        || port.find_first_not_of("0123456789") != std::string::npos
        || std::stoul(port) == 0 || std::stoul(port) > 65535)
      return "bad port in '" + url + "'";
  }
  base = scheme + authority + path;
  return {};
}

std::string group_url(const push_target& t) {
  std::string base;
  if (!parse_push_url(t.url, base).empty())
    base = t.url;
  std::string out = base + "/metrics";
  for (const auto& [k, v] : t.grouping)
    out += "/" + k + (is_plain(v) ? "/" + v : "@base64/" + (v.empty() ? "=" : base64url(v)));
  return out;
}

std::string exporter::push(const push_target& t, std::chrono::seconds timeout) {
  auto body = exposition();
  return request(t, "PUT", body, timeout);
}

std::string delete_push_group(const push_target& t,
                              std::chrono::seconds timeout) {
  return request(t, "DELETE", {}, timeout);
}

} // namespace calldrill
