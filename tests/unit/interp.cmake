# Unit tests of the runtime objects and the interpreter tier.
# Included by tests/unit/CMakeLists.txt (include(interp.cmake)).

add_executable(test_interp_runtime ${CMAKE_CURRENT_LIST_DIR}/interp_runtime.c)
target_link_libraries(test_interp_runtime PRIVATE wtengine)
add_test(NAME unit-interp-runtime COMMAND test_interp_runtime)

# The dispatch loop has two forms (computed goto, and the portable switch
# selected by INTERP_USE_SWITCH); both must keep working, so the switch
# form is built from the engine's sources again and run on the same tests
# and, when the runner exists, on the whole spec suite.
get_target_property(wt_interp_engine_sources wtengine SOURCES)
add_library(wtengine_switch STATIC EXCLUDE_FROM_ALL ${wt_interp_engine_sources})
target_compile_definitions(wtengine_switch PRIVATE INTERP_USE_SWITCH)
target_include_directories(wtengine_switch PUBLIC ${CMAKE_SOURCE_DIR}/include
                                                  ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(wtengine_switch PUBLIC m)

add_executable(test_interp_runtime_switch ${CMAKE_CURRENT_LIST_DIR}/interp_runtime.c)
target_link_libraries(test_interp_runtime_switch PRIVATE wtengine_switch)
add_test(NAME unit-interp-runtime-switch COMMAND test_interp_runtime_switch)

# SIMD: v128.h lane semantics and the packed v128 slot layout, both forms.
add_executable(test_interp_simd ${CMAKE_CURRENT_LIST_DIR}/interp_simd.c)
target_include_directories(test_interp_simd PRIVATE ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(test_interp_simd PRIVATE wtengine m)
add_test(NAME unit-interp-simd COMMAND test_interp_simd)
add_executable(test_interp_simd_switch ${CMAKE_CURRENT_LIST_DIR}/interp_simd.c)
target_link_libraries(test_interp_simd_switch PRIVATE wtengine_switch m)
add_test(NAME unit-interp-simd-switch COMMAND test_interp_simd_switch)
# A mistranslated branch tends to loop forever rather than fail.
set_tests_properties(unit-interp-simd unit-interp-simd-switch PROPERTIES TIMEOUT 60)

if(TARGET spectest AND DEFINED WT_SPEC_DIR AND EXISTS "${WT_SPEC_DIR}/README.md")
  get_target_property(wt_interp_spec_dir spectest SOURCE_DIR)
  get_target_property(wt_interp_spec_sources spectest SOURCES)
  set(wt_interp_spec_abs)
  foreach(src IN LISTS wt_interp_spec_sources)
    if(IS_ABSOLUTE "${src}")
      list(APPEND wt_interp_spec_abs "${src}")
    else()
      list(APPEND wt_interp_spec_abs "${wt_interp_spec_dir}/${src}")
    endif()
  endforeach()
  add_executable(spectest_switch ${wt_interp_spec_abs})
  target_include_directories(spectest_switch PRIVATE ${wt_interp_spec_dir})
  target_link_libraries(spectest_switch PRIVATE wtengine_switch)
  add_test(NAME spectest-all-switch COMMAND spectest_switch "${WT_SPEC_DIR}")
  set_tests_properties(spectest-all-switch PROPERTIES TIMEOUT 1800
    PASS_REGULAR_EXPRESSION "(^|\n)52804 passed, 0 failed, 1077 skipped\n")
  # tests/spec/fusions (converted by tests/spec) in the switch form too.
  if(TARGET spectest_fusion_data)
    add_dependencies(spectest_switch spectest_fusion_data)
    add_test(NAME spectest-fusions-switch
             COMMAND spectest_switch ${CMAKE_BINARY_DIR}/tests/spec/fusions)
    set_tests_properties(spectest-fusions-switch PROPERTIES
      PASS_REGULAR_EXPRESSION "(^|\n)123 passed, 0 failed\n$")
  endif()
endif()

foreach(t test_interp_runtime test_interp_runtime_switch test_interp_simd test_interp_simd_switch)
  target_include_directories(${t} PRIVATE ${CMAKE_SOURCE_DIR}/tests/common)
endforeach()
