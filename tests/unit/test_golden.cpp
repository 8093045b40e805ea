// SPDX-License-Identifier: Apache-2.0
// Golden tests: tests/golden/pass/<case>/ compiles to expected.mobileconfig (byte-exact)
// with exactly the diagnostics in expected.diagnostics; tests/golden/fail/<case>/ fails
// with exactly expected.diagnostics and no profile. Inputs are every input*.json in the
// case folder, in name order; args.json holds compile options.
// MCC_UPDATE_GOLDEN=1 rewrites the expected files from what the compiler produces.

#include <algorithm>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "cli/diagnostics_printer.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

struct Case {
  fs::path dir;
  bool pass;
};

// Test logs name the case, not the bytes of the struct.
[[maybe_unused]] void PrintTo(const Case& c, std::ostream* os) { *os << (c.pass ? "pass/" : "fail/") << c.dir.filename().string(); }

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const char* kind : {"pass", "fail"}) {
    fs::path root = source_dir() / "tests" / "golden" / kind;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::directory_iterator(root))
      if (e.is_directory()) out.push_back({e.path(), std::string(kind) == "pass"});
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.dir < b.dir; });
  return out;
}

CompileOptions options_from(const fs::path& args_file) {
  CompileOptions o;
  if (!fs::exists(args_file)) return o;
  auto j = nlohmann::json::parse(read_file(args_file));
  for (const auto& [k, v] : j.items()) {
    if (k == "platform") o.platform = parse_platform(v.get<std::string>()).value_or(Platform::ios);
    else if (k == "identifier_prefix") o.identifier_prefix = v.get<std::string>();
    else if (k == "type") o.graph_type = v.get<std::string>();
    else if (k == "vars") o.variables = v.get<std::map<std::string, std::string>>();
    else if (k == "scep_challenge") o.scep_challenge = v.get<std::string>();
    else if (k == "scep_url_index") o.scep_url_index = v.get<std::size_t>();
    else if (k == "vpn_subtype") o.vpn_subtype = v.get<std::string>();
    else ADD_FAILURE() << args_file << ": unknown option " << k;
  }
  return o;
}

std::string diagnostics_text(const Diagnostics& d, const fs::path& dir) {
  // The lines the tool prints (with its option hints), file names relative to the case
  // folder so the expectations do not depend on checkout paths.
  std::string out;
  for (const auto& x : d.items()) out += cli::format_for_command_line(x) + "\n";
  std::string prefix = dir.string() + "/";
  for (std::size_t pos; (pos = out.find(prefix)) != std::string::npos;) out.erase(pos, prefix.size());
  return out;
}

class Golden : public ::testing::TestWithParam<Case> {};

TEST_P(Golden, MatchesExpectation) {
  const Case& c = GetParam();
  std::vector<InputFile> inputs;
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(c.dir))
    if (e.path().filename().string().rfind("input", 0) == 0) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  ASSERT_FALSE(paths.empty()) << c.dir << " has no input*.json";
  for (const auto& p : paths) inputs.push_back({p.string(), read_file(p)});

  Diagnostics diags;
  auto profile = compile_inputs(inputs, options_from(c.dir / "args.json"), diags);
  std::string diag_text = diagnostics_text(diags, c.dir);
  bool update = std::getenv("MCC_UPDATE_GOLDEN") != nullptr;

  if (c.pass) {
    ASSERT_TRUE(profile.has_value()) << diag_text;
    std::string xml = serialize_plist(profile->root, PlistFormat::xml);
    expect_well_formed(xml, c.dir.string());
    // Every profile the tests produce must satisfy Apple's schema.
    auto platform = profile->platform;
    for (const Diagnostics problems = compiler().validate(profile->root, platform); const auto& problem : problems.items()) ADD_FAILURE() << format_diagnostic(problem);
    if (update) write_file(c.dir / "expected.mobileconfig", xml);
    EXPECT_EQ(read_file(c.dir / "expected.mobileconfig"), xml);
  } else {
    EXPECT_FALSE(profile.has_value()) << "expected the compile to fail";
    EXPECT_TRUE(diags.has_errors());
  }
  if (update) write_file(c.dir / "expected.diagnostics", diag_text);
  EXPECT_EQ(read_file(c.dir / "expected.diagnostics"), diag_text);
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = std::string(info.param.pass ? "pass_" : "fail_") + info.param.dir.filename().string();
  std::replace_if(name.begin(), name.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(cases()), case_name);

}  // namespace
}  // namespace mcc::test
