/*
 * Lab handouts (docs/labs/): each function a lab removes is replaced by a
 * stub that calls lab_missing(), so running it fails loudly, at once and
 * by name ("lab pmm: pmm_free() is not written yet"), never by a hang or
 * a quiet wrong answer. The kernel panics (the grader boots each test on
 * its own, so one missing function costs only its own tests), a user
 * program ends with LAB_MISSING_STATUS, a host test or tool exits with it.
 * The complete tree never calls it.
 */
#ifndef CAIRN_LAB_H
#define CAIRN_LAB_H

#define LAB_MISSING_STATUS  99      /* the exit status of a host or user program */

__attribute__((noreturn)) void lab_missing(const char *lab, const char *function);

#endif /* CAIRN_LAB_H */
