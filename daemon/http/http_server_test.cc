// The HTTP listener's streamed responses on a real loopback socket: chunked
// to HTTP/1.1 clients, gathered into one body for HTTP/1.0 ones.

#include "http/http_server.h"

#include <gtest/gtest.h>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <string>

namespace atmwatch::http {
namespace {

// What a client gets for `request`: the raw response, up to the close.
std::string Exchange(int port, const std::string& request) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  asio::write(socket, asio::buffer(request));
  std::string response;
  std::error_code error;
  asio::read(socket, asio::dynamic_buffer(response), error);  // until the server closes
  return response;
}

// The body of a chunked response: each chunk is its size in hex, CRLF, the
// bytes, CRLF; a chunk of size 0 ends it.
std::string Dechunk(std::string_view encoded) {
  std::string body;
  for (;;) {
    const auto line_end = encoded.find("\r\n");
    if (line_end == std::string_view::npos) return "(no chunk size)";
    const std::size_t size = std::stoul(std::string(encoded.substr(0, line_end)), nullptr, 16);
    if (size == 0) return body;
    body.append(encoded.substr(line_end + 2, size));
    encoded.remove_prefix(line_end + 2 + size + 2);
  }
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Pieces of 1,000 lines, 50 of them: more than one write's worth.
    for (int line = 0; line < 50000; ++line) expected_ += "line " + std::to_string(line) + "\n";
    server_.Handle("/streamed", [this](const Request&) {
      Response response(200, "text/plain; charset=utf-8", {});
      response.stream = [this](const BodyWriter& write) {
        for (std::size_t at = 0; at < expected_.size(); at += 9000) {
          write(std::string_view(expected_).substr(at, 9000));
        }
      };
      return response;
    });
    ASSERT_TRUE(server_.Start("127.0.0.1:0").ok());
  }
  void TearDown() override { server_.Stop(); }

  std::string expected_;
  HttpServer server_{HttpServer::Options{}};
};

TEST_F(HttpServerTest, StreamedBodyIsChunkedToHttp11Clients) {
  const std::string response = Exchange(
      server_.port(), "GET /streamed HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  const auto head_end = response.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << response.substr(0, 200);
  const std::string head = response.substr(0, head_end);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK")) << head;
  EXPECT_NE(head.find("Transfer-Encoding: chunked"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  EXPECT_EQ(Dechunk(std::string_view(response).substr(head_end + 4)), expected_);
}

TEST_F(HttpServerTest, StreamedBodyIsGatheredForHttp10Clients) {
  const std::string response = Exchange(server_.port(), "GET /streamed HTTP/1.0\r\n\r\n");
  const auto head_end = response.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << response.substr(0, 200);
  const std::string head = response.substr(0, head_end);
  EXPECT_NE(head.find("Content-Length: " + std::to_string(expected_.size())), std::string::npos)
      << head;
  EXPECT_EQ(head.find("chunked"), std::string::npos) << head;
  EXPECT_EQ(response.substr(head_end + 4), expected_);
}

}  // namespace
}  // namespace atmwatch::http
