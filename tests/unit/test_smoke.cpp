#include <gtest/gtest.h>
#include "mobileconfigc/mobileconfigc.hpp"
TEST(Smoke, CompilerLoads) {
  mcc::Diagnostics d;
  auto c = mcc::Compiler::create(std::nullopt, d);
  for (auto& x : d.items()) ADD_FAILURE() << mcc::format_diagnostic(x);
  ASSERT_TRUE(c.has_value());
}
