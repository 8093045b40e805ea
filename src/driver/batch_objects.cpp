// SPDX-License-Identifier: Apache-2.0
#include "driver/batch_objects.hpp"

#include <limits>
#include <stdexcept>

namespace mcc::driver {

std::uint32_t BatchObjects::narrow(std::size_t n) {
  // Objects, inputs and the strings of one object (at most the 64 MiB an input may hold)
  // are far fewer; more would have run out of memory first.
  if (n > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("batch too large");
  return static_cast<std::uint32_t>(n);
}

std::size_t BatchObjects::add_input(std::string_view name) {
  inputs_.push_back(arena_.store(name));
  return inputs_.size() - 1;
}

std::size_t BatchObjects::add(std::size_t input, GraphObjectInfo&& o) {
  auto known = type_numbers_.find(o.type);
  if (known == type_numbers_.end()) {
    types_.push_back(arena_.store(o.type));  // the map's key views the arena's copy
    known = type_numbers_.emplace(types_.back(), narrow(types_.size() - 1)).first;
  }
  Record r{arena_.store({o.id, o.display_name, o.pointer}),
           narrow(o.id.size()),
           narrow(o.display_name.size()),
           narrow(o.pointer.size()),
           known->second,
           narrow(input),
           o.supported,
           o.span};
  records_.push_back(r);
  const std::size_t i = records_.size() - 1;
  if (!o.references.empty()) references_.emplace(i, std::move(o.references));
  return i;
}

BatchObject BatchObjects::object(std::size_t i) const {
  const Record& r = records_[i];
  const char* at = r.text;
  BatchObject o;
  o.id = {at, r.id_length};
  o.display_name = {at += r.id_length, r.name_length};
  o.pointer = {at += r.name_length, r.pointer_length};
  o.span = r.span;
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
