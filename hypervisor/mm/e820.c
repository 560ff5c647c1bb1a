/* SPDX-License-Identifier: MIT */
/*
 * e820 memory map handling (contract in xeno/e820.h).
 *
 * Sanitizing sweeps the address space from boundary to boundary: at each
 * entry start or end it takes the winning type of everything covering the
 * next stretch. With at most E820MAX entries that is O(n^2) and needs no
 * sorting. The result goes to a scratch map first so that m is untouched
 * if it does not fit; the scratch map is static because at ~3 KiB it is
 * too big for the stack (Linux keeps its change-point list static too).
 */
#include "xeno/e820.h"
#include "xeno/errno.h"
#include "xeno/string.h"

static struct e820map scratch;

static uint64_t entry_end(const struct e820entry *e)
{
    return e->addr > UINT64_MAX - e->size ? UINT64_MAX : e->addr + e->size;
}

/*
 * Overlap precedence: RAM loses to everything, so nothing firmware or the
 * hypervisor marked as special is ever handed out as RAM; otherwise the
 * higher number wins (Linux's sanitize_e820_map rule).
 */
static uint64_t rank(uint32_t type)
{
    return type == E820_RAM ? 0 : (uint64_t)type + 1;
}

/* Append [start, end) to a sorted map, merging with a touching twin. */
static int emit(struct e820map *out, uint64_t start, uint64_t end, uint32_t type)
{
    struct e820entry *last = out->nr ? &out->map[out->nr - 1] : NULL;

    if (start >= end)
        return 0;
    if (last && last->type == type && entry_end(last) == start) {
        last->size += end - start;
        return 0;
    }
    if (out->nr >= E820MAX)
        return -ENOSPC;
    out->map[out->nr++] = (struct e820entry){ .addr = start, .size = end - start, .type = type };
    return 0;
}

static void commit(struct e820map *m, const struct e820map *from)
{
    m->nr = from->nr;
    memcpy(m->map, from->map, from->nr * sizeof(from->map[0]));
}

int e820_add(struct e820map *m, uint64_t addr, uint64_t size, uint32_t type)
{
    if (!size || addr > UINT64_MAX - size)
        return -EINVAL;
    if (m->nr >= E820MAX)
        return -ENOSPC;
    m->map[m->nr++] = (struct e820entry){ .addr = addr, .size = size, .type = type };
    return 0;
}

int e820_sanitize(struct e820map *m)
{
    unsigned int n = MIN(m->nr, (unsigned int)E820MAX);
    struct e820map *out = &scratch;
    bool have_pos = false;
    uint64_t pos = 0;

    for (unsigned int i = 0; i < n; i++) {
        const struct e820entry *e = &m->map[i];

        if (entry_end(e) > e->addr && (!have_pos || e->addr < pos)) {
            pos = e->addr;
            have_pos = true;
        }
    }

    out->nr = 0;
    while (have_pos) {
        bool have_next = false, covered = false;
        uint64_t next = 0;
        uint32_t type = 0;

        for (unsigned int i = 0; i < n; i++) {
            const struct e820entry *e = &m->map[i];
            uint64_t start = e->addr, end = entry_end(e);

            if (start >= end)
                continue;
            if (start > pos && (!have_next || start < next)) {
                next = start;
                have_next = true;
            }
            if (end > pos && (!have_next || end < next)) {
                next = end;
                have_next = true;
            }
            if (start <= pos && end > pos && (!covered || rank(e->type) > rank(type))) {
                type = e->type;
                covered = true;
            }
        }
        if (!have_next)
            break;
        /* Not covered: a hole between entries. */
        if (covered && emit(out, pos, next, type))
            return -ENOSPC;
        pos = next;
    }
    commit(m, out);
    return 0;
}

int e820_change_type(struct e820map *m, uint64_t start, uint64_t end,
                     uint32_t old_type, uint32_t new_type)
{
    struct e820map *out = &scratch;
    int rc = e820_sanitize(m);

    if (rc)
        return rc;
    if (start >= end)
        return 0;

    out->nr = 0;
    for (unsigned int i = 0; i < m->nr; i++) {
        const struct e820entry *e = &m->map[i];
        uint64_t s = e->addr, en = entry_end(e), lo, hi;

        if (e->type != old_type || en <= start || s >= end) {
            rc = emit(out, s, en, e->type);
        } else {
            lo = MAX(s, start);
            hi = MIN(en, end);
            rc = emit(out, s, lo, e->type);
            if (!rc)
                rc = emit(out, lo, hi, new_type);
            if (!rc)
                rc = emit(out, hi, en, e->type);
        }
        if (rc)
            return rc;
    }
    commit(m, out);
    return 0;
}

uint64_t e820_total(const struct e820map *m, uint32_t type)
{
    unsigned int n = MIN(m->nr, (unsigned int)E820MAX);
    uint64_t total = 0;

    for (unsigned int i = 0; i < n; i++)
        if (m->map[i].type == type)
            total += entry_end(&m->map[i]) - m->map[i].addr;
    return total;
}

uint64_t e820_end_of(const struct e820map *m, uint32_t type)
{
    unsigned int n = MIN(m->nr, (unsigned int)E820MAX);
    uint64_t top = 0;

    for (unsigned int i = 0; i < n; i++)
        if (m->map[i].type == type && m->map[i].size)
            top = MAX(top, entry_end(&m->map[i]));
    return top;
}

bool e820_all_of_type(const struct e820map *m, uint64_t start, uint64_t end,
                      uint32_t type)
{
    unsigned int n = MIN(m->nr, (unsigned int)E820MAX);

    /*
     * Walk forward through entries of that type that contain start; each
     * step strictly advances start, so this ends within n steps.
     */
    while (start < end) {
        uint64_t reach = start;

        for (unsigned int i = 0; i < n; i++) {
            const struct e820entry *e = &m->map[i];

            if (e->type == type && e->addr <= start && entry_end(e) > reach)
                reach = entry_end(e);
        }
        if (reach == start)
            return false;
        start = reach;
    }
    return true;
}

const char *e820_type_name(uint32_t type)
{
    switch (type) {
    case E820_RAM:      return "RAM";
    case E820_RESERVED: return "RESERVED";
    case E820_ACPI:     return "ACPI";
    case E820_NVS:      return "ACPI NVS";
    case E820_UNUSABLE: return "UNUSABLE";
    default:            return "UNKNOWN";
    }
}
