# The CMSIS-NN comparison program of bench/run_cmsis_nn.sh (bench/cmsis_nn_layers.c), in the
# cross builds only and only on demand (not part of `all`): Arm's CMSIS-NN, the int8 kernels of
# TFLite Micro on Cortex-M, compiled from its own folder (PLRT_CMSIS_NN_DIR, default
# ../shared/tools/cmsis-nn beside the repository; never copied into the repository) with this
# build's flags (the presets' Release: -O3, as ours), so that it gets the same core's DSP or Helium (MVE) code paths as ours.
# Included by runtime/CMakeLists.txt before the board settings.
get_filename_component(plrt_default_cmsis_nn ${CMAKE_CURRENT_SOURCE_DIR}/../../shared/tools/cmsis-nn
                       ABSOLUTE)
set(PLRT_CMSIS_NN_DIR ${plrt_default_cmsis_nn} CACHE PATH
    "Arm CMSIS-NN source folder (Include/, Source/) for the comparison benchmark")
if(NOT EXISTS ${PLRT_CMSIS_NN_DIR}/Include/arm_nnfunctions.h)
  message(STATUS "CMSIS-NN benchmark: skipped (no ${PLRT_CMSIS_NN_DIR}/Include/arm_nnfunctions.h)")
  return()
endif()

# Its int8 kernels and their support functions (the linker keeps what the program calls).
file(GLOB plrt_cmsis_nn_sources ${PLRT_CMSIS_NN_DIR}/Source/*/*_s8*.c
     ${PLRT_CMSIS_NN_DIR}/Source/NNSupportFunctions/*.c)
list(FILTER plrt_cmsis_nn_sources EXCLUDE REGEX "_(f16|f32|flt)\\.c$")
add_library(plrt_cmsis_nn STATIC EXCLUDE_FROM_ALL ${plrt_cmsis_nn_sources})
target_include_directories(plrt_cmsis_nn SYSTEM PUBLIC ${PLRT_CMSIS_NN_DIR}/Include)

add_executable(plrt_cmsis_nn_layers EXCLUDE_FROM_ALL ${CMAKE_CURRENT_SOURCE_DIR}/../bench/cmsis_nn_layers.c
                                                      tools/insncount.c tools/insncount_wrap_rest.c)
target_include_directories(plrt_cmsis_nn_layers PRIVATE tools)
target_link_libraries(plrt_cmsis_nn_layers PRIVATE plrt plrt_cmsis_nn)
target_compile_options(plrt_cmsis_nn_layers PRIVATE ${PLRT_C_WARNINGS})
target_link_options(plrt_cmsis_nn_layers PRIVATE
  -Wl,--wrap=plrt_conv1d_s8,--wrap=plrt_pointwise_conv_s8,--wrap=plrt_avgpool1d_s8
  -Wl,--wrap=plrt_add_s8,--wrap=plrt_concat_s8,--wrap=plrt_relu_s8)
