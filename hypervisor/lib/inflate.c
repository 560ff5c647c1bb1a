/* SPDX-License-Identifier: MIT */
/*
 * DEFLATE / gzip decoder for the dom0 builder.
 *
 * Design:
 *  - Single call: whole input, whole output. The output buffer is the
 *    LZ77 history, so there is no separate window and no copying.
 *  - Bits are read LSB-first from a 64-bit accumulator that is refilled
 *    eight bytes at a time while the input has room, which leaves at least
 *    56 valid bits: enough for one literal/length code, its extra bits, a
 *    distance code and its extra bits (15 + 5 + 15 + 13 = 48) per refill.
 *  - Near the end of the input the refill falls back to single bytes and
 *    then to zero bytes that are counted ("phantom" bytes); consuming a
 *    phantom bit means the stream is truncated.
 *  - Huffman codes are decoded with a two-level lookup table: the first
 *    ROOT bits index a primary table whose entries either decode a symbol
 *    directly or point to a subtable indexed by the following bits.
 *    Entries carry the symbol's length base / distance base and extra bit
 *    count, so the decoder never consults a second table.
 */
#include "xeno/inflate.h"
#include "xeno/crc32.h"
#include "xeno/errno.h"
#include "xeno/string.h"
#include "xeno/types.h"
#include "xeno/lz_copy.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "inflate.c assumes a little-endian CPU"
#endif

#define LIT_ROOT   10
#define DIST_ROOT  8
#define CLEN_ROOT  7

/*
 * Table capacities. A subtable hangs off a primary slot only when the code
 * is complete below it, so it holds at least two codes: at most 286 / 2
 * subtables of at most 2^(15-10) entries for literal/length codes and
 * 30 / 2 subtables of 2^(15-8) entries for distances. The builder also
 * checks the capacity at run time.
 */
#define LIT_TAB_SIZE  ((1u << LIT_ROOT) + 143u * (1u << (15 - LIT_ROOT)))
#define DIST_TAB_SIZE ((1u << DIST_ROOT) + 15u * (1u << (15 - DIST_ROOT)))
#define CLEN_TAB_SIZE (1u << CLEN_ROOT)

#define MAX_LIT_CODES  288
#define MAX_DIST_CODES 32

/*
 * Table entry layout (32 bits):
 *   bits  0..7   number of bits to drop (total code length); for E_BAD
 *                the number of bits the lookup examined
 *   bits  8..15  kind: E_LIT, E_BASE|extra, E_EOB, E_SUB|subtable bits, E_BAD
 *   bits 16..31  literal byte, length/distance base, or subtable offset
 */
#define E_LIT   0x00u
#define E_BASE  0x10u
#define E_EOB   0x20u
#define E_SUB   0x40u
#define E_BAD   0x80u
#define ENTRY(kind, val, len) \
    (((uint32_t)(val) << 16) | ((uint32_t)(kind) << 8) | (uint32_t)(len))
#define E_KIND(e)  (((e) >> 8) & 0xFFu)
#define E_LEN(e)   ((e) & 0xFFu)
#define E_VAL(e)   ((e) >> 16)

struct inflate_ws {
    uint32_t lit[LIT_TAB_SIZE];
    uint32_t dist[DIST_TAB_SIZE];
    uint32_t clen[CLEN_TAB_SIZE];
    uint16_t sorted[MAX_LIT_CODES + MAX_DIST_CODES];
    uint8_t lens[MAX_LIT_CODES + MAX_DIST_CODES];
    bool fixed_loaded;          /* lit/dist currently hold the fixed code */
};

#define WS_ALIGN 8

size_t gunzip_workspace_size(void)
{
    return sizeof(struct inflate_ws) + WS_ALIGN;
}

static struct inflate_ws *ws_from(void *work)
{
    uintptr_t p = ((uintptr_t)work + WS_ALIGN - 1) & ~(uintptr_t)(WS_ALIGN - 1);
    return (struct inflate_ws *)p;
}

static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
};
static const uint8_t len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
};
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
    16385, 24577
};
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
};

