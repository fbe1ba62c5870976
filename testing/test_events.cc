#include "testing/test_events.h"

#include <chrono>

namespace atmwatch::testing {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

v1::Envelope Withdrawal(const std::string& atm) {
  v1::Envelope e;
  e.set_time_unix_ms(NowMs());
  auto* tx = e.mutable_transaction();
  tx->set_atm_id(atm);
  tx->set_type(v1::AtmTransaction::WITHDRAWAL);
  tx->set_result(v1::AtmTransaction::APPROVED);
  tx->set_amount_yen(10000);
  return e;
}

std::string TransactionSeries(const std::string& atm, const std::string& type,
                              const std::string& result) {
  return "atmwatch_atm_transactions_total{atm_id=\"" + atm + "\",type=\"" + type + "\",result=\"" +
         result + "\"}";
}

}  // namespace atmwatch::testing
