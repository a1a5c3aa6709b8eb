# The installed library: one libearshot built from every layer's objects plus the two API front
# ends (bindings/cpp: the C++ facade's convenience functions, bindings/c: the C API), its public
# headers, a CMake package (find_package(earshot) -> earshot::earshot) and a pkg-config file.
#
#   <prefix>/include/earshot/earshot.hpp, earshot.h, version.h   what consumers include
#   <prefix>/include/earshot/<layer>/<file>.hpp                    the layer headers earshot.hpp
#                                                                  needs, with their include paths
#   <prefix>/lib/libearshot.so (+ .so.MAJOR.MINOR)                 shared: the C API's users, and C++
#   <prefix>/lib/libearshot.a                                      static (earshot::earshot_static)
#   <prefix>/lib/cmake/earshot/earshotConfig.cmake (+ Version, Targets)
#   <prefix>/lib/pkgconfig/earshot.pc
#
# Consumers add <prefix>/include and <prefix>/include/earshot to the include path (the package
# and the .pc file do): the first for <earshot/earshot.hpp>, the second for the layer headers'
# own "layer/file.hpp" includes. The library depends only on what the layers link (FFTW3, and
# toml++ where formats reads profiles), never on the CLI's libraries.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

configure_file(${PROJECT_SOURCE_DIR}/include/earshot/version.h.in ${PROJECT_BINARY_DIR}/include/earshot/version.h @ONLY)

# The layer headers earshot.hpp reaches through "layer/file.hpp" includes, transitively: those are
# installed, no others (a layer header the facade does not need is no part of the API). Read at
# configure time; the headers are configure dependencies, so a new include re-runs this.
function(earshot_public_headers out)
  set(queue ${PROJECT_SOURCE_DIR}/include/earshot/earshot.hpp)
  set(found "")
  while(queue)
    list(POP_FRONT queue file)
    set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]+\"[a-z_]+/[A-Za-z0-9_]+\\.hpp\"")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([a-z_]+/[A-Za-z0-9_]+\\.hpp)\".*" "\\1" rel "${line}")
      if(rel MATCHES "^earshot/")
        continue()
      endif()
      if(NOT EXISTS ${PROJECT_SOURCE_DIR}/src/${rel})
        message(FATAL_ERROR "public headers: ${file} includes \"${rel}\", which is not in src/")
      endif()
      if(NOT rel IN_LIST found)
        list(APPEND found ${rel})
        list(APPEND queue ${PROJECT_SOURCE_DIR}/src/${rel})
      endif()
    endforeach()
  endwhile()
  list(SORT found)
  set(${out} ${found} PARENT_SCOPE)
endfunction()
earshot_public_headers(EARSHOT_PUBLIC_LAYER_HEADERS)

# Every layer with sources contributes its objects (compiled once, position-independent: see
# CMAKE_POSITION_INDEPENDENT_CODE) to both libraries.
set(earshot_layer_objects "")
foreach(layer IN LISTS EARSHOT_LAYERS)
  get_target_property(type earshot_${layer} TYPE)
  if(type STREQUAL "STATIC_LIBRARY")
    list(APPEND earshot_layer_objects $<TARGET_OBJECTS:earshot_${layer}>)
  endif()
endforeach()

# The libraries the layers link besides each other (today FFTW3; formats may add toml++): the
# shared library links them privately, the static one publicly, and the package and the .pc file
# ask for them under the names pkg-config knows them by (<prefix>_MODULE_NAME of
# pkg_check_modules). A layer linking anything else stops the configure step here, so a new
# dependency cannot slip out of the installed package unnoticed.
set(earshot_external_libs "")
set(EARSHOT_PKG_DEPENDENCIES "")   # PREFIX:module pairs, for earshotConfig.cmake
set(EARSHOT_PC_REQUIRES "")        # module names, for earshot.pc
foreach(layer IN LISTS EARSHOT_LAYERS)
  get_target_property(libs earshot_${layer} INTERFACE_LINK_LIBRARIES)
  if(NOT libs)
    continue()
  endif()
  foreach(lib IN LISTS libs)
    if(lib MATCHES "^earshot_" OR lib IN_LIST earshot_external_libs)
      continue()
    endif()
    string(REGEX REPLACE "^PkgConfig::" "" prefix "${lib}")
    if(NOT prefix STREQUAL lib AND DEFINED ${prefix}_MODULE_NAME)
      list(APPEND earshot_external_libs ${lib})
      list(APPEND EARSHOT_PKG_DEPENDENCIES "${prefix}:${${prefix}_MODULE_NAME}")
      list(APPEND EARSHOT_PC_REQUIRES ${${prefix}_MODULE_NAME})
    else()
      message(FATAL_ERROR "layer ${layer} links ${lib}: the installed library (cmake/EarshotLibrary.cmake) "
                          "knows how to pass on only pkg-config dependencies (pkg_check_modules IMPORTED_TARGET)")
    endif()
  endforeach()
