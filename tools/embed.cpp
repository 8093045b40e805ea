// SPDX-License-Identifier: Apache-2.0
// Run by the build (src/schema/CMakeLists.txt), not by hand:
//
//   mcc_embed OUT ROOT FILE...
//
// Writes OUT, a C++ file holding every FILE as a byte array keyed by its path relative to
// ROOT ("mappings/x.json"), and where the top-level members of each are (schema/embedded.hpp):
// for every key of its top-level object, the answer json_object_members(text, key) gives, as
// byte offsets into the file. The library looks a built-in file's members up there instead of
// skimming the file at every start. It is the same function (src/base/fast_json.cpp) run
// here, on the same bytes the array holds, so the answers are the ones the library would
// find; a file it finds nothing for gets no index and is skimmed at start-up.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/fast_json.hpp"

namespace {

using Members = std::vector<std::pair<std::string_view, std::string_view>>;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string cpp_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// The bytes of `text` and a terminating 0, as the elements of an array.
std::string bytes(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 5 + 2);
  char buf[8];
  for (const char c : text) {
    std::snprintf(buf, sizeof buf, "0x%02x,", static_cast<unsigned char>(c));
    out += buf;
  }
  return out + "0";
}

// {key offset, key size, value offset, value size} for each member, as array elements.
std::string spans(std::string_view text, const Members& members) {
  std::ostringstream out;
  for (const auto& [key, value] : members)
    out << "{" << (key.data() - text.data()) << "," << key.size() << "," << (value.data() - text.data()) << ","
        << value.size() << "},";
  return out.str();
}

// The index of `text`, the file at position `resource`, as C++ definitions named f<resource>;
// nothing when some key of it does not skim.
std::string index(std::string_view text, std::size_t resource, std::string& entry) {
  const auto top = mcc::json_object_members(text);
  if (!top) return {};
  // The top level first (name ""), then each key whose last member of that name is an object.
  std::vector<std::pair<std::string, std::string>> objects{{"", spans(text, *top)}};
  std::set<std::string_view> seen;
  for (const auto& [key, value] : *top) {
    if (!seen.insert(key).second) continue;
    auto both = mcc::json_object_members(text, key);
    if (!both || both->first != *top) return {};
    if (both->second) objects.emplace_back(std::string(key), spans(text, *both->second));
  }
  // (Streams rather than string concatenation: GCC 12 at -O3 warns, falsely, of -Wrestrict
  // on `"literal" + std::string`.)
  std::ostringstream out, list;
  for (std::size_t k = 0; k < objects.size(); ++k) {
    std::ostringstream part;
    part << "f" << resource << "_" << k;
    const bool empty = objects[k].second.empty();
    out << "constexpr MemberSpan " << part.str() << "[] = {" << (empty ? "{0, 0, 0, 0}," : objects[k].second) << "};\n";
    list << "{" << cpp_string(objects[k].first) << ", " << part.str() << ", ";
    if (empty) list << "0},";
    else list << "std::size(" << part.str() << ")},";
  }
  out << "constexpr ObjectIndex f" << resource << "[] = {" << list.str() << "};\n";
  std::ostringstream e;
  e << "{" << resource << ", f" << resource << ", std::size(f" << resource << ")},";
  entry = e.str();
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: mcc_embed OUT ROOT FILE...\n";
    return 2;
  }
  const std::filesystem::path out_path = argv[1], root = argv[2];
  std::map<std::string, std::filesystem::path> files;  // sorted by the path relative to ROOT
  for (int i = 3; i < argc; ++i)
    files.emplace(std::filesystem::path(argv[i]).lexically_relative(root).generic_string(), argv[i]);
  try {
    std::string arrays, resources, indexes, entries;
    std::size_t n = 0;
    for (const auto& [rel, path] : files) {
      const std::string text = read_file(path);
      arrays += "const unsigned char r" + std::to_string(n) + "[] = {" + bytes(text) + "};\n";
      resources += "      {" + cpp_string(rel) + ", {reinterpret_cast<const char*>(r" + std::to_string(n) + "), " +
                   std::to_string(text.size()) + "}},\n";
      std::string entry;
      indexes += index(text, n, entry);
      if (!entry.empty()) entries += "      " + entry + "\n";
      ++n;
    }
    std::ostringstream file;
    file << "// Generated by tools/embed.cpp. Do not edit.\n#include <iterator>\n\n#include \"schema/embedded.hpp\"\n\n"
         << "namespace mcc::embedded {\nnamespace {\n\n"
         << arrays << "\n"
         << indexes << "\n}  // namespace\n\n"
         << "const std::vector<Resource>& resources() {\n  static const std::vector<Resource> all = {\n"
         << resources << "  };\n  return all;\n}\n\n"
         << "std::span<const FileIndex> file_indexes() {\n"
         << (entries.empty() ? "  return {};\n"
                             : "  static constexpr FileIndex all[] = {\n" + entries + "  };\n  return all;\n")
         << "}\n\n}  // namespace mcc::embedded\n";
    const std::string text = file.str();
    // Replaced only when it changes, so that an unchanged build compiles nothing again.
    if (!std::filesystem::exists(out_path) || read_file(out_path) != text) {
      const std::filesystem::path tmp = out_path.string() + ".tmp";
      {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
      }
      std::filesystem::rename(tmp, out_path);
    }
  } catch (const std::exception& e) {
    std::cerr << "mcc_embed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
