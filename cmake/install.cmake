# SPDX-License-Identifier: Apache-2.0
# What `cmake --install` and `cpack -G DEB` deliver (issue 16), in three components:
#   tool  the executable, its man pages, shell completions, LICENSE and NOTICE
#   lib   libmobileconfigc.so.* (BUILD_SHARED_LIBS=ON only)
#   dev   the public headers, libmobileconfigc.a (or the .so link), the CMake package
#         (find_package(mobileconfigc) → mobileconfigc::mobileconfigc) and mobileconfigc.pc
include(CMakePackageConfigHelpers)

# ---- man pages and completions, generated from the built tool -------------------------------
set(MCC_DOCS_DIR ${PROJECT_BINARY_DIR}/docs)
find_program(MCC_HELP2MAN help2man)
# Sanitizer and fuzzing builds make no documents: nothing installs or packages them.
set(MCC_DOCS_EFFECTIVE OFF)
if(MCC_DOCS AND NOT MCC_SANITIZE AND NOT MCC_FUZZ AND NOT CMAKE_CROSSCOMPILING)
  set(MCC_DOCS_EFFECTIVE ON)
endif()
if(MCC_DOCS_EFFECTIVE)
  file(GLOB MCC_MAN_INCLUDES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/man/*.h2m)
  set(mcc_date_env)
  if(DEFINED ENV{SOURCE_DATE_EPOCH})
    set(mcc_date_env SOURCE_DATE_EPOCH=$ENV{SOURCE_DATE_EPOCH})
  endif()
  add_custom_command(
    OUTPUT ${MCC_DOCS_DIR}/stamp
    COMMAND ${CMAKE_COMMAND} -E env ${mcc_date_env}
            ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:mobileconfigc> -DOUT=${MCC_DOCS_DIR} -DVERSION=${PROJECT_VERSION}
            -DSRC=${PROJECT_SOURCE_DIR} -DHELP2MAN=${MCC_HELP2MAN} -P ${PROJECT_SOURCE_DIR}/cmake/generate-docs.cmake
    DEPENDS mobileconfigc ${PROJECT_SOURCE_DIR}/cmake/generate-docs.cmake ${MCC_MAN_INCLUDES}
    COMMENT "Generating man pages and shell completions" VERBATIM)
  add_custom_target(mobileconfigc_docs ALL DEPENDS ${MCC_DOCS_DIR}/stamp)
  install(DIRECTORY ${MCC_DOCS_DIR}/man/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tool
          FILES_MATCHING PATTERN "*.1.gz")
  install(FILES ${MCC_DOCS_DIR}/completions/mobileconfigc
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT tool)
  install(FILES ${MCC_DOCS_DIR}/completions/_mobileconfigc
          DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT tool)
  install(FILES ${MCC_DOCS_DIR}/completions/mobileconfigc.fish
          DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d COMPONENT tool)
endif()

# ---- the tool -------------------------------------------------------------------------------
install(TARGETS mobileconfigc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tool)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright COMPONENT tool)
install(FILES ${PROJECT_SOURCE_DIR}/NOTICE DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT tool)
# What --json writes, for script authors: the description and its JSON Schema.
install(FILES ${PROJECT_SOURCE_DIR}/docs/json.md ${PROJECT_SOURCE_DIR}/docs/json/mobileconfigc.schema.json
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT tool)

# ---- the library ----------------------------------------------------------------------------
install(TARGETS mobileconfigc_lib EXPORT mobileconfigcTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib NAMELINK_COMPONENT dev)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/mobileconfigc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
        FILES_MATCHING PATTERN "*.hpp")
set(MCC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mobileconfigc)
install(EXPORT mobileconfigcTargets NAMESPACE mobileconfigc:: DESTINATION ${MCC_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mobileconfigcConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mobileconfigcConfig.cmake INSTALL_DESTINATION ${MCC_CMAKE_DIR})
# 0.x: a new minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mobileconfigcConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mobileconfigcConfig.cmake ${PROJECT_BINARY_DIR}/mobileconfigcConfigVersion.cmake
        DESTINATION ${MCC_CMAKE_DIR} COMPONENT dev)

# pkg-config: paths relative to the .pc file, so that `cmake --install --prefix P` works for
# any P, not only the prefix configured here.
file(RELATIVE_PATH MCC_PC_UP /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" MCC_PC_UP "${MCC_PC_UP}")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  file(RELATIVE_PATH MCC_PC_LIBDIR ${CMAKE_INSTALL_PREFIX} ${CMAKE_INSTALL_LIBDIR})
else()
  set(MCC_PC_LIBDIR ${CMAKE_INSTALL_LIBDIR})
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/mobileconfigc.pc.in ${PROJECT_BINARY_DIR}/mobileconfigc.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mobileconfigc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# ---- the Debian package (cpack -G DEB) ------------------------------------------------------
set(CPACK_PACKAGE_NAME mobileconfigc)
set(CPACK_PACKAGE_VENDOR "mobileconfigc")
# The .deb's Maintainer field: whoever builds and ships the package sets it
# (-DMCC_DEB_MAINTAINER="Name <mail>"); the default says plainly that nobody does yet.
set(MCC_DEB_MAINTAINER "mobileconfigc maintainers <maintainers@mobileconfigc.invalid>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${MCC_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL tool dev)
if(BUILD_SHARED_LIBS)
  list(APPEND CPACK_COMPONENTS_ALL lib)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)  # debug information stays in the build tree
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends from dpkg-shlibdeps (package dpkg-dev)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_TOOL_PACKAGE_NAME mobileconfigc)
set(CPACK_DEBIAN_TOOL_DESCRIPTION "Compiles Intune Graph JSON to Apple configuration profiles
 mobileconfigc compiles Microsoft Graph (Intune) device configuration JSON (VPN, SCEP and
 trusted root certificate profiles) into Apple configuration profiles (.mobileconfig), and
 signs, verifies, inspects and validates profiles.")
set(CPACK_DEBIAN_LIB_PACKAGE_NAME libmobileconfigc${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmobileconfigc-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION "Intune Graph JSON to Apple configuration profiles (development files)
 The mobileconfigc library: headers, CMake package (find_package(mobileconfigc)) and
 pkg-config file.")
if(BUILD_SHARED_LIBS)
  set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libmobileconfigc${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR} (= ${PROJECT_VERSION})")
else()
  # A static library leaves its dependencies to the program that links it.
  set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libplist-dev (>= 2.2), libssl-dev (>= 3.0)")
endif()
include(CPack)
