/*
 * The user runtime's malloc policy (src/ulib/malloc.c), in one place so
 * that the host's replay of it (build/host/heaptrace --allocator=user)
 * runs the very same settings. malloc is the heap core (include/heap.h)
 * on the program's break: it asks the kernel for memory with sbrk, in
 * chunks of at least UMALLOC_GROW_MIN, and gives a free tail back with a
 * negative sbrk once it exceeds UMALLOC_TRIM_THRESHOLD (keeping half).
 */
#ifndef CAIRN_UMALLOC_H
#define CAIRN_UMALLOC_H

/* Every sbrk is a system call and, with vm=eager, zeroes its pages at
 * once: 16 KiB (four pages) per call keeps a stream of small mallocs
 * from making one call each, and costs little when a program needs less. */
#define UMALLOC_GROW_MIN        (16 << 10)

/* Past 64 KiB of free memory at the top, the pages go back to the
 * kernel (all but 32 KiB: the slack keeps a program that frees and
 * mallocs a block of that size from shrinking and growing every time). */
#define UMALLOC_TRIM_THRESHOLD  (64 << 10)

#endif /* CAIRN_UMALLOC_H */
