#include "metrics/device_collector.h"

#include <array>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

using Type = TextWriter::Type;
using engine::kComponentCount;
using engine::kRetainReasons;
using engine::Severity;

// One ATM's hardware as of the scrape.
struct DeviceRow {
  std::string atm_label;  // atm_id="…"
  std::array<Severity, kComponentCount> severity{};
  std::array<int64_t, kComponentCount> since_unix_ms{};
  std::array<uint32_t, kRetainReasons> retained{};
};

// The exported value: the proto's severities from OK = 1, less one.
double StatusValue(Severity severity) { return static_cast<double>(severity) - 1; }

}  // namespace

void DeviceCollector::WriteText(TextWriter& out) const {
  std::vector<DeviceRow> rows;  // ATMs with a component reported or a card retained
  engine_.Read([&](const engine::EngineView& view) {
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      const engine::DeviceHealth& health = view.devices[atm];
      if (!health.active()) continue;
      DeviceRow& row = rows.emplace_back();
      row.atm_label = TextWriter::RenderLabel("atm_id", view.fleet.id(atm));
      for (std::size_t c = 0; c < kComponentCount; ++c) {
        const auto component = static_cast<engine::Component>(c);
        row.severity[c] = health.severity(component);
        row.since_unix_ms[c] = health.since_unix_ms(component);
      }
      for (std::size_t r = 0; r < kRetainReasons; ++r) row.retained[r] = health.cards_retained(r);
    }
  });
  // A family without samples would only be HELP and TYPE lines.
  if (rows.empty()) return;

  std::array<std::string, kComponentCount> component_labels;
  for (std::size_t c = 0; c < kComponentCount; ++c) {
    component_labels[c] = TextWriter::RenderLabel(
        "component", engine::ComponentName(static_cast<engine::Component>(c)));
  }
  const auto per_component = [&](std::string_view name, std::string_view help, auto value_of) {
    out.Family(name, help, Type::kGauge);
    for (const DeviceRow& row : rows) {
      for (std::size_t c = 0; c < kComponentCount; ++c) {
        if (row.severity[c] == Severity::kUnknown) continue;
        out.SampleRendered(name, row.atm_label, component_labels[c], value_of(row, c));
      }
    }
  };
  per_component("atmwatch_atm_component_status",
                "Health of an ATM's hardware component as it last reported it: 0 ok, 1 warning, "
                "2 fatal. Only components the ATM reports.",
                [](const DeviceRow& row, std::size_t c) { return StatusValue(row.severity[c]); });
  per_component("atmwatch_atm_component_status_since_timestamp_seconds",
                "Event time the component entered its current status, Unix seconds.",
                [](const DeviceRow& row, std::size_t c) {
                  return static_cast<double>(row.since_unix_ms[c] / 1000);
                });

  std::array<std::string, kRetainReasons> reason_labels;
  for (std::size_t r = 0; r < kRetainReasons; ++r) {
    reason_labels[r] = TextWriter::RenderLabel("reason", engine::RetainReasonName(r));
  }
  out.Family("atmwatch_atm_cards_retained_total",
             "Cards the ATM kept, by reason (customer_timeout, host_order, device_fault).",
             Type::kCounter);
  for (const DeviceRow& row : rows) {
    for (std::size_t r = 0; r < kRetainReasons; ++r) {
      out.SampleRendered("atmwatch_atm_cards_retained_total", row.atm_label, reason_labels[r],
                         row.retained[r]);
    }
  }
}

}  // namespace atmwatch::metrics
