# cmake -DBUILD_DIR=<physiolite build> -DCONSUMER=<tests/package/consumer> -DWORK=<scratch>
#       -P run_package_test.cmake
# Installs the build into WORK/prefix, then configures, builds and runs the consumer project
# against it with only CMAKE_PREFIX_PATH pointing there.
file(REMOVE_RECURSE ${WORK})
foreach(step
    "${CMAKE_COMMAND};--install;${BUILD_DIR};--prefix;${WORK}/prefix"
    "${CMAKE_COMMAND};-S;${CONSUMER};-B;${WORK}/build;-DCMAKE_PREFIX_PATH=${WORK}/prefix;-G;Ninja"
    "${CMAKE_COMMAND};--build;${WORK}/build"
    "${WORK}/build/consumer")
  execute_process(COMMAND ${step} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${step}: exit ${rc}\n${out}\n${err}")
  endif()
endforeach()
message("${out}")
