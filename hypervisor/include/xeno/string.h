/* SPDX-License-Identifier: MIT */
#ifndef XENO_STRING_H
#define XENO_STRING_H

/*
 * The few libc string functions the hypervisor provides (lib/string.c).
 * Pure code includes this header so that the same file builds hosted,
 * where the C library supplies them.
 */
#ifdef XENO_HOSTED
#include <string.h>
#else
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
size_t strlcpy(char *dst, const char *src, size_t size);
#endif

#endif
