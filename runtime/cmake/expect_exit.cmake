# cmake -DCOMMAND="prog;arg;..." -DEXIT_CODE=N -DSTDERR_REGEX=RE -P expect_exit.cmake
# Runs COMMAND and fails unless it exits with EXIT_CODE and its stderr matches STDERR_REGEX: the
# CLI-style tests of the host tools' bad input.
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL "${EXIT_CODE}")
  message(FATAL_ERROR "exit ${rc}, expected ${EXIT_CODE}; stderr: ${err}")
endif()
if(NOT err MATCHES "${STDERR_REGEX}")
  message(FATAL_ERROR "stderr '${err}' does not match '${STDERR_REGEX}'")
endif()
