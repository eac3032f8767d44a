/* Start-up code for the runtime's programs on QEMU's Cortex-M boards (mps2-an386 Cortex-M4F,
 * mps3-an547 Cortex-M55), shared by both: the vector table, and a reset handler that copies
 * .data from its load address, zeroes .bss, paints the stack (for the high-water mark), enables
 * the FPU (and on the M55 Helium/MVE, which the same CPACR bits gate), starts newlib's
 * semihosting I/O, runs the constructors, fetches argv through semihosting and calls
 * exit(main(argc, argv)). The program is linked with -nostartfiles (no newlib crt0: its stack
 * and heap come from the semihosting HEAPINFO call, whose answer depends on QEMU's guess of the
 * memory map; here they come from the board's link.ld). Symbols come from link.ld. */
#include <stdint.h>
#include <stdlib.h>

#include "board.h"

extern uint32_t __data_load__, __data_start__, __data_end__, __bss_start__, __bss_end__;
extern uint32_t __stack_limit__, __stack_top__;

extern int main(int argc, char** argv);
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);

/* newlib's __libc_init_array/__libc_fini_array call these (crti.o is not linked). */
void _init(void) {}
void _fini(void) {}

#define STACK_PAINT 0xC0FFEE55u

enum { kSysGetCmdline = 0x15, kMaxArgs = 16, kCmdlineSize = 1024 };

/* One semihosting call: r0 = operation, r1 = argument block; returns r0. */
static int semihost(int op, void* arg) {
  register int r0 __asm__("r0") = op;
  register void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

/* argv from the semihosting command line (qemu_run.sh: the program path, then arg= entries,
 * separated by spaces). */
static int get_args(char** argv) {
  static char cmdline[kCmdlineSize];
  struct {
    char* buffer;
    int size;
  } block = {cmdline, kCmdlineSize - 1};
  int argc = 0;
  char* p = cmdline;
  if (semihost(kSysGetCmdline, &block) != 0) return 0;
  cmdline[block.size < kCmdlineSize ? block.size : kCmdlineSize - 1] = '\0';
  while (*p != '\0' && argc < kMaxArgs) {
    while (*p == ' ') *p++ = '\0';
    if (*p == '\0') break;
    argv[argc++] = p;
    while (*p != '\0' && *p != ' ') ++p;
  }
  argv[argc] = NULL;
  return argc;
}

void Reset_Handler(void) __attribute__((noreturn));
void Reset_Handler(void) {
  static char* argv[kMaxArgs + 1];
  const uint32_t* src = &__data_load__;
  uint32_t* dst;
  for (dst = &__data_start__; dst < &__data_end__;) *dst++ = *src++;
  for (dst = &__bss_start__; dst < &__bss_end__;) *dst++ = 0;
  /* Paint the stack below the current frame (a few words of margin). */
  {
    volatile uint32_t* p = &__stack_limit__;
    volatile uint32_t* here = (volatile uint32_t*)__builtin_frame_address(0) - 16;
    while (p < here) *p++ = STACK_PAINT;
  }
  /* CPACR (0xE000ED88): full access to CP10 and CP11 = the FPU, and on Armv8.1-M also MVE. */
  *(volatile uint32_t*)0xE000ED88u |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  initialise_monitor_handles();
  __libc_init_array();
  {
    const int argc = get_args(argv);
    exit(main(argc, argv));
  }
}

size_t plrt_board_stack_used(void) {
  const uint32_t* p = &__stack_limit__;
  while (p < &__stack_top__ && *p == STACK_PAINT) ++p;
  return (size_t)((const char*)&__stack_top__ - (const char*)p);
}

/* Any fault or unexpected interrupt: report through semihosting's exit (status 1 to the host). */
static void Fault_Handler(void) { exit(70); }

typedef void (*vector)(void);
__attribute__((section(".vectors"), used)) static const vector kVectors[16] = {
    (vector)(uintptr_t)&__stack_top__, /* initial stack pointer */
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    Fault_Handler, /* SecureFault (Armv8-M) */
    0,
    0,
    0,
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMonitor */
    0,
    Fault_Handler, /* PendSV */
    Fault_Handler, /* SysTick */
};
