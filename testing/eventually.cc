#include "testing/eventually.h"

#include <thread>

namespace atmwatch::testing {

bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll) {
  for (const auto deadline = std::chrono::steady_clock::now() + timeout;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(poll)) {
    if (done()) return true;
  }
  return done();
}

}  // namespace atmwatch::testing