endforeach()
list(JOIN EARSHOT_PC_REQUIRES " " EARSHOT_PC_REQUIRES)

add_library(earshot_api OBJECT bindings/cpp/earshot.cpp bindings/c/earshot_c.cpp)
target_include_directories(earshot_api PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
target_link_libraries(earshot_api PRIVATE earshot_formats)

set(earshot_public_includes
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/earshot>)

# The CLI's executable is already called earshot, so the library's targets have other names and
# take earshot as their file and exported names.
add_library(earshot_library SHARED $<TARGET_OBJECTS:earshot_api> ${earshot_layer_objects})
target_include_directories(earshot_library PUBLIC ${earshot_public_includes})
target_link_libraries(earshot_library PRIVATE ${earshot_external_libs})
target_compile_features(earshot_library PUBLIC cxx_std_20)
# Pre-1.0, a minor version may change the ABI: the soname carries MAJOR.MINOR.
set_target_properties(earshot_library PROPERTIES
  OUTPUT_NAME earshot EXPORT_NAME earshot
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
# Not found at link time is an error here, not in a consumer's link. Except in clang's sanitizer
# tree (scripts/sanitize.sh): clang leaves the sanitizer and coverage runtimes out of shared
# libraries, for the executable that loads them to provide.
if(NOT (EARSHOT_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang"))
  target_link_options(earshot_library PRIVATE "LINKER:--no-undefined")
endif()
add_library(earshot::earshot ALIAS earshot_library)

add_library(earshot_static STATIC $<TARGET_OBJECTS:earshot_api> ${earshot_layer_objects})
target_include_directories(earshot_static PUBLIC ${earshot_public_includes})
target_link_libraries(earshot_static PUBLIC ${earshot_external_libs})
target_compile_features(earshot_static PUBLIC cxx_std_20)
set_target_properties(earshot_static PROPERTIES OUTPUT_NAME earshot EXPORT_NAME earshot_static)
add_library(earshot::earshot_static ALIAS earshot_static)

install(FILES include/earshot/earshot.hpp include/earshot/earshot.h ${PROJECT_BINARY_DIR}/include/earshot/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/earshot COMPONENT development)
foreach(rel IN LISTS EARSHOT_PUBLIC_LAYER_HEADERS)
  get_filename_component(dir ${rel} DIRECTORY)
  install(FILES src/${rel} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/earshot/${dir} COMPONENT development)
endforeach()

install(TARGETS earshot_library EXPORT earshotTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development)
install(TARGETS earshot_static EXPORT earshotStaticTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
set(earshot_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/earshot)
install(EXPORT earshotTargets NAMESPACE earshot:: DESTINATION ${earshot_cmake_dir} COMPONENT development)
install(EXPORT earshotStaticTargets NAMESPACE earshot:: DESTINATION ${earshot_cmake_dir} COMPONENT development)
configure_package_config_file(cmake/earshotConfig.cmake.in ${PROJECT_BINARY_DIR}/earshotConfig.cmake
                              INSTALL_DESTINATION ${earshot_cmake_dir})
# Pre-1.0, only the same MAJOR.MINOR is compatible (the soname says the same).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/earshotConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/earshotConfig.cmake ${PROJECT_BINARY_DIR}/earshotConfigVersion.cmake
        DESTINATION ${earshot_cmake_dir} COMPONENT development)

file(RELATIVE_PATH EARSHOT_PC_PREFIX_FROM_PCDIR /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" EARSHOT_PC_PREFIX_FROM_PCDIR "${EARSHOT_PC_PREFIX_FROM_PCDIR}")
configure_file(cmake/earshot.pc.in ${PROJECT_BINARY_DIR}/earshot.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/earshot.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)
