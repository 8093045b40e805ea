# SPDX-License-Identifier: Apache-2.0
# Generates the man pages and shell completions from the built tool, so they say what its
# --help says and cannot drift from it (run by cmake/install.cmake at build time):
#   cmake -DBIN=<mobileconfigc> -DOUT=<dir> -DVERSION=<x.y.z> -DSRC=<source dir>
#         [-DHELP2MAN=<help2man>] -P generate-docs.cmake
# OUT/man/*.1.gz          mobileconfigc(1) and mobileconfigc-<command>(1) for each command the
#                         top-level --help lists, through help2man with docs/man/*.h2m added
# OUT/completions/...     bash (mobileconfigc), zsh (_mobileconfigc), fish (mobileconfigc.fish)
cmake_minimum_required(VERSION 3.25)

function(run_checked)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${OUT}/completions ${OUT}/man)
file(MAKE_DIRECTORY ${OUT}/completions ${OUT}/man/wrappers)

# Completions: the tool writes them from its own option definitions.
run_checked(${BIN} completion bash)
file(WRITE ${OUT}/completions/mobileconfigc "${run_output}")
run_checked(${BIN} completion zsh)
file(WRITE ${OUT}/completions/_mobileconfigc "${run_output}")
run_checked(${BIN} completion fish)
file(WRITE ${OUT}/completions/mobileconfigc.fish "${run_output}")

if(NOT HELP2MAN)
  message(STATUS "help2man not found: no man pages (scripts/setup installs it)")
  return()
endif()

# The commands and their one-line descriptions, from the "Subcommands:" part of --help.
run_checked(${BIN} --help)
string(REGEX REPLACE ".*\nSubcommands:\n" "" listing "${run_output}")
string(REGEX REPLACE "\n\n.*" "" listing "${listing}")
string(REPLACE "\n" ";" lines "${listing}")
set(pages "mobileconfigc|compile Microsoft Graph (Intune) device configuration JSON into Apple configuration profiles")
foreach(line ${lines})
  if(line MATCHES "^  ([a-z]+) +(.*)$" AND NOT CMAKE_MATCH_1 STREQUAL "help")
    set(command "${CMAKE_MATCH_1}")
    # "Compile Graph JSON ..." → "compile Graph JSON ...", as NAME lines read.
    string(SUBSTRING "${CMAKE_MATCH_2}" 0 1 first)
    string(SUBSTRING "${CMAKE_MATCH_2}" 1 -1 rest)
    string(TOLOWER "${first}" first)
    list(APPEND pages "mobileconfigc-${command}|${first}${rest}")
  endif()
endforeach()

foreach(page ${pages})
  string(REPLACE "|" ";" parts "${page}")
  list(GET parts 0 name)
  list(GET parts 1 description)
  string(REPLACE "mobileconfigc-" "" command "${name}")
  # help2man names the page after the program it runs: a wrapper named like the page.
  set(wrapper ${OUT}/man/wrappers/${name})
  if(name STREQUAL "mobileconfigc")
    file(WRITE ${wrapper} "#!/bin/sh\nexec '${BIN}' \"$@\"\n")
  else()
    file(WRITE ${wrapper} "#!/bin/sh\nexec '${BIN}' ${command} \"$@\"\n")
  endif()
  file(CHMOD ${wrapper} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  set(includes -i ${SRC}/docs/man/common.h2m)
  if(EXISTS ${SRC}/docs/man/${name}.h2m)
    list(APPEND includes -i ${SRC}/docs/man/${name}.h2m)
  endif()
  run_checked(${HELP2MAN} -N --no-discard-stderr -s 1 -m "User Commands" -S "mobileconfigc ${VERSION}"
              --version-string=${VERSION} -n "${description}" ${includes} -o ${OUT}/man/${name}.1 ${wrapper})
  file(READ ${OUT}/man/${name}.1 text)
  # help2man takes the build directory's path from the wrapper into nothing, but keep any
  # absolute path of the build out of the page.
  string(REPLACE "${OUT}/man/wrappers/" "" text "${text}")
  file(WRITE ${OUT}/man/${name}.1 "${text}")
  run_checked(gzip -9nf ${OUT}/man/${name}.1)
endforeach()
file(REMOVE_RECURSE ${OUT}/man/wrappers)
file(WRITE ${OUT}/stamp "")
