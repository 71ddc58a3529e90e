# mockloop_warnings(target): strict warnings for project code only (third-party headers
# are included as SYSTEM so they never trip -Werror).
function(mockloop_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter
    # GCC 12 reports false positives for these at -O2/-O3 inside libstdc++ (GCC PR105329, PR105651).
    $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict -Wno-maybe-uninitialized -Wno-stringop-overflow>)
endfunction()

# mockloop_module(<name> [EXCLUDE files...] [DEPS libs...]): a static library mockloop_<name>
# from every .cpp in the calling folder (server/<name>/) but the EXCLUDE ones, with server/
# as its include root ("crdt/doc.hpp").
function(mockloop_module name)
  cmake_parse_arguments(M "" "" "EXCLUDE;DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
  foreach(x ${M_EXCLUDE})
    list(REMOVE_ITEM srcs ${CMAKE_CURRENT_SOURCE_DIR}/${x})
  endforeach()
  if(NOT srcs)
    return()
  endif()
  add_library(mockloop_${name} STATIC ${srcs})
  target_include_directories(mockloop_${name} PUBLIC ${PROJECT_SOURCE_DIR}/server)
  target_link_libraries(mockloop_${name} PUBLIC ${M_DEPS})
  mockloop_warnings(mockloop_${name})
endfunction()

# mockloop_module_tests(<name> [DEPS libs...]): one gtest binary <name>_tests from every
# *_test.cpp in the calling folder (tests/<name>/), registered with CTest. Tests run with
# the source tree's tests/ folder as MOCKLOOP_TESTS_DIR so they can find fixtures.
function(mockloop_module_tests name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(NOT srcs OR NOT TARGET mockloop_${name})
    return()
  endif()
  add_executable(${name}_tests ${srcs})
  target_link_libraries(${name}_tests PRIVATE mockloop_${name} ${M_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name}_tests PRIVATE MOCKLOOP_TESTS_DIR="${PROJECT_SOURCE_DIR}/tests"
    MOCKLOOP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  mockloop_warnings(${name}_tests)
  gtest_discover_tests(${name}_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${name})
endfunction()
