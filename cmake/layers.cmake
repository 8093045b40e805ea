# SPDX-License-Identifier: Apache-2.0
# The library is built in layers, one folder of src/ each (DESIGN.md, "Layers and layout").
# Each layer is an OBJECT library that declares what it links, as LLVM's lib/*/CMakeLists.txt
# do. A layer's headers are reachable only through an include root of its own,
# build/layers/<layer>/, which holds one link, <layer> → src/<layer>: a layer that does not
# link another cannot even include its headers, so a back edge fails to compile
# ("file not found"), and tests/CMakeLists.txt proves it with a deliberate one.

set(MCC_LAYERS "" CACHE INTERNAL "")

# mcc_add_layer(NAME [SOURCES extra.cpp...] [LINKS layer-or-target...] [PRIVATE_LINKS target...])
function(mcc_add_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;LINKS;PRIVATE_LINKS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  add_library(mcc_${name} OBJECT ${sources} ${L_SOURCES})
  set(root ${PROJECT_BINARY_DIR}/layers/${name})
  file(MAKE_DIRECTORY ${root})
  if(NOT EXISTS ${root}/${name})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${name} ${root}/${name} SYMBOLIC)
  endif()
  target_include_directories(mcc_${name} PUBLIC $<BUILD_INTERFACE:${root}>)
  target_link_libraries(mcc_${name} PUBLIC ${L_LINKS} PRIVATE ${L_PRIVATE_LINKS})
  target_compile_options(mcc_${name} PRIVATE -Wall -Wextra -Wpedantic)
  if(BUILD_SHARED_LIBS)
    set_target_properties(mcc_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  endif()
  set(MCC_LAYERS ${MCC_LAYERS} mcc_${name} CACHE INTERNAL "")
endfunction()
