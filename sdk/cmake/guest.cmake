# guest.cmake — building wasm32-wasi guest programs inside this project.
#
#   wt_add_guest(NAME SOURCES a.c b.c [FLAGS -O3 ...] [DEPENDS ...] [OPT] [SDK])
#
# compiles the sources with clang-14 for wasm32-wasi against Debian's
# wasi-libc (sysroot /usr) into ${CMAKE_BINARY_DIR}/guests/NAME.wasm, adds a
# target `guest_NAME` built by default, and runs wasm-opt -O2 on it when OPT
# is given and wasm-opt exists. sdk/include is on the include path.
# SDK also compiles the guest helper library (wasitorch_sdk.h) into the
# guest; its sources are listed in WT_SDK_SOURCES for other build glue.
find_program(WT_WASM_CC NAMES clang-14 clang REQUIRED)
find_program(WT_WASM_OPT NAMES wasm-opt)
set(WT_WASI_SYSROOT /usr CACHE PATH "sysroot holding wasi-libc (include/wasm32-wasi, lib/wasm32-wasi)")
set(WT_GUEST_DIR ${CMAKE_BINARY_DIR}/guests)
file(MAKE_DIRECTORY ${WT_GUEST_DIR})
set(WT_SDK_INCLUDE_DIR ${CMAKE_CURRENT_LIST_DIR}/../include)
get_filename_component(WT_SDK_INCLUDE_DIR ${WT_SDK_INCLUDE_DIR} ABSOLUTE)
get_filename_component(_wt_sdk_lib ${CMAKE_CURRENT_LIST_DIR}/../lib ABSOLUTE)
set(WT_SDK_SOURCES ${_wt_sdk_lib}/wts_util.c ${_wt_sdk_lib}/wts_file.c
    ${_wt_sdk_lib}/wts_post.c ${_wt_sdk_lib}/wts_nn.c ${_wt_sdk_lib}/wts_cli.c)
set(WT_SDK_HEADERS ${WT_SDK_INCLUDE_DIR}/wasi_nn.h
    ${WT_SDK_INCLUDE_DIR}/wasitorch_sdk.h)

function(wt_add_guest name)
  cmake_parse_arguments(G "OPT;SDK" "" "SOURCES;FLAGS;DEPENDS" ${ARGN})
  set(out ${WT_GUEST_DIR}/${name}.wasm)
  set(srcs "")
  foreach(s IN LISTS G_SOURCES)
    get_filename_component(abs ${s} ABSOLUTE)
    list(APPEND srcs ${abs})
  endforeach()
  if(G_SDK)
    list(APPEND srcs ${WT_SDK_SOURCES})
  endif()
  set(cmds COMMAND ${WT_WASM_CC} --target=wasm32-wasi --sysroot=${WT_WASI_SYSROOT}
           -O2 -Wall -Wextra -Werror -I${CMAKE_SOURCE_DIR}/sdk/include ${G_FLAGS}
           ${srcs} -o ${out})
  if(G_OPT AND WT_WASM_OPT)
    list(APPEND cmds COMMAND ${WT_WASM_OPT} -O2 ${out} -o ${out})
  endif()
  add_custom_command(OUTPUT ${out} ${cmds} DEPENDS ${srcs} ${WT_SDK_HEADERS} ${G_DEPENDS}
                     COMMENT "wasm32-wasi guest ${name}.wasm" VERBATIM)
  add_custom_target(guest_${name} ALL DEPENDS ${out})
endfunction()
