# adloom_add_test(NAME <target> LABEL <unit|integration|api> SOURCES <files...>)
# One GoogleTest executable per tier; every test case becomes its own CTest test
# (gtest_discover_tests), labelled so `ctest -L unit` runs one tier.
include(GoogleTest)

function(adloom_add_test)
  cmake_parse_arguments(T "" "NAME;LABEL" "SOURCES" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE adloom_core adloom_test_support GTest::gtest GTest::gmock GTest::gtest_main)
  # Tests build specs with C++20 designated initialisers, leaving the rest defaulted.
  target_compile_options(${T_NAME} PRIVATE -Wno-missing-field-initializers)
  # LeakSanitizer ignores leaks inside system libraries listed in tests/lsan.supp; the
  # servers the api tests start inherit the setting.
  gtest_discover_tests(${T_NAME}
    PROPERTIES LABELS ${T_LABEL}
               ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp"
    DISCOVERY_TIMEOUT 60)
endfunction()
