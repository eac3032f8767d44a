# cmake -DHOST=prog -DDEVICE="emulator;args;prog" -DOUT=prefix -P compare_outputs.cmake
# Runs the host build and the device build of one program, keeps both outputs (OUT.host.txt,
# OUT.device.txt) and fails unless both exit 0 and their stdout is identical byte for byte.
execute_process(COMMAND ${HOST} OUTPUT_FILE ${OUT}.host.txt RESULT_VARIABLE host_rc)
execute_process(COMMAND ${DEVICE} OUTPUT_FILE ${OUT}.device.txt ERROR_VARIABLE device_err
                RESULT_VARIABLE device_rc)
message(STATUS "device stderr: ${device_err}")
if(NOT host_rc EQUAL 0 OR NOT device_rc EQUAL 0)
  message(FATAL_ERROR "exit status: host ${host_rc}, device ${device_rc}")
endif()
file(READ ${OUT}.host.txt host)
file(READ ${OUT}.device.txt device)
if(NOT host STREQUAL device)
  string(LENGTH "${host}" host_n)
  string(LENGTH "${device}" device_n)
  message(FATAL_ERROR "outputs differ (${host_n} vs ${device_n} bytes): "
                      "diff ${OUT}.host.txt ${OUT}.device.txt")
endif()
string(REGEX MATCH "record [^\n]*" summary "${host}")
message(STATUS "identical: ${summary}")
