# SPDX-License-Identifier: Apache-2.0
# Fails when an object file of the library calls something that prints to the standard streams
# or ends the process: the library never prints, never exits, never aborts; only src/cli does
# (simdjson's avoid_cout / avoid_abort tests, with nm). Run by ctest, not by hand:
#   cmake -DNM=nm "-DOBJECTS=a.o|b.o" -P cmake/silent.cmake
cmake_policy(VERSION 3.25)
string(REPLACE "|" ";" OBJECTS "${OBJECTS}")
if(NOT OBJECTS)
  message(FATAL_ERROR "no object files to check")
endif()
execute_process(COMMAND ${NM} --undefined-only --demangle ${OBJECTS}
                OUTPUT_VARIABLE listing ERROR_VARIABLE nm_error RESULT_VARIABLE nm_status)
if(NOT nm_status EQUAL 0)
  message(FATAL_ERROR "${NM} failed: ${nm_error}")
endif()

# C stdio writers to stdout/stderr (and their _FORTIFY_SOURCE spellings), the C++ standard
# streams, and every way out of the process.
set(forbidden
  printf __printf_chk vprintf __vprintf_chk puts putchar fputs perror
  std::cout std::cerr std::clog std::wcout std::wcerr std::wclog stdout stderr
  abort exit _exit _Exit quick_exit)

string(REPLACE "\n" ";" lines "${listing}")
list(GET OBJECTS 0 object)  # nm names the file only when it lists several
set(found "")
foreach(line IN LISTS lines)
  if(line MATCHES "^(.+):$")
    set(object "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^ +U ([^@]+)")
    set(symbol "${CMAKE_MATCH_1}")
    if(symbol IN_LIST forbidden)
      get_filename_component(name "${object}" NAME)
      list(APPEND found "${name}: ${symbol}")
    endif()
  endif()
endforeach()
list(LENGTH OBJECTS count)
if(found)
  list(JOIN found "\n  " text)
  message(FATAL_ERROR "the library must not print or end the process; these objects call:\n  ${text}")
endif()
message(STATUS "${count} object files: nothing prints or ends the process")
