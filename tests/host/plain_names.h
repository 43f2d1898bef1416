/*
 * After a test has declared Cairn's functions under their cairn_ names
 * (tests/host/cairn_names.h, then the library's headers), this gives the
 * plain names back to glibc, so memcpy means glibc's memcpy again.
 * Keep it in step with cairn_names.h.
 */
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strstr
#undef strcpy
#undef strncpy
#undef strcat
#undef strlcpy
#undef snprintf
#undef vsnprintf
