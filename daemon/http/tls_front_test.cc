// The HTTPS front on real loopback sockets: a TLS client on one side, a plain
// TCP "HTTP server" the test plays on the other, self-signed certificates
// the openssl CLI makes per run. Every socket operation is asynchronous and
// run on the test's io_context with a deadline, so a broken front fails a
// test instead of hanging it.

#include "http/tls_front.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <stdlib.h>

#include <asio/connect.hpp>
#include <asio/read.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/write.hpp>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <sstream>

#include "metrics/exposition.h"
#include "metrics/http_tls_metrics.h"
#include "testing/eventually.h"
#include "testing/temp_dir.h"
#include "tls/tls_context.h"

namespace atmwatch::http {
namespace {

using asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;

constexpr auto kDeadline = std::chrono::seconds(5);

// Self-signed certificates for 127.0.0.1 in a temporary directory.
class Certificates {
 public:
  // NAME.crt and NAME.key; false when openssl failed.
  bool Make(const std::string& name) const {
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
        Path(name + ".key") + " -out " + Path(name + ".crt") +
        " -subj /CN=localhost -days 2 -addext subjectAltName=IP:127.0.0.1 2>/dev/null";
    return std::system(command.c_str()) == 0;
  }
  std::string Path(const std::string& file) const { return dir_.Join(file); }

 private:
  atmwatch::testing::TempDir dir_{"tls-front"};
};

class TlsFrontTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certificates_ = new Certificates();
    made_ = certificates_->Make("first") && certificates_->Make("second");
  }
  static void TearDownTestSuite() {
    delete certificates_;
    certificates_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(made_) << "openssl could not make the test certificates";
    backend_.open(tcp::v4());
    backend_.bind(tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    backend_.listen();
  }

  void TearDown() override {
    if (front_) front_->Stop();
  }

  static std::shared_ptr<asio::ssl::context> ServerContext(const std::string& name) {
    std::shared_ptr<asio::ssl::context> context;
    const Status status = tls::MakeServerTlsContext(
        {certificates_->Path(name + ".crt"), certificates_->Path(name + ".key"), ""}, "http.tls",
        &context);
    EXPECT_TRUE(status.ok()) << status.message();
    return context;
  }

  void StartFront(TlsFrontOptions options = {}) {
    front_ = std::make_unique<TlsFront>(metrics_, options);
    front_->SetTlsContext(ServerContext("first"));
    const Status listening = front_->Listen("127.0.0.1:0");
    ASSERT_TRUE(listening.ok()) << listening.message();
    front_->Start(backend_.local_endpoint());
  }

  // Runs the test's io_context until `done` holds or the deadline passes.
  bool RunUntil(const std::function<bool()>& done) {
    io_.restart();
    // Running the io_context is the wait: no pause between the rounds.
    return atmwatch::testing::Eventually(
        [&] {
          if (done()) return true;
          io_.run_one_for(std::chrono::milliseconds(50));
          return done();
        },
        kDeadline, std::chrono::milliseconds(0));
  }

  // A client trusting `trusted`'s certificate, connected and handshaken;
  // `error` says how the handshake went.
  std::unique_ptr<TlsStream> TlsClient(const std::string& trusted, std::error_code* error) {
    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    context->load_verify_file(certificates_->Path(trusted + ".crt"));
    context->set_verify_mode(asio::ssl::verify_peer);
    client_contexts_.push_back(context);
    auto stream = std::make_unique<TlsStream>(io_, *context);
    std::optional<std::error_code> result;
    stream->next_layer().async_connect(front_->local_endpoint(), [&](std::error_code ec) {
      if (ec) {
        result = ec;
        return;
      }
      stream->async_handshake(asio::ssl::stream_base::client,
                              [&](std::error_code handshake) { result = handshake; });
    });
    *error = RunUntil([&] { return result.has_value(); }) ? *result : asio::error::timed_out;
    return stream;
  }

  std::unique_ptr<TlsStream> TlsClient() {
    std::error_code error;
    auto stream = TlsClient("first", &error);
    EXPECT_FALSE(error) << error.message();
    return stream;
  }

  tcp::socket PlainClient() {
    tcp::socket socket(io_);
    std::error_code error;
    socket.connect(front_->local_endpoint(), error);
    EXPECT_FALSE(error) << error.message();
    return socket;
  }

  // The front's connection to the test's HTTP server.
  tcp::socket AcceptBackend() {
    tcp::socket socket(io_);
    std::optional<std::error_code> result;
    backend_.async_accept(socket, [&](std::error_code ec) { result = ec; });
    EXPECT_TRUE(RunUntil([&] { return result.has_value(); }) && !*result)
        << "the front did not connect to the backend";
    return socket;
  }

  template <typename Stream>
  void Write(Stream& stream, const std::string& bytes) {
    std::optional<std::error_code> result;
    asio::async_write(stream, asio::buffer(bytes),
                      [&](std::error_code ec, std::size_t) { result = ec; });
    ASSERT_TRUE(RunUntil([&] { return result.has_value(); }));
    ASSERT_FALSE(*result) << result->message();
  }

  template <typename Stream>
  std::string Read(Stream& stream, std::size_t size) {
    std::string bytes(size, '\0');
    std::optional<std::error_code> result;
    asio::async_read(stream, asio::buffer(bytes),
                     [&](std::error_code ec, std::size_t) { result = ec; });
    EXPECT_TRUE(RunUntil([&] { return result.has_value(); }));
    EXPECT_FALSE(result.value_or(asio::error::timed_out));
    return bytes;
  }

  // True when the other side closed the stream within the deadline.
  template <typename Stream>
  bool Closed(Stream& stream) {
    char byte;
    std::optional<std::error_code> result;
    stream.async_read_some(asio::buffer(&byte, 1),
                           [&](std::error_code ec, std::size_t) { result = ec; });
    return RunUntil([&] { return result.has_value(); }) && *result;
  }

  double Sample(const std::string& series) {
    std::string text;
    metrics::AppendExposition({&registry_}, {}, &text);
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
    }
    return -1;
  }
  double HandshakeFailures(const std::string& reason) {
    return Sample("atmwatch_http_tls_handshake_failures_total{reason=\"" + reason + "\"}");
  }
  double LimitHits(const std::string& limit) {
    return Sample("atmwatch_http_tls_limit_hits_total{limit=\"" + limit + "\"}");
  }