/* Order in which code length code lengths are transmitted. */
static const uint8_t clen_order[19] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
};

enum code_kind { K_CLEN, K_LIT, K_DIST };

static uint32_t symbol_entry(enum code_kind kind, unsigned sym)
{
    switch (kind) {
    case K_CLEN:
        return ENTRY(E_LIT, sym, 0);
    case K_LIT:
        if (sym < 256)
            return ENTRY(E_LIT, sym, 0);
        if (sym == 256)
            return ENTRY(E_EOB, 0, 0);
        if (sym < 286)
            return ENTRY(E_BASE | len_extra[sym - 257], len_base[sym - 257], 0);
        return ENTRY(E_BAD, 0, 0);
    case K_DIST:
        if (sym < 30)
            return ENTRY(E_BASE | dist_extra[sym], dist_base[sym], 0);
        return ENTRY(E_BAD, 0, 0);
    }
    return ENTRY(E_BAD, 0, 0);
}

static unsigned reverse_bits(unsigned v, unsigned n)
{
    unsigned r = 0;
    while (n--) {
        r = (r << 1) | (v & 1);
        v >>= 1;
    }
    return r;
}

/*
 * Build the lookup table for a canonical Huffman code given the code length
 * of each of n symbols (each 0..15). Over-subscribed codes are rejected;
 * incomplete codes only in the one case RFC 1951 implies (a single code of
 * length one), and empty codes are accepted (every entry is E_BAD), which
 * is what a distance code that is never used looks like.
 */
static int huff_build(uint32_t *tab, size_t cap, unsigned root,
                      const uint8_t *lens, unsigned n, enum code_kind kind,
                      uint16_t *sorted)
{
    unsigned count[16], offs[16], next[16];
    const size_t rsize = (size_t)1 << root;
    const uint32_t bad = ENTRY(E_BAD, 0, root);
    unsigned max, nsym = 0;
    int left;

    memset(count, 0, sizeof(count));
    for (unsigned i = 0; i < n; i++)
        count[lens[i]]++;
    count[0] = 0;
    for (max = 15; max > 0 && count[max] == 0; max--)
        ;
    for (size_t i = 0; i < rsize; i++)
        tab[i] = bad;
    if (max == 0)
        return 0;

    left = 1;
    for (unsigned len = 1; len <= 15; len++) {
        left = (left << 1) - (int)count[len];
        if (left < 0)
            return -EINVAL;             /* over-subscribed */
    }
    if (left > 0 && (kind == K_CLEN || max != 1))
        return -EINVAL;                 /* incomplete */

    offs[1] = 0;
    for (unsigned len = 1; len < 15; len++)
        offs[len + 1] = offs[len] + count[len];
    for (unsigned s = 0; s < n; s++)
        if (lens[s])
            sorted[offs[lens[s]]++] = (uint16_t)s;
    nsym = offs[15];    /* end of the last group = number of codes */

    next[1] = 0;
    for (unsigned len = 2; len <= 15; len++)
        next[len] = (next[len - 1] + count[len - 1]) << 1;

    size_t used = rsize, sub_off = 0;
    unsigned sub_bits = 0, cur_prefix = ~0u;
    for (unsigned k = 0; k < nsym; k++) {
        unsigned sym = sorted[k];
        unsigned len = lens[sym];
        unsigned rev = reverse_bits(next[len]++, len);
        uint32_t e = symbol_entry(kind, sym) | len;

        if (len <= root) {
            for (size_t i = rev; i < rsize; i += (size_t)1 << len)
                tab[i] = e;
        } else {
            unsigned prefix = rev & (unsigned)(rsize - 1);
            if (prefix != cur_prefix) {
                /*
                 * New subtable: make it just wide enough for the longest
                 * code sharing this prefix. The codes still to be placed
                 * fill the code space in canonical order, so walk the
                 * remaining length counts until the prefix's share of the
                 * code space is used up.
                 */
                unsigned bits = len - root;
                int room = 1 << bits;
                while (bits + root < max) {
                    room -= (int)count[bits + root];
                    if (room <= 0)
                        break;
                    bits++;
                    room <<= 1;
                }
                if (used + ((size_t)1 << bits) > cap)
                    return -EINVAL;
                sub_off = used;
                sub_bits = bits;
                used += (size_t)1 << bits;
                for (size_t i = 0; i < ((size_t)1 << bits); i++)
                    tab[sub_off + i] = ENTRY(E_BAD, 0, root + bits);
                tab[prefix] = ENTRY(E_SUB | sub_bits, sub_off, root);
                cur_prefix = prefix;
            }
            for (size_t i = rev >> root; i < ((size_t)1 << sub_bits);
                 i += (size_t)1 << (len - root))
                tab[sub_off + i] = e;
        }
        count[len]--;   /* remaining codes of this length */
    }
    return 0;
}

