# Shared build helpers: warnings, sanitizers, and one static library per module.

set(PHYSIOLITE_SHARED_DATA_DEFAULT "${PROJECT_SOURCE_DIR}/../shared/data")
# Only the one file that falls back to it sees the checkout's path, so every other object is the
# same in any checkout and ccache (CCACHE_BASEDIR) shares it between clones and worktrees.
set_source_files_properties(${PROJECT_SOURCE_DIR}/src/core/data_dir.cpp PROPERTIES
  COMPILE_DEFINITIONS PHYSIOLITE_SHARED_DATA_DEFAULT="${PHYSIOLITE_SHARED_DATA_DEFAULT}")

if(PHYSIOLITE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(PHYSIOLITE_FUZZ)
  # Every object is instrumented for coverage; only the fuzz targets link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

function(physiolite_warnings target)
  # -Winvalid-pch: a target that cannot use the shared torch/torch.h PCH says so (and fails
  # under -Werror) instead of silently parsing the header again.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Winvalid-pch)
  if(PHYSIOLITE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# physiolite_module(<name> DEPS <targets...>): library physiolite_<name> from src/<name>/*.cpp
# (fuzz entry points excluded), public headers in include/physiolite/<name>/.
function(physiolite_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "_fuzz\\.cpp$")
  if(NOT sources)
    # Header-only so far: still a target, so that dependants link the same way.
    add_library(physiolite_${name} INTERFACE)
    target_include_directories(physiolite_${name} INTERFACE ${PROJECT_SOURCE_DIR}/include)
    target_link_libraries(physiolite_${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(physiolite_${name} STATIC ${sources})
  target_include_directories(physiolite_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(physiolite_${name} PUBLIC ${ARG_DEPS})
  physiolite_warnings(physiolite_${name})
endfunction()
