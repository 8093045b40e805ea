// SPDX-License-Identifier: Apache-2.0
#include "driver/batch_objects.hpp"

#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

namespace mcc::driver {

std::uint32_t BatchObjects::narrow(std::size_t n) {
  // Objects, inputs and the strings of one object (at most the 64 MiB an input may hold)
  // are far fewer; more would have run out of memory first.
  if (n > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("batch too large");
  return static_cast<std::uint32_t>(n);
}

std::uint32_t BatchObjects::intern(std::string_view text, std::vector<std::string_view>& texts,
                                   std::unordered_map<std::string_view, std::uint32_t>& numbers) {
  auto known = numbers.find(text);
  if (known == numbers.end()) {
    texts.push_back(arena_.store(text));  // the map's key views the arena's copy
    known = numbers.emplace(texts.back(), narrow(texts.size() - 1)).first;
  }
  return known->second;
}

std::size_t BatchObjects::add_input(std::string_view name) {
  const std::size_t slash = name.rfind('/');
  const std::string_view directory = slash == std::string_view::npos ? std::string_view() : name.substr(0, slash + 1);
  const std::string_view rest = name.substr(directory.size());
  const std::uint32_t head[2] = {intern(directory, directories_, directory_numbers_), narrow(rest.size())};
  inputs_.push_back(arena_.store({std::string_view(reinterpret_cast<const char*>(head), sizeof head), rest}));
  return inputs_.size() - 1;
}

std::string BatchObjects::input_name(std::size_t input) const {
  const char* at = inputs_[input];
  std::uint32_t head[2];
  std::memcpy(head, at, sizeof head);
  std::string name(directories_[head[0]]);
  name.append(at + sizeof head, head[1]);
  return name;
}

std::size_t BatchObjects::add(std::size_t input, GraphObjectInfo&& o) {
  BatchObject view;
  view.pointer = o.pointer;
  view.span = o.span;
  view.type = o.type;
  view.id = o.id;
  view.display_name = o.display_name;
  view.supported = o.supported;
  return add(input, view, std::move(o.references));
}

std::size_t BatchObjects::add(std::size_t input, const BatchObject& o, std::vector<GraphReference> references) {
  Record r{arena_.store({o.id, o.display_name, o.pointer}),
           narrow(o.id.size()),
           narrow(o.display_name.size()),
           narrow(o.pointer.size()),
           intern(o.type, types_, type_numbers_),
           narrow(input),
           narrow(o.span.offset),
           narrow(o.span.length),
           o.supported};
  records_.push_back(r);
  const std::size_t i = records_.size() - 1;
  if (!references.empty()) references_.emplace(i, std::move(references));
  return i;
}

void BatchObjects::adopt(BatchObjects&& scanned, std::size_t input) {
  if (!records_.empty() || scanned.inputs() != 0)
    throw std::logic_error("BatchObjects::adopt: not a first input's scan");
  const std::uint32_t number = narrow(input);
  arena_.absorb(std::move(scanned.arena_));
  records_ = std::move(scanned.records_);
  for (Record& r : records_) r.input = number;
  // This holds no object, so no type either: the scan's numbering stands.
  types_ = std::move(scanned.types_);
  type_numbers_ = std::move(scanned.type_numbers_);
  references_ = std::move(scanned.references_);
  scanned = BatchObjects();
}

std::vector<GraphReference> BatchObjects::take_references(std::size_t i) {
  auto it = references_.find(i);
  if (it == references_.end()) return {};
  std::vector<GraphReference> out = std::move(it->second);
  references_.erase(it);
  return out;
}

BatchObject BatchObjects::object(std::size_t i) const {
  const Record& r = records_[i];
  const char* at = r.text;
  BatchObject o;
  o.id = {at, r.id_length};
  o.display_name = {at += r.id_length, r.name_length};
  o.pointer = {at += r.name_length, r.pointer_length};
  o.span = {r.span_offset, r.span_length};
  o.type = types_[r.type];
  o.supported = r.supported;
  return o;
}

const std::vector<GraphReference>& BatchObjects::references(std::size_t i) const {
  static const std::vector<GraphReference> kNone;
  auto it = references_.find(i);
  return it == references_.end() ? kNone : it->second;
}

}  // namespace mcc::driver

namespace mcc {

std::vector<GraphObjectInfo> ScannedObjects::Impl::take_all() {
  std::vector<GraphObjectInfo> out(objects.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const BatchObject o = objects.object(i);
    GraphObjectInfo& info = out[i];
    info.pointer = o.pointer;
    info.span = o.span;
    info.type = o.type;
    info.id = o.id;
    info.display_name = o.display_name;
    info.supported = o.supported;
    info.references = objects.take_references(i);
    if (auto it = kept.find(i); it != kept.end()) info.parsed = std::move(it->second);
  }
  *this = Impl();
  return out;
}

ScannedObjects::ScannedObjects() : impl_(std::make_unique<Impl>()) {}
ScannedObjects::ScannedObjects(std::vector<GraphObjectInfo> objects) : ScannedObjects() {
  for (auto& o : objects) impl_->add(std::move(o));
}
ScannedObjects::ScannedObjects(ScannedObjects&&) noexcept = default;
ScannedObjects& ScannedObjects::operator=(ScannedObjects&&) noexcept = default;
ScannedObjects::~ScannedObjects() = default;
std::size_t ScannedObjects::size() const { return impl_ ? impl_->objects.size() : 0; }  // none once moved from
BatchObject ScannedObjects::operator[](std::size_t i) const { return impl_->objects.object(i); }

}  // namespace mcc
