/*
 * On the host, glibc already owns memcpy, snprintf and the rest. The test
 * build of src/lib/ is compiled with this header forced in (-include), so
 * Cairn's own functions become cairn_memcpy, cairn_snprintf, ... and the
 * tests call those by name, beside glibc's.
 */
#ifndef CAIRN_HOST_NAMES_H
#define CAIRN_HOST_NAMES_H

#define memcpy   cairn_memcpy
#define memmove  cairn_memmove
#define memset   cairn_memset
#define memcmp   cairn_memcmp
#define memchr   cairn_memchr
#define strlen   cairn_strlen
#define strnlen  cairn_strnlen
#define strcmp   cairn_strcmp
#define strncmp  cairn_strncmp
#define strchr   cairn_strchr
#define strrchr  cairn_strrchr
#define strstr   cairn_strstr
#define strcpy   cairn_strcpy
#define strncpy  cairn_strncpy
#define strcat   cairn_strcat
#define strlcpy  cairn_strlcpy
#define snprintf  cairn_snprintf
#define vsnprintf cairn_vsnprintf

#endif /* CAIRN_HOST_NAMES_H */
