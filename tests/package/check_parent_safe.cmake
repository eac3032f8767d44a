# cmake -DSOURCE_DIR=<repository> -P check_parent_safe.cmake
# Fails if a CMake file that a parent project's add_subdirectory(physiolite) would process reads
# CMAKE_SOURCE_DIR or CMAKE_BINARY_DIR: inside a parent they are the parent's folders, so paths
# built from them point outside this project. PROJECT_SOURCE_DIR / PROJECT_BINARY_DIR or
# CMAKE_CURRENT_* are meant. (fuzz/ is left out: PHYSIOLITE_FUZZ is a top-level clang build.)
file(GLOB_RECURSE files ${SOURCE_DIR}/CMakeLists.txt ${SOURCE_DIR}/*.cmake)
set(failures "")
foreach(f ${files})
  if(f MATCHES "^${SOURCE_DIR}/(build|fuzz)/")
    continue()
  endif()
  file(STRINGS ${f} lines)
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    string(REGEX REPLACE "#.*" "" code "${line}")
    if(code MATCHES "CMAKE_(SOURCE|BINARY)_DIR")
      string(APPEND failures "${f}:${n}: ${line}\n")
    endif()
  endforeach()
endforeach()
if(failures)
  message(FATAL_ERROR "CMAKE_(SOURCE|BINARY)_DIR in files a parent project includes:\n"
                      "${failures}")
endif()
message("no CMAKE_(SOURCE|BINARY)_DIR outside fuzz/")
