/* SPDX-License-Identifier: MIT */
#include "suggest.h"

#include <string.h>

size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    if (la > 64 || lb > 64)
        return (size_t)-1;  /* names are short; don't bother */
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *suggest_name(const char *word, const void *first, size_t count, size_t stride)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, len = strlen(word);

    for (size_t i = 0; i < count; i++) {
        const char *name = *(const char *const *)((const char *)first + i * stride);
        if (!name)
            break;
        size_t d = edit_distance(word, name);
        if (d < best_d) {
            best_d = d;
            best = name;
        }
    }
    if (best && best_d > 0 && best_d <= 2 + len / 10 && best_d * 2 < len)
        return best;
    return NULL;
}
