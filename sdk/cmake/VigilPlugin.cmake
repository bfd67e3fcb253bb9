# SPDX-License-Identifier: Apache-2.0
# Building vigil plugins: BPF objects compiled with clang and embedded through
# an embedding of the compiled object, and the plugin shared object itself.
#
#   vigil_add_plugin(<name> SOURCES a.cpp b.cpp)
#   vigil_add_bpf_object(<name> SOURCE x.bpf.c)   # adds x.skel.h to <name>'s includes
#
# Used in-tree and, installed with the SDK, by out-of-tree plugins through
# find_package(vigil_sdk). Expects the target vigil::sdk to exist.

find_program(VIGIL_BPF_CLANG NAMES clang clang-16 clang-15 clang-14 REQUIRED)
find_program(VIGIL_LLVM_STRIP NAMES llvm-strip llvm-strip-16 llvm-strip-15 llvm-strip-14)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(VIGIL_BPF_TARGET_ARCH x86 CACHE INTERNAL "BPF target architecture")
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  set(VIGIL_BPF_TARGET_ARCH arm64 CACHE INTERNAL "BPF target architecture")
else()
  message(FATAL_ERROR "vigil: no BPF target architecture for ${CMAKE_SYSTEM_PROCESSOR}")
endif()

# The multiarch include directory holds <asm/types.h>, which <linux/types.h> needs.
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-multiarch
                OUTPUT_VARIABLE VIGIL_MULTIARCH OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT VIGIL_MULTIARCH)
  set(VIGIL_MULTIARCH "${CMAKE_SYSTEM_PROCESSOR}-linux-gnu")
endif()
set(VIGIL_MULTIARCH "${VIGIL_MULTIARCH}" CACHE INTERNAL "multiarch tuple for <asm/types.h>")

# Where plugins land; the sensor's default plugin directory in a build tree.
if(NOT DEFINED VIGIL_PLUGIN_OUTPUT_DIRECTORY)
  set(VIGIL_PLUGIN_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib/vigil/plugins" CACHE INTERNAL "where plugins are built")
endif()

# The embedding script, next to this file both in the source tree and when installed.
set(VIGIL_EMBED_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/VigilEmbed.cmake" CACHE INTERNAL "BPF object embedding script")

# vigil_add_bpf_object(<target> SOURCE <file.bpf.c> [NAME <name>] [INCLUDE_DIRECTORIES ...])
# Compiles the program for the BPF target with CO-RE relocations, strips DWARF
# (BTF stays: CO-RE needs it), and generates "<name>.skel.h" whose
# <name>__elf_bytes() returns the object for vigil::bpf_object(). Only the
# bytes are embedded, not a libbpf skeleton: the sensor does all the loading.
function(vigil_add_bpf_object target)
  cmake_parse_arguments(ARG "" "SOURCE;NAME" "INCLUDE_DIRECTORIES" ${ARGN})
  if(NOT ARG_SOURCE)
    message(FATAL_ERROR "vigil_add_bpf_object(${target}): SOURCE is required")
  endif()
  get_filename_component(source "${ARG_SOURCE}" ABSOLUTE)
  if(NOT ARG_NAME)
    get_filename_component(ARG_NAME "${source}" NAME_WE)
  endif()

  set(output_dir "${CMAKE_CURRENT_BINARY_DIR}/bpf")
  set(object "${output_dir}/${ARG_NAME}.bpf.o")
  set(skeleton "${output_dir}/${ARG_NAME}.skel.h")

  get_target_property(sdk_includes vigil::sdk INTERFACE_INCLUDE_DIRECTORIES)
  set(include_flags)
  foreach(dir IN LISTS sdk_includes ARG_INCLUDE_DIRECTORIES)
    string(REGEX REPLACE "^\\$<BUILD_INTERFACE:(.*)>$" "\\1" dir "${dir}")
    if(dir MATCHES "^\\$<")
      continue()
    endif()
    list(APPEND include_flags "-I${dir}")
  endforeach()
  get_filename_component(source_dir "${source}" DIRECTORY)
  list(APPEND include_flags "-I${source_dir}" "-I/usr/include/${VIGIL_MULTIARCH}")

  set(strip_command)
  if(VIGIL_LLVM_STRIP)
    set(strip_command COMMAND ${VIGIL_LLVM_STRIP} -g "${object}")
  endif()

  add_custom_command(
    OUTPUT "${object}" "${skeleton}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${output_dir}"
    COMMAND ${VIGIL_BPF_CLANG} -g -O2 -target bpf -D__TARGET_ARCH_${VIGIL_BPF_TARGET_ARCH}
            -Wall -Werror -Wno-unused-function ${include_flags} -MD -MF "${object}.d"
            -c "${source}" -o "${object}"
    ${strip_command}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${object} -DOUTPUT=${skeleton} -DNAME=${ARG_NAME} -P ${VIGIL_EMBED_SCRIPT}
    DEPENDS "${source}" "${VIGIL_EMBED_SCRIPT}"
    DEPFILE "${object}.d"
    COMMENT "BPF ${ARG_NAME}.bpf.c"
    VERBATIM)
  add_custom_target(${target}_${ARG_NAME}_bpf DEPENDS "${skeleton}")
  add_dependencies(${target} ${target}_${ARG_NAME}_bpf)
  target_include_directories(${target} PRIVATE "${output_dir}")
endfunction()

# vigil_add_plugin(<name> SOURCES ...): a plugin shared object "<name>.so".
function(vigil_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE vigil::sdk)
  target_compile_features(${name} PRIVATE cxx_std_20)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "${name}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${VIGIL_PLUGIN_OUTPUT_DIRECTORY}")
  # Only the entry point is exported; everything else stays inside the plugin.
  target_link_options(${name} PRIVATE "LINKER:--no-undefined" "LINKER:-z,defs")
endfunction()

# Where plugin commands land: what `vigil <name>` runs in a build tree.
if(NOT DEFINED VIGIL_COMMAND_OUTPUT_DIRECTORY)
  set(VIGIL_COMMAND_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib/vigil/commands" CACHE INTERNAL "where plugin commands are built")
endif()

# vigil_add_plugin_command(<target> [NAME <name>]): makes the executable
# <target> a plugin command, "vigil-<name>" (NAME defaults to the target's
# name less a "vigil-" or "vigil_" prefix). `vigil <name> ARGS...` runs it with
# ARGS unchanged, VIGIL_STATE_DIRECTORY set to [sensor] state_directory and
# VIGIL_CONFIG to the configuration file. Installed when VIGIL_INSTALL_PLUGINS
# is on, to lib/vigil/commands under the prefix: where the sensor looks, beside
# its bin/ (not CMAKE_INSTALL_LIBDIR, which may be lib64 or lib/<multiarch>).
function(vigil_add_plugin_command target)
  cmake_parse_arguments(ARG "" "NAME" "" ${ARGN})
  if(NOT TARGET ${target})
    message(FATAL_ERROR "vigil_add_plugin_command(${target}): no such target; add_executable() it first")
  endif()
  if(NOT ARG_NAME)
    string(REGEX REPLACE "^vigil[-_]" "" ARG_NAME "${target}")
  endif()
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME "vigil-${ARG_NAME}"
    RUNTIME_OUTPUT_DIRECTORY "${VIGIL_COMMAND_OUTPUT_DIRECTORY}")
  if(VIGIL_INSTALL_PLUGINS)
    install(TARGETS ${target} RUNTIME DESTINATION "lib/vigil/commands")
  endif()
endfunction()
