// SPDX-License-Identifier: Apache-2.0
// Compiles one Graph JSON file with the installed library and writes the profile (XML) to
// standard output, as `mobileconfigc compile FILE -o -` does.
//   consumer FILE

#include <fstream>
#include <iostream>
#include <sstream>

#include <mobileconfigc/mobileconfigc.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer FILE\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  mcc::Diagnostics diags;
  auto compiler = mcc::Compiler::create(std::nullopt, diags);
  std::optional<mcc::CompiledProfile> profile;
  if (compiler) profile = compiler->compile({mcc::InputFile{argv[1], bytes.str()}}, mcc::CompileOptions{}, diags);
  for (const auto& d : diags.items()) std::cerr << mcc::format_diagnostic(d) << '\n';
  if (!profile) return 1;
  std::cout << mcc::serialize_plist(profile->root, mcc::PlistFormat::xml);
  return 0;
}