  static inline Certificates* certificates_ = nullptr;
  static inline bool made_ = false;
  asio::io_context io_;
  tcp::acceptor backend_{io_};
  std::vector<std::shared_ptr<asio::ssl::context>> client_contexts_;
  prometheus::Registry registry_;
  metrics::HttpTlsMetrics metrics_{registry_};
  std::unique_ptr<TlsFront> front_;
};

TEST_F(TlsFrontTest, RelaysARequestAndALargeResponse) {
  StartFront();
  auto client = TlsClient();
  tcp::socket server = AcceptBackend();
  const std::string request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  Write(*client, request);
  EXPECT_EQ(Read(server, request.size()), request);

  // Many times the relay's buffers: the response flows as the client reads.
  std::string response(1 << 20, '\0');
  for (std::size_t i = 0; i < response.size(); ++i) response[i] = static_cast<char>(i * 31);
  std::optional<std::error_code> written;
  asio::async_write(server, asio::buffer(response),
                    [&](std::error_code ec, std::size_t) { written = ec; });
  EXPECT_EQ(Read(*client, response.size()), response);
  ASSERT_TRUE(RunUntil([&] { return written.has_value(); }));
  EXPECT_FALSE(*written);
  EXPECT_EQ(Sample("atmwatch_http_tls_connections"), 1);
  EXPECT_EQ(Sample("atmwatch_http_tls_connections_total"), 1);
}

TEST_F(TlsFrontTest, ServerClosingClosesTheClientAfterTheLastByte) {
  StartFront();
  auto client = TlsClient();
  tcp::socket server = AcceptBackend();
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n";
  Write(server, response);
  server.close();
  EXPECT_EQ(Read(*client, response.size()), response);
  EXPECT_TRUE(Closed(*client));
  EXPECT_TRUE(RunUntil([&] { return Sample("atmwatch_http_tls_connections") == 0; }));
}

TEST_F(TlsFrontTest, ClientClosingClosesTheServerSide) {
  StartFront();
  auto client = TlsClient();
  tcp::socket server = AcceptBackend();
  client->next_layer().close();
  EXPECT_TRUE(Closed(server));
}