static int build_fixed(struct inflate_ws *ws)
{
    unsigned i;
    int ret;

    for (i = 0; i < 144; i++)
        ws->lens[i] = 8;
    for (; i < 256; i++)
        ws->lens[i] = 9;
    for (; i < 280; i++)
        ws->lens[i] = 7;
    for (; i < 288; i++)
        ws->lens[i] = 8;
    ret = huff_build(ws->lit, LIT_TAB_SIZE, LIT_ROOT, ws->lens, 288, K_LIT,
                     ws->sorted);
    if (ret)
        return ret;
    for (i = 0; i < 32; i++)
        ws->lens[i] = 5;
    return huff_build(ws->dist, DIST_TAB_SIZE, DIST_ROOT, ws->lens, 32,
                      K_DIST, ws->sorted);
}

static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

/* Bit reader on local variables (bb, bn, ip, iend, overrun). */
#define REFILL()                                                         \
    do {                                                                 \
        if (likely(iend - ip >= 8)) {                                    \
            bb |= load_le64(ip) << bn;                                   \
            ip += (63 - bn) >> 3;                                        \
            bn |= 56;                                                    \
        } else {                                                         \
            if (overrun * 8 > bn)                                        \
                goto truncated;                                          \
            while (bn < 56) {                                            \
                if (ip < iend)                                           \
                    bb |= (uint64_t)*ip++ << bn;                         \
                else                                                     \
                    overrun++;                                           \
                bn += 8;                                                 \
            }                                                            \
        }                                                                \
    } while (0)
#define BITS(n)  ((uint32_t)bb & ((1u << (n)) - 1))
#define DROP(n)  do { bb >>= (n); bn -= (n); } while (0)

#define LOOKUP(e, tab, root)                                             \
    do {                                                                 \
        (e) = (tab)[bb & ((1u << (root)) - 1)];                          \
        if (unlikely(E_KIND(e) & E_SUB))                                 \
            (e) = (tab)[E_VAL(e) +                                       \
                        ((bb >> (root)) & ((1u << (E_KIND(e) & 15)) - 1))]; \
    } while (0)

