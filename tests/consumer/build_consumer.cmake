# ctest fixture (tests/CMakeLists.txt, test consumer_build): installs the built library into a
# fresh temporary prefix, then configures and builds tests/consumer against that prefix only, as
# a project outside the tree would (find_package(earshot) and pkg-config earshot).
# WORK_DIR gets one empty folder per consumer program for its CLI renders (cpp, cpp_static, c).
#   cmake -DBUILD_DIR=... -DPREFIX=... -DSOURCE_DIR=... -DCONSUMER_BUILD=... -DWORK_DIR=... -P build_consumer.cmake
foreach(var BUILD_DIR PREFIX SOURCE_DIR CONSUMER_BUILD WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "build_consumer.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE ${PREFIX} ${CONSUMER_BUILD} ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/cpp ${WORK_DIR}/cpp_static ${WORK_DIR}/c)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} COMMAND_ERROR_IS_FATAL ANY)
# The package must not need anything from the build or source tree: no absolute path to them.
file(GLOB_RECURSE installed_cmake ${PREFIX}/lib/cmake/earshot/*.cmake ${PREFIX}/lib/pkgconfig/earshot.pc)
foreach(file IN LISTS installed_cmake)
  file(READ ${file} text)
  string(FIND "${text}" "${BUILD_DIR}" at_build)
  get_filename_component(source_root ${SOURCE_DIR}/../.. ABSOLUTE)
  string(FIND "${text}" "${source_root}/src" at_source)
  if(NOT at_build EQUAL -1 OR NOT at_source EQUAL -1)
    message(FATAL_ERROR "${file} refers to the build or source tree")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${CONSUMER_BUILD} -DCMAKE_BUILD_TYPE=Release
                        -DCMAKE_PREFIX_PATH=${PREFIX} COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${CONSUMER_BUILD} COMMAND_ERROR_IS_FATAL ANY)
