/* PhysioLite runtime: types shared by every runtime component (C99, no heap, no globals). */
#ifndef PLRT_TYPES_H
#define PLRT_TYPES_H

#ifdef __cplusplus
extern "C" {
#endif

/* Every runtime function that can fail returns a plrt_status: PLRT_OK or a negative error. */
typedef enum plrt_status {
  PLRT_OK = 0,
  PLRT_ERR_ARGUMENT = -1,    /* a null pointer or a parameter outside its documented range */
  PLRT_ERR_UNSUPPORTED = -2, /* valid in principle, not supported by this build (e.g. fs) */
  PLRT_ERR_MODEL = -3,       /* a model buffer failed verification */
  PLRT_ERR_ARENA = -4        /* the caller's arena is too small */
} plrt_status;

#ifdef __cplusplus
}
#endif

#endif /* PLRT_TYPES_H */