static int inflate_core(struct inflate_ws *ws, const uint8_t *in, size_t in_len,
                        uint8_t *out, size_t out_cap, size_t *out_len,
                        size_t *in_used)
{
    const uint8_t *ip = in;
    const uint8_t *const iend = in + in_len;
    uint8_t *op = out;
    uint8_t *const oend = out + out_cap;
    uint64_t bb = 0;
    unsigned bn = 0, overrun = 0;
    unsigned need = 0;  /* bits an error depended on but not yet dropped */
    unsigned last, type;
    int ret;

    ws->fixed_loaded = false;
    do {
        REFILL();
        last = BITS(1);
        type = (unsigned)(bb >> 1) & 3;
        DROP(3);

        if (type == 0) {
            /* Stored block: realign to a byte and hand back whole bytes. */
            DROP(bn & 7);
            if (overrun * 8 > bn)
                goto truncated;
            ip -= (bn >> 3) - overrun;
            bb = 0;
            bn = 0;
            overrun = 0;
            if (iend - ip < 4)
                goto truncated;
            size_t len = ip[0] | ((size_t)ip[1] << 8);
            size_t nlen = ip[2] | ((size_t)ip[3] << 8);
            ip += 4;
            if (len != (~nlen & 0xFFFF)) {
                ret = -EINVAL;
                goto fail;
            }
            if ((size_t)(iend - ip) < len)
                goto truncated;
            if ((size_t)(oend - op) < len) {
                ret = -ENOSPC;
                goto fail;
            }
            memcpy(op, ip, len);
            op += len;
            ip += len;
            continue;
        }

        if (type == 1) {
            if (!ws->fixed_loaded) {
                ret = build_fixed(ws);
                if (ret)
                    goto fail;
                ws->fixed_loaded = true;
            }
        } else if (type == 2) {
            unsigned hlit, hdist, hclen, n, i;
            uint32_t e;

            ws->fixed_loaded = false;
            REFILL();
            hlit = BITS(5) + 257;
            DROP(5);
            hdist = BITS(5) + 1;
            DROP(5);
            hclen = BITS(4) + 4;
            DROP(4);
            if (hlit > 286 || hdist > 30) {
                ret = -EINVAL;
                goto fail;
            }
            memset(ws->lens, 0, 19);
            for (i = 0; i < hclen; i++) {
                REFILL();
                ws->lens[clen_order[i]] = (uint8_t)BITS(3);
                DROP(3);
            }
            ret = huff_build(ws->clen, CLEN_TAB_SIZE, CLEN_ROOT, ws->lens, 19,
                             K_CLEN, ws->sorted);
            if (ret)
                goto fail;

            n = hlit + hdist;
            i = 0;
            while (i < n) {
                unsigned sym, rep;
                uint8_t val;

                REFILL();
                e = ws->clen[BITS(CLEN_ROOT)];
                if (E_KIND(e) != E_LIT) {
                    need = E_LEN(e);
                    ret = -EINVAL;
                    goto fail;
                }
                DROP(E_LEN(e));
                sym = E_VAL(e);
                if (sym < 16) {
                    ws->lens[i++] = (uint8_t)sym;
                    continue;
                }
                if (sym == 16) {
                    if (i == 0) {
                        ret = -EINVAL;
                        goto fail;
                    }
                    val = ws->lens[i - 1];
                    rep = 3 + BITS(2);
                    DROP(2);
                } else if (sym == 17) {
                    val = 0;
                    rep = 3 + BITS(3);
                    DROP(3);
                } else {
                    val = 0;
                    rep = 11 + BITS(7);
                    DROP(7);
                }
                if (rep > n - i) {
                    ret = -EINVAL;
                    goto fail;
                }
                while (rep--)
                    ws->lens[i++] = val;
            }
            if (ws->lens[256] == 0) {
                ret = -EINVAL;          /* no end-of-block code */
                goto fail;
            }
            ret = huff_build(ws->lit, LIT_TAB_SIZE, LIT_ROOT, ws->lens, hlit,
                             K_LIT, ws->sorted);
            if (ret)
                goto fail;
            ret = huff_build(ws->dist, DIST_TAB_SIZE, DIST_ROOT, ws->lens + hlit,
                             hdist, K_DIST, ws->sorted);
            if (ret)
                goto fail;
        } else {
            ret = -EINVAL;
            goto fail;
        }

        /* Huffman-coded block body. */
        const uint32_t *lit = ws->lit;
        const uint32_t *dtab = ws->dist;
        for (;;) {
            uint32_t e, kind;
            size_t len, dist;

            REFILL();
            LOOKUP(e, lit, LIT_ROOT);
            kind = E_KIND(e);
            DROP(E_LEN(e));
            if (likely(kind == E_LIT)) {
                if (unlikely(op == oend)) {
                    ret = -ENOSPC;
                    goto fail;
                }
                *op++ = (uint8_t)E_VAL(e);
                continue;
            }
            if (unlikely(!(kind & E_BASE))) {
                if (kind == E_EOB)
                    break;
                ret = -EINVAL;
                goto fail;
            }
            len = E_VAL(e) + BITS(kind & 15);
            DROP(kind & 15);

            LOOKUP(e, dtab, DIST_ROOT);
            kind = E_KIND(e);
            if (unlikely(!(kind & E_BASE))) {
                need = E_LEN(e);
                ret = -EINVAL;
                goto fail;
            }
            DROP(E_LEN(e));
            dist = E_VAL(e) + BITS(kind & 15);
            DROP(kind & 15);

            if (unlikely(dist > (size_t)(op - out))) {
                ret = -EINVAL;          /* distance too far back */
                goto fail;
            }
            if (unlikely(len > (size_t)(oend - op))) {
                ret = -ENOSPC;
                goto fail;
            }
            op = copy_match(op, dist, len, oend);
        }
    } while (!last);

    /* Give back the whole bytes still in the bit buffer. */
    DROP(bn & 7);
    if (overrun * 8 > bn)
        goto truncated;
    ip -= (bn >> 3) - overrun;
    *out_len = (size_t)(op - out);
    *in_used = (size_t)(ip - in);
    return 0;

truncated:
    ret = -ENODATA;
fail:
    /*
     * An error that depended on zero bits supplied past the end of the
     * input is really truncation.
     */
    if (overrun * 8 + need > bn)
        ret = -ENODATA;
    *out_len = (size_t)(op - out);
    *in_used = in_len;
    return ret;
}

int inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                size_t *out_len, size_t *in_used, void *work)
{
    size_t used;
    int ret;

    *out_len = 0;
    if (in_len == 0)
        ret = -ENODATA, used = 0;
    else
        ret = inflate_core(ws_from(work), in, in_len, out, out_cap, out_len,
                           &used);
    if (in_used)
        *in_used = used;
    return ret;
}

#define GZ_FTEXT    0x01
#define GZ_FHCRC    0x02
#define GZ_FEXTRA   0x04
#define GZ_FNAME    0x08
#define GZ_FCOMMENT 0x10

static inline uint32_t get_le32(const uint8_t *p)
{
    return p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
           size_t *out_len, size_t *in_used, void *work)
{
    size_t pos = 10, used = 0, n = 0;
    uint8_t flg;
    int ret;

    *out_len = 0;
    if (in_used)
        *in_used = 0;

    /* Fixed part: ID1 ID2 CM FLG MTIME(4) XFL OS */
    if ((in_len >= 1 && in[0] != 0x1F) || (in_len >= 2 && in[1] != 0x8B) ||
        (in_len >= 3 && in[2] != 8))
        return -EINVAL;
    if (in_len < 10)
        return -ENODATA;
    flg = in[3];
    if (flg & 0xE0)
        return -EINVAL;                 /* reserved flag bits */

    if (flg & GZ_FEXTRA) {
        if (in_len - pos < 2)
            return -ENODATA;
        size_t xlen = in[pos] | ((size_t)in[pos + 1] << 8);
        pos += 2;
        if (in_len - pos < xlen)
            return -ENODATA;
        pos += xlen;
    }
    for (unsigned f = GZ_FNAME; f <= GZ_FCOMMENT; f <<= 1) {
        if (!(flg & f))
            continue;
        while (pos < in_len && in[pos] != 0)
            pos++;
        if (pos == in_len)
            return -ENODATA;
        pos++;                          /* the terminating NUL */
    }
    if (flg & GZ_FHCRC) {
        if (in_len - pos < 2)
            return -ENODATA;
        uint32_t want = in[pos] | ((uint32_t)in[pos + 1] << 8);
        if ((crc32_update(0, in, pos) & 0xFFFF) != want)
            return -EBADMSG;
        pos += 2;
    }
    if (pos == in_len)
        return -ENODATA;

    ret = inflate_core(ws_from(work), in + pos, in_len - pos, out, out_cap,
                       &n, &used);
    *out_len = n;
    if (ret)
        return ret;
    pos += used;
    if (in_len - pos < 8)
        return -ENODATA;
    if (crc32_update(0, out, n) != get_le32(in + pos) ||
        (uint32_t)n != get_le32(in + pos + 4))
        return -EBADMSG;
    if (in_used)
        *in_used = pos + 8;
    return 0;
}
