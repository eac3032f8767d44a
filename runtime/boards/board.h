/* What the boards' start-up code (boards/startup.c) offers a program. */
#ifndef PLRT_BOARD_H
#define PLRT_BOARD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of stack used so far (high-water mark): startup.c paints the stack region before main,
 * this finds the lowest word that changed. */
size_t plrt_board_stack_used(void);

#ifdef __cplusplus
}
#endif

#endif /* PLRT_BOARD_H */