TEST_F(TlsFrontTest, PlainHttpIsAProtocolFailureAndNeverReachesTheServer) {
  StartFront();
  tcp::socket client = PlainClient();
  Write(client, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_TRUE(Closed(client));
  EXPECT_TRUE(RunUntil([&] { return HandshakeFailures("protocol") == 1; }));
  EXPECT_EQ(Sample("atmwatch_http_tls_connections_total"), 1);
  backend_.non_blocking(true);
  std::error_code accepted;
  backend_.accept(accepted);
  EXPECT_EQ(accepted, asio::error::would_block);
}

TEST_F(TlsFrontTest, SilentClientIsClosedAtTheHandshakeTimeout) {
  StartFront({.handshake_timeout = std::chrono::milliseconds(200)});
  tcp::socket client = PlainClient();
  EXPECT_TRUE(Closed(client));
  EXPECT_EQ(HandshakeFailures("timeout"), 1);
  EXPECT_EQ(HandshakeFailures("protocol"), 0);
}

TEST_F(TlsFrontTest, QuietConnectionIsClosedAtTheIdleTimeout) {
  StartFront({.idle_timeout = std::chrono::milliseconds(300)});
  auto client = TlsClient();
  tcp::socket server = AcceptBackend();
  EXPECT_TRUE(Closed(server));
  EXPECT_TRUE(Closed(*client));
  EXPECT_EQ(LimitHits("idle_timeout"), 1);
}

TEST_F(TlsFrontTest, ConnectionsBeyondTheCapAreClosedAndCounted) {
  StartFront({.max_connections = 1});
  auto first = TlsClient();
  tcp::socket server = AcceptBackend();
  tcp::socket second = PlainClient();
  EXPECT_TRUE(Closed(second));
  EXPECT_EQ(LimitHits("max_connections"), 1);

  // The first still relays, and once it is gone there is room again.
  Write(*first, "ping");
  EXPECT_EQ(Read(server, 4), "ping");
  first->next_layer().close();
  EXPECT_TRUE(Closed(server));
  EXPECT_TRUE(RunUntil([&] { return Sample("atmwatch_http_tls_connections") == 0; }));
  std::error_code error;
  auto third = TlsClient("first", &error);
  EXPECT_FALSE(error) << error.message();
}

TEST_F(TlsFrontTest, RelayPortsAreKnownWhileTheirConnectionIsOpen) {
  StartFront();
  auto client = TlsClient();
  tcp::socket server = AcceptBackend();
  // Known by the time the first byte arrives, which is when the HTTP server asks.
  Write(*client, "GET");
  EXPECT_EQ(Read(server, 3), "GET");
  const unsigned short relay_port = server.remote_endpoint().port();
  EXPECT_TRUE(front_->IsRelayPort(relay_port));
  EXPECT_FALSE(front_->IsRelayPort(front_->local_endpoint().port()));
  client->next_layer().close();
  EXPECT_TRUE(Closed(server));
  EXPECT_TRUE(RunUntil([&] { return !front_->IsRelayPort(relay_port); }));
}

TEST_F(TlsFrontTest, NewContextServesTheConnectionsAcceptedAfterIt) {
  StartFront();
  auto before = TlsClient();
  tcp::socket before_server = AcceptBackend();

  front_->SetTlsContext(ServerContext("second"));
  std::error_code error;
  TlsClient("first", &error);
  EXPECT_TRUE(error) << "the old certificate was still served";
  auto after = TlsClient("second", &error);
  EXPECT_FALSE(error) << error.message();

  // The connection made before keeps working.
  Write(*before, "still here");
  EXPECT_EQ(Read(before_server, 10), "still here");
}

TEST_F(TlsFrontTest, StopClosesOpenConnections) {
  StartFront();
  auto client = TlsClient();
  tcp::socket server = AcceptBackend();
  const tcp::endpoint listening = front_->local_endpoint();
  front_->Stop();
  EXPECT_TRUE(Closed(server));
  EXPECT_TRUE(Closed(*client));
  tcp::socket late(io_);
  std::error_code refused;
  late.connect(listening, refused);
  EXPECT_TRUE(refused);
}

}  // namespace
}  // namespace atmwatch::http
