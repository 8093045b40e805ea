// SPDX-License-Identifier: Apache-2.0
// The project says what licence it is under and what it links: LICENSE holds the Apache-2.0
// text, NOTICE the derived facts' MIT notices and every linked library with its licence.

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

TEST(Licence, LicenseIsApache2) {
  std::string text = read_file(source_dir() / "LICENSE");
  EXPECT_NE(text.find("Apache License"), std::string::npos);
  EXPECT_NE(text.find("Version 2.0, January 2004"), std::string::npos);
  EXPECT_NE(text.find("END OF TERMS AND CONDITIONS"), std::string::npos);
}

TEST(Licence, NoticeNamesTheDerivedFactsAndEveryLinkedLibrary) {
  std::string text = read_file(source_dir() / "NOTICE");
  for (const char* needle : {"Apache License, Version 2.0", "Apple Inc.", "Microsoft Graph", "Permission is hereby granted",
                             "libplist", "LGPL-2.1-or-later", "OpenSSL", "Apache-2.0", "nlohmann/json", "CLI11",
                             "BSD-3-Clause", "mimalloc", "MIT"})
    EXPECT_NE(text.find(needle), std::string::npos) << needle;
}

}  // namespace
}  // namespace mcc::test
