/* SPDX-License-Identifier: MIT */
/*
 * "Did you mean ...?" for misspelled names (config keys, xend options,
 * xm commands, vif options).
 */
#ifndef XEND_COMMON_SUGGEST_H
#define XEND_COMMON_SUGGEST_H

#include <stddef.h>

/* Damerau-Levenshtein distance (adjacent transpositions count as one edit). */
size_t edit_distance(const char *a, const char *b);
/*
 * The candidate closest to word, if it is close enough to be a likely
 * typo (at most 2 edits, one more per 10 characters, and fewer than
 * half the word's length), else
 * NULL. Candidates are read through stride-sized records starting at
 * first, each beginning with a const char * name (so tables of structs
 * whose first member is the name can be passed directly); a NULL name ends
 * the table early.
 */
const char *suggest_name(const char *word, const void *first, size_t count, size_t stride);

#endif
