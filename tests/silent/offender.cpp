// SPDX-License-Identifier: Apache-2.0
// Not part of the library: an object file that does everything the library must not, so the
// Silent.* tests can prove that cmake/silent.cmake finds each of them (tests/CMakeLists.txt).

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace mcc::test::offender {

void prints(int n) { std::printf("%d\n", n); }
void puts_line() { std::puts("offender"); }
void writes_to_stderr(const char* text) { std::fputs(text, stderr); }
void streams(int n) {
  std::cout << n;
  std::cerr << n;
}
[[noreturn]] void aborts() { std::abort(); }
[[noreturn]] void exits(int code) { std::exit(code); }

}  // namespace mcc::test::offender
