#include "http/misspelled_enums.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <vector>

#include "ingest/event_validator.h"

namespace atmwatch::http {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Value;

// One field on the way from an Envelope to the misspelled enum; index is the
// element of a repeated field, -1 for a singular one.
struct Step {
  const FieldDescriptor* field;
  int index;
};

struct Misspelling {
  int event;
  std::vector<Step> steps;  // from the Envelope
  std::string detail;
};

// A number no enum of the contract uses.
constexpr int kNoSuchValue = -1;

// The field a JSON key names: its JSON (lowerCamelCase) name or its proto name.
const FieldDescriptor* FieldNamed(const Descriptor& type, const std::string& key) {
  for (int i = 0; i < type.field_count(); ++i) {
    if (type.field(i)->json_name() == key) return type.field(i);
  }
  return type.FindFieldByName(key);
}

class Finder {
 public:
  // False at the first problem that is not a misspelled enum name.
  bool Message(const Value& value, const Descriptor& type, std::vector<Step>* path) {
    if (value.kind_case() == Value::kNullValue) return true;
    if (value.kind_case() != Value::kStructValue) return false;
    for (const auto& [key, member] : value.struct_value().fields()) {
      const FieldDescriptor* field = FieldNamed(type, key);
      if (field == nullptr) return false;
      if (field->is_map()) return false;  // none in the contract; left to the strict parser
      if (field->is_repeated()) {
        if (member.kind_case() == Value::kNullValue) continue;
        if (member.kind_case() != Value::kListValue) return false;
        for (int i = 0; i < member.list_value().values_size(); ++i) {
          path->push_back({field, i});
          const bool ok = Field(member.list_value().values(i), *field, path);
          path->pop_back();
          if (!ok) return false;
        }
      } else {
        path->push_back({field, -1});
        const bool ok = Field(member, *field, path);
        path->pop_back();
        if (!ok) return false;
      }
    }
    return true;
  }

  std::vector<Misspelling> found;

 private:
  bool Field(const Value& value, const FieldDescriptor& field, std::vector<Step>* path) {
    if (field.type() == FieldDescriptor::TYPE_MESSAGE &&
        field.message_type()->file()->package() == "atmwatch.v1") {
      return Message(value, *field.message_type(), path);
    }
    if (field.type() != FieldDescriptor::TYPE_ENUM || value.kind_case() != Value::kStringValue ||
        field.enum_type()->FindValueByName(value.string_value()) != nullptr) {
      return true;  // the strict parser's business
    }
    // Only inside an event can the refusal be per event: Batch.events[i]...
    if (path->size() < 2 || path->front().field->name() != "events") return false;
    if (path->back().index >= 0) return false;  // no repeated enum in the contract
    std::string name;
    for (std::size_t i = 1; i < path->size(); ++i) {
      if (!name.empty()) name += ".";
      name += (*path)[i].field->name();
    }
    found.push_back({path->front().index, std::vector<Step>(path->begin() + 1, path->end()),
                     name + " \"" + value.string_value().substr(0, 64) + "\" is not a known " +
                         field.name() + "; valid: " + ingest::ValidEnumNames(*field.enum_type())});
    return true;
  }
};

// Sets the misspelled field of `event` to kNoSuchValue.
void MarkInvalid(Message* event, const std::vector<Step>& steps) {
  Message* message = event;
  for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
    const auto* reflection = message->GetReflection();
    message = steps[i].index < 0
                  ? reflection->MutableMessage(message, steps[i].field)
                  : reflection->MutableRepeatedMessage(message, steps[i].field, steps[i].index);
  }
  message->GetReflection()->SetEnumValue(message, steps.back().field, kNoSuchValue);
}

}  // namespace

bool ParseWithMisspelledEnums(const std::string& body, v1::Batch* batch,
                              std::map<int, std::string>* details) {
  Value root;
  if (!google::protobuf::util::JsonStringToMessage(body, &root).ok()) return false;
  Finder finder;
  std::vector<Step> path;
  if (!finder.Message(root, *v1::Batch::descriptor(), &path) || finder.found.empty()) {
    return false;
  }
  // Every problem is a misspelled enum name: parse leaving those out.
  google::protobuf::util::JsonParseOptions lenient;
  lenient.ignore_unknown_fields = true;
  v1::Batch parsed;
  if (!google::protobuf::util::JsonStringToMessage(body, &parsed, lenient).ok()) return false;
  for (const Misspelling& misspelling : finder.found) {
    if (misspelling.event >= parsed.events_size()) return false;
    MarkInvalid(parsed.mutable_events(misspelling.event), misspelling.steps);
    details->emplace(misspelling.event, misspelling.detail);
  }
  *batch = std::move(parsed);
  return true;
}

}  // namespace atmwatch::http
