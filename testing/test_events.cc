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

v1::AtmTransaction TransactionOf(v1::AtmTransaction::Type type, v1::AtmTransaction::Result result,
                                 std::string issuer, std::optional<std::int64_t> commission_yen) {
  v1::AtmTransaction transaction;
  transaction.set_atm_id("ATM0001");
  transaction.set_type(type);
  transaction.set_result(result);
  transaction.set_amount_yen(type == v1::AtmTransaction::WITHDRAWAL ? 10000 : 0);
  transaction.set_issuer(std::move(issuer));
  if (commission_yen) transaction.set_commission_yen(*commission_yen);
  return transaction;
}

v1::AtmTransaction WithdrawalOf(v1::AtmTransaction::Result result, std::string issuer) {
  return TransactionOf(v1::AtmTransaction::WITHDRAWAL, result, std::move(issuer));
}

std::string TransactionSeries(const std::string& atm, const std::string& type,
                              const std::string& result) {
  return "atmwatch_atm_transactions_total{atm_id=\"" + atm + "\",type=\"" + type + "\",result=\"" +
         result + "\"}";
}

}  // namespace atmwatch::testing
