#include "jetstream/testing/nats_server.h"

#include <nats/nats.h>
#include <unistd.h>

#include "testing/eventually.h"

namespace atmwatch::jetstream::testing {
namespace {

std::string LastError(natsStatus s) {
  natsStatus ignored;
  const char* detail = nats_GetLastError(&ignored);
  return std::string(natsStatus_GetText(s)) + (detail != nullptr ? std::string(": ") + detail : "");
}

}  // namespace

std::string NatsServer::Executable() {
  for (const char* path : {"/usr/sbin/nats-server", "/usr/bin/nats-server",
                           "/usr/local/bin/nats-server", "/usr/local/sbin/nats-server"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

bool NatsServer::Start(std::chrono::seconds timeout) {
  // Each start writes a log of its own: the line read back is this start's.
  if (!process_.Spawn({Executable(), "-js", "-a", "127.0.0.1", "-p", std::to_string(port_), "-sd",
                       root_.Join("store")},
                      root_.Join("nats-server.log"), {.env = {}, .truncate_log = true})) {
    return false;
  }
  const std::optional<std::string> line =
      process_.WaitForLine("Listening for client connections on ", timeout);
  if (!line) return false;
  port_ = std::stoi(line->substr(line->rfind(':') + 1));
  return true;
}

void NatsServer::Kill() { process_.Kill(); }

std::string NatsServer::url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

std::string NatsServer::log() const { return process_.log(); }

Publisher::Publisher(const std::string& url) {
  natsConnection* connection = nullptr;
  natsStatus s = natsConnection_ConnectTo(&connection, url.c_str());
  if (s != NATS_OK) {
    error_ = "connect " + url + ": " + LastError(s);
    return;
  }
  connection_ = connection;
  jsCtx* js = nullptr;
  s = natsConnection_JetStream(&js, connection, nullptr);
  if (s != NATS_OK) {
    error_ = "jetstream: " + LastError(s);
    return;
  }
  js_ = js;
}

Publisher::~Publisher() {
  if (js_ != nullptr) jsCtx_Destroy(static_cast<jsCtx*>(js_));
  if (connection_ != nullptr) natsConnection_Destroy(static_cast<natsConnection*>(connection_));
}

bool Publisher::AddStream(const std::string& name, const std::vector<std::string>& subjects) {
  std::vector<const char*> names;
  for (const auto& subject : subjects) names.push_back(subject.c_str());
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = name.c_str();
  config.Subjects = names.data();
  config.SubjectsLen = static_cast<int>(names.size());
  config.Storage = js_FileStorage;
  natsStatus s = NATS_OK;
  const bool added = atmwatch::testing::Eventually(
      [&] {
        jsErrCode code = static_cast<jsErrCode>(0);
        s = js_AddStream(nullptr, static_cast<jsCtx*>(js_), &config, nullptr, &code);
        return s == NATS_OK;
      },
      std::chrono::seconds(10), std::chrono::milliseconds(100));
  if (!added) error_ = "add stream " + name + ": " + LastError(s);
  return added;
}

bool Publisher::Publish(const std::string& subject, const v1::Batch& batch) {
  return PublishBytes(subject, batch.SerializeAsString());
}

bool Publisher::PublishBytes(const std::string& subject, const std::string& payload) {
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s = js_Publish(nullptr, static_cast<jsCtx*>(js_), subject.c_str(),
                                  payload.data(), static_cast<int>(payload.size()), nullptr, &code);
  if (s != NATS_OK) {
    error_ = "publish on " + subject + ": " + LastError(s);
    return false;
  }
  return true;
}

void* Publisher::ConsumerInfo(const std::string& stream, const std::string& consumer) {
  jsConsumerInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s = js_GetConsumerInfo(&info, static_cast<jsCtx*>(js_), stream.c_str(),
                                          consumer.c_str(), nullptr, &code);
  if (s != NATS_OK) {
    error_ = "consumer info " + consumer + ": " + LastError(s);
    return nullptr;
  }
  return info;
}

long long Publisher::AckPending(const std::string& stream, const std::string& consumer) {
  auto* info = static_cast<jsConsumerInfo*>(ConsumerInfo(stream, consumer));
  if (info == nullptr) return -1;
  const long long pending = info->NumAckPending;
  jsConsumerInfo_Destroy(info);
  return pending;
}

long long Publisher::WaitingPulls(const std::string& stream, const std::string& consumer) {
  auto* info = static_cast<jsConsumerInfo*>(ConsumerInfo(stream, consumer));
  if (info == nullptr) return -1;
  const long long waiting = info->NumWaiting;
  jsConsumerInfo_Destroy(info);
  return waiting;
}

void NatsStreamTest::SetUp() {
  if (NatsServer::Executable().empty()) {
    GTEST_SKIP() << "nats-server is not installed (Debian: nats-server)";
  }
  ASSERT_TRUE(server_.Start()) << server_.log();
  publisher_ = std::make_unique<Publisher>(server_.url());
  ASSERT_TRUE(publisher_->connected()) << publisher_->error();
  ASSERT_TRUE(publisher_->AddStream(stream_, {"atmwatch.events.>"})) << publisher_->error();
}

}  // namespace atmwatch::jetstream::testing
