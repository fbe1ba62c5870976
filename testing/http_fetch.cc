#include "testing/http_fetch.h"

#include <curl/curl.h>

#include <mutex>
#include <sstream>

namespace atmwatch::testing {
namespace {

std::size_t Append(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

HttpResult Perform(const std::string& url, const std::string* content_type, const std::string* body,
                   const HttpClientOptions& client) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  HttpResult result;
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  if (!client.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, client.ca_file.c_str());
  if (!client.cert_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT, client.cert_file.c_str());
    curl_easy_setopt(curl, CURLOPT_SSLKEY, client.key_file.c_str());
  }
  if (!client.user.empty()) curl_easy_setopt(curl, CURLOPT_USERPWD, client.user.c_str());
  if (!client.authorization.empty()) {
    headers = curl_slist_append(headers, ("Authorization: " + client.authorization).c_str());
  }
  if (body != nullptr) {
    headers = curl_slist_append(headers, ("Content-Type: " + *content_type).c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  }
  if (headers != nullptr) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (const CURLcode code = curl_easy_perform(curl); code != CURLE_OK) {
    result.error = error[0] != '\0' ? error : curl_easy_strerror(code);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
    char* type = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    if (type != nullptr) result.content_type = type;
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace

HttpResult HttpGet(const std::string& url, const HttpClientOptions& client) {
  return Perform(url, nullptr, nullptr, client);
}

HttpResult HttpPost(const std::string& url, const std::string& content_type,
                    const std::string& body, const HttpClientOptions& client) {
  return Perform(url, &content_type, &body, client);
}

double SampleValue(const std::string& exposition, const std::string& series) {
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return -1;
}

}  // namespace atmwatch::testing
