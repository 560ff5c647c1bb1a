/* SPDX-License-Identifier: MIT */
/* Fixed-capacity range sets (xeno/rangeset.h); pure, tested hosted. */
#include "xeno/rangeset.h"
#include "xeno/errno.h"

void rangeset_init(struct rangeset *s)
{
    s->nr = 0;
}

/* Rebuild into a scratch copy, then publish: a failure changes nothing. */
int rangeset_add(struct rangeset *s, uint64_t first, uint64_t last)
{
    struct rangeset t = { .nr = 0 };
    bool placed = false;

    if (first > last)
        return -EINVAL;
    for (unsigned int i = 0; i < s->nr; i++) {
        uint64_t a = s->r[i].first, b = s->r[i].last;
        /* Overlapping or adjacent (b + 1 == first, last + 1 == a): merge. */
        bool touches = !(b < first && b + 1 != first) && !(a > last && last + 1 != a);
        if (touches) {
            first = a < first ? a : first;
            last = b > last ? b : last;
            continue;
        }
        if (!placed && a > last) {
            t.r[t.nr].first = first, t.r[t.nr].last = last, t.nr++;
            placed = true;
        }
        if (t.nr == RANGESET_MAX)
            return -ENOMEM;
        t.r[t.nr].first = a, t.r[t.nr].last = b, t.nr++;
    }
    if (!placed) {
        if (t.nr == RANGESET_MAX)
            return -ENOMEM;
        t.r[t.nr].first = first, t.r[t.nr].last = last, t.nr++;
    }
    *s = t;
    return 0;
}

int rangeset_remove(struct rangeset *s, uint64_t first, uint64_t last)
{
    struct rangeset t = { .nr = 0 };

    if (first > last)
        return -EINVAL;
    for (unsigned int i = 0; i < s->nr; i++) {
        uint64_t a = s->r[i].first, b = s->r[i].last;
        if (b < first || a > last) {            /* untouched */
            if (t.nr == RANGESET_MAX)
                return -ENOMEM;
            t.r[t.nr].first = a, t.r[t.nr].last = b, t.nr++;
            continue;
        }
        if (a < first) {                        /* keep the part below */
            if (t.nr == RANGESET_MAX)
                return -ENOMEM;
            t.r[t.nr].first = a, t.r[t.nr].last = first - 1, t.nr++;
        }
        if (b > last) {                         /* and the part above */
            if (t.nr == RANGESET_MAX)
                return -ENOMEM;
            t.r[t.nr].first = last + 1, t.r[t.nr].last = b, t.nr++;
        }
    }
    *s = t;
    return 0;
}

bool rangeset_contains(const struct rangeset *s, uint64_t first, uint64_t last)
{
    if (first > last)
        return false;
    /* Ranges are merged, so one range must hold all of it. */
    for (unsigned int i = 0; i < s->nr; i++)
        if (s->r[i].first <= first && last <= s->r[i].last)
            return true;
    return false;
}
