/*
 * Leaving the program and the memory allocator: exit and abort in
 * src/ulib/stdlib.c, malloc and friends in src/ulib/malloc.c (the heap
 * core of include/heap.h on sbrk; its policy is in include/umalloc.h).
 */
#ifndef CAIRN_LIBC_STDLIB_H
#define CAIRN_LIBC_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS    0
#define EXIT_FAILURE    1
#define ABORT_STATUS    134     /* abort()'s exit status: 128 + SIGABRT, as a shell shows it */

/* Flushes stdout and stderr, then ends the program with status. */
__attribute__((noreturn)) void exit(int status);

/* Flushes stdout, prints "abort" on stderr and ends the program with
 * ABORT_STATUS. */
__attribute__((noreturn)) void abort(void);

/* A 16-byte-aligned block of at least size bytes, or NULL with errno
 * ENOMEM. A heap the allocator finds damaged (a double free, an overrun
 * into the next block's header) is reported on stderr, one line, and the
 * program aborts. */
void *malloc(size_t size);
void free(void *ptr);
/* n * size bytes, zeroed; NULL (errno ENOMEM) if n * size overflows. */
void *calloc(size_t n, size_t size);
/* C's realloc: NULL ptr allocates; size 0 frees and returns NULL. On
 * failure returns NULL and ptr is untouched. */
void *realloc(void *ptr, size_t size);

#endif /* CAIRN_LIBC_STDLIB_H */
