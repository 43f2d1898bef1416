/*
 * The book's pictures that are diagrams (src/host/pictures*.c): each
 * draw_NAME() writes docs/pictures/NAME.svg's text to f, with the
 * addresses, sizes and names the kernel's headers define, so that a
 * picture cannot disagree with the code it shows. Each returns 0, or -1
 * if f could not be written.
 */
#ifndef CAIRN_PICTURES_H
#define CAIRN_PICTURES_H

#include <stdio.h>

int draw_build_to_boot(FILE *f);        /* pictures_boot.c */
int draw_paging_walk(FILE *f);          /* pictures_paging.c */
int draw_recursive_mapping(FILE *f);
int draw_virtual_layout(FILE *f);
int draw_pmm_stack(FILE *f);            /* pictures_alloc.c */
int draw_heap_block(FILE *f);
int draw_heap_coalesce(FILE *f);
int draw_trap_frame(FILE *f);           /* pictures_trap.c */
int draw_syscall_path(FILE *f);

#endif /* CAIRN_PICTURES_H */
