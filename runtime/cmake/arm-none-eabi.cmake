# Cross-compiling the runtime for a Cortex-M core on one of QEMU's Arm boards, with Debian's
# gcc-arm-none-eabi + libnewlib-arm-none-eabi. Select the board with PLRT_BOARD (the presets in
# runtime/CMakePresets.json do):
#   mps2-an386  Cortex-M4F  -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard
#   mps3-an547  Cortex-M55  -mcpu=cortex-m55 -mfloat-abi=hard (FPU and Helium/MVE)
# Programs link boards/<board>/startup.c and link.ld (runtime/CMakeLists.txt adds them), print
# and exit through semihosting (--specs=rdimon.specs), and run under qemu-system-arm as CTest's
# CMAKE_CROSSCOMPILING_EMULATOR (cmake/qemu_run.sh passes the arguments through semihosting).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
# No executable can be linked before the board's startup code exists: test the compiler on a
# static library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

set(PLRT_BOARD "mps2-an386" CACHE STRING "QEMU board: mps2-an386 (Cortex-M4F) or mps3-an547 (Cortex-M55)")
set_property(CACHE PLRT_BOARD PROPERTY STRINGS mps2-an386 mps3-an547)
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PLRT_BOARD)
if(PLRT_BOARD STREQUAL "mps2-an386")
  set(plrt_cpu_flags "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb")
elseif(PLRT_BOARD STREQUAL "mps3-an547")
  set(plrt_cpu_flags "-mcpu=cortex-m55 -mfloat-abi=hard -mthumb")
else()
  message(FATAL_ERROR "PLRT_BOARD: expected mps2-an386 or mps3-an547, got '${PLRT_BOARD}'")
endif()

# Sections per function and data so that --gc-sections keeps only what a program uses (the
# flash figures in docs/cortex_m.md are of that), and -fstack-usage .su files for the stack.
set(CMAKE_C_FLAGS_INIT "${plrt_cpu_flags} -ffunction-sections -fdata-sections -fstack-usage")
set(CMAKE_ASM_FLAGS_INIT "${plrt_cpu_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=rdimon.specs -Wl,--gc-sections")

get_filename_component(plrt_runtime_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(CMAKE_CROSSCOMPILING_EMULATOR "${plrt_runtime_dir}/cmake/qemu_run.sh;${PLRT_BOARD}")
