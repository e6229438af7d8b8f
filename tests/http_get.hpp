// Loopback HTTP for tests without extra dependencies: a bounded GET client,
// a free-port finder and percent-encoding for query strings.
#pragma once

#include <arpa/inet.h>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace calldrill::testing {

struct http_response {
  int status = 0; ///< 0 when no answer came
  std::string body;
};

/// A port on 127.0.0.1 that was free a moment ago (the kernel's choice).
inline std::uint16_t free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

/// Holds a port on 127.0.0.1 busy (listening) until it goes out of scope.
struct busy_port {
  int fd = -1;
  std::uint16_t port = 0;

  busy_port() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0
        || listen(fd, 1) != 0)
      return;
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~busy_port() { close(fd); }
  busy_port(const busy_port&) = delete;
  busy_port& operator=(const busy_port&) = delete;
};

inline std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// METHOD http://127.0.0.1:port<path> with HTTP/1.0, extra header lines
/// (each ending in \r\n) and a body; gives up after `timeout`.
inline http_response http_request(std::uint16_t port, const std::string& method,
                                  const std::string& path,
                                  const std::string& headers,
                                  const std::string& body,
                                  std::chrono::milliseconds timeout =
                                    std::chrono::seconds{10}) {
  http_response r;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return r;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return r;
  }
  std::string req = method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                    + headers + "Content-Length: " + std::to_string(body.size())
                    + "\r\n\r\n" + body;
  if (send(fd, req.data(), req.size(), MSG_NOSIGNAL)
      != static_cast<ssize_t>(req.size())) {
    close(fd);
    return r;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string raw;
  char buf[8192];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - std::chrono::steady_clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0)
      break;
    auto n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    raw.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  auto sp = raw.find(' ');
  auto head_end = raw.find("\r\n\r\n");
  if (sp == std::string::npos || head_end == std::string::npos)
    return r;
  r.status = std::atoi(raw.c_str() + sp + 1);
  r.body = raw.substr(head_end + 4);
  return r;
}

/// GET http://127.0.0.1:port<path> with HTTP/1.0; gives up after `timeout`.
inline http_response http_get(std::uint16_t port, const std::string& path,
                              std::chrono::milliseconds timeout =
                                std::chrono::seconds{10}) {
  return http_request(port, "GET", path, "", "", timeout);
}

} // namespace calldrill::testing
