#pragma once

#include <string>

#include "client/ingest_client.h"

namespace atmwatch::cli {

struct SendOptions {
  std::string ingest = "127.0.0.1:7420";
  client::ClientTlsOptions tls;  // --tls, --tls-ca, --tls-cert, --tls-key
  std::string token_file;        // --token-file
  std::string source_id;         // default: send-<host>-<pid>
  std::string input = "-";
  std::size_t batch_events = 1000;
};

// `atmwatch send`: canonical-JSON Envelopes, one per line, from a file or
// stdin, streamed in batches. Prints a summary and every rejection with its
// input line. Exit 0 when everything was accepted (or was a duplicate),
// 1 when anything was rejected or the daemon could not be reached.
int RunSend(const SendOptions& options);

}  // namespace atmwatch::cli
