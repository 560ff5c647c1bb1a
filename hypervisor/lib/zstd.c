/* SPDX-License-Identifier: MIT */
/*
 * Zstandard decoder for the dom0 builder (RFC 8878): frames, blocks,
 * Huffman-coded literals, FSE-coded sequences and the XXH64 checksum.
 *
 * Single call: the whole input and the whole output buffer are given at
 * once. Blocks are decoded straight into the output buffer, which serves
 * as the window; a frame's matches may reach back to the frame's first
 * byte. Literals are first decoded into a buffer in the workspace (raw
 * literals are used in place when enough input follows them), then the
 * sequences are decoded and executed one at a time.
 *
 * Robustness: every size read from the input is checked against what is
 * left of the block or buffer before use. The backward bit reader never
 * loads outside its stream (streams shorter than eight bytes are read
 * from a zero-padded copy); once it runs past the start of its stream it
 * keeps yielding bits that are garbage but harmless, and the exact-end
 * check afterwards rejects the block. Table states can only index inside
 * their tables by construction, every loop is bounded by a symbol count
 * or by the block size, so corrupt data yields an error, never a fault or
 * a hang.
 */
#include "xeno/zstd.h"
#include "xeno/errno.h"
#include "xeno/string.h"
#include "xeno/types.h"
#include "xeno/lz_copy.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "zstd.c assumes a little-endian CPU"
#endif

#define ZSTD_MAGIC        0xFD2FB528u
#define SKIPPABLE_MAGIC   0x184D2A50u     /* low four bits are free */
#define BLOCK_SIZE_MAX    (128u * 1024)

/* Largest symbol and accuracy log of each FSE alphabet. */
#define LL_MAX_SYM        35
#define ML_MAX_SYM        52
#define OF_MAX_SYM        31
#define LL_MAX_LOG        9
#define ML_MAX_LOG        9
#define OF_MAX_LOG        8
#define HUFW_MAX_SYM      15    /* weights above 11 are rejected later */
#define HUFW_MAX_LOG      6
#define HUF_MAX_LOG       11
#define FSE_SYMS_MAX      (ML_MAX_SYM + 1)

/*
 * Wild copies move 8 or 16 bytes at a time and may run up to 15 bytes
 * past the end of what they copy (read and write side); the literals
 * buffer has that much slack, and the output fast path needs that much
 * room after the sequence.
 */
#define LIT_SLACK         32
#define WILD_MARGIN       32

/*
 * One FSE decoding cell, for sequences: the code's baseline and number
 * of extra bits, the number of state bits and the next state's base.
 * Huffman-weight tables use the same cells with base = the weight.
 */
struct fse_cell {
    uint32_t base;
    uint8_t add_bits;
    uint8_t nb_bits;
    uint16_t next;
};

struct fse_table {
    const struct fse_cell *cells;   /* NULL: none yet in this frame */
    unsigned log;
};

struct zstd_ws {
    struct fse_cell ll[1u << LL_MAX_LOG];
    struct fse_cell ml[1u << ML_MAX_LOG];
    struct fse_cell of[1u << OF_MAX_LOG];
    struct fse_cell ll_def[64], ml_def[64], of_def[32];
    struct fse_cell ll_rle, ml_rle, of_rle;
    struct fse_cell hufw[1u << HUFW_MAX_LOG];
    struct fse_table cur_ll, cur_ml, cur_of;    /* for Repeat_Mode */
    size_t rep[3];                              /* repeat offsets */
    uint16_t huf[1u << HUF_MAX_LOG];            /* symbol | bits << 8 */
    unsigned huf_log;
    bool have_huf;                              /* for treeless literals */
    uint8_t weights[256];
    uint8_t lit[BLOCK_SIZE_MAX + LIT_SLACK];
};

#define WS_ALIGN 8

size_t zstd_workspace_size(void)
{
    return sizeof(struct zstd_ws) + WS_ALIGN;
}

static struct zstd_ws *ws_from(void *work)
{
    uintptr_t p = ((uintptr_t)work + WS_ALIGN - 1) & ~(uintptr_t)(WS_ALIGN - 1);
    return (struct zstd_ws *)p;
}

static inline uint32_t get_le16(const uint8_t *p)
{
    return p[0] | ((uint32_t)p[1] << 8);
}

static inline uint32_t get_le24(const uint8_t *p)
{
    return p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
}

static inline uint32_t get_le32(const uint8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

static inline uint64_t get_le64(const uint8_t *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

/* Index of the highest set bit; v != 0. */
static inline unsigned highbit32(uint32_t v)
{
    return 31u - (unsigned)__builtin_clz(v);
}

/* ------------------------------------------------------------------ */
/* XXH64                                                               */

#define XXP1 0x9E3779B185EBCA87ull
#define XXP2 0xC2B2AE3D27D4EB4Full
#define XXP3 0x165667B19E3779F9ull
#define XXP4 0x85EBCA77C2B2AE63ull
#define XXP5 0x27D4EB2F165667C5ull

static inline uint64_t rotl64(uint64_t v, unsigned r)
{
    return (v << r) | (v >> (64 - r));
}

static inline uint64_t xx_round(uint64_t acc, uint64_t lane)
{
    acc += lane * XXP2;
    return rotl64(acc, 31) * XXP1;
}

static inline uint64_t xx_merge(uint64_t h, uint64_t acc)
{
    h ^= xx_round(0, acc);
    return h * XXP1 + XXP4;
}

uint64_t zstd_xxh64(const void *data, size_t len, uint64_t seed)
{
    const uint8_t *p = data, *const end = p + len;
    uint64_t h;

    if (len >= 32) {
        uint64_t a = seed + XXP1 + XXP2, b = seed + XXP2, c = seed, d = seed - XXP1;
        const uint8_t *const last = end - 32;
        do {
            a = xx_round(a, get_le64(p));
            b = xx_round(b, get_le64(p + 8));
            c = xx_round(c, get_le64(p + 16));
            d = xx_round(d, get_le64(p + 24));
            p += 32;
        } while (p <= last);
        h = rotl64(a, 1) + rotl64(b, 7) + rotl64(c, 12) + rotl64(d, 18);
        h = xx_merge(h, a);
        h = xx_merge(h, b);
        h = xx_merge(h, c);
        h = xx_merge(h, d);
    } else {
        h = seed + XXP5;
    }
    h += (uint64_t)len;
    while (end - p >= 8) {
        h ^= xx_round(0, get_le64(p));
        h = rotl64(h, 27) * XXP1 + XXP4;
        p += 8;
    }
    if (end - p >= 4) {
        h ^= (uint64_t)get_le32(p) * XXP1;
        h = rotl64(h, 23) * XXP2 + XXP3;
        p += 4;
    }
    while (p < end) {
        h ^= *p++ * XXP5;
        h = rotl64(h, 11) * XXP1;
    }
    h ^= h >> 33;
    h *= XXP2;
    h ^= h >> 29;
    h *= XXP3;
    h ^= h >> 32;
    return h;
}

/* ------------------------------------------------------------------ */
/* Backward bit reader                                                 */

/*
 * FSE and Huffman streams are written forwards and read from their last
 * byte down to their first. bits holds the eight stream bytes at ptr
 * (little-endian, so the byte nearest the end is on top); used counts the
 * bits already taken from the top. Refilling steps ptr back by whole
 * consumed bytes, but never below start: from then on used only grows.
 * The stream has been read exactly when ptr == start and used == 64;
 * used > 64 means the reader ran past the start (overflow).
 */
struct bitrd {
    uint64_t bits;
    unsigned used;
    const uint8_t *ptr;
    const uint8_t *start;
    uint8_t pad[8];             /* copy of a stream shorter than 8 bytes */
};

/* The last byte carries the end mark: its highest set bit. */
static int br_init(struct bitrd *b, const uint8_t *p, size_t len)
{
    uint8_t lastb;

    if (len == 0)
        return -EINVAL;
    lastb = p[len - 1];
    if (lastb == 0)
        return -EINVAL;
    if (len >= 8) {
        b->start = p;
        b->ptr = p + len - 8;
        b->used = 0;
    } else {
        /* Zero-extend at the top: the missing bytes count as used. */
        memset(b->pad, 0, sizeof(b->pad));
        for (size_t i = 0; i < len; i++)
            b->pad[i] = p[i];
        b->start = b->pad;
        b->ptr = b->pad;
        b->used = (unsigned)(8 - len) * 8;
    }
    b->bits = get_le64(b->ptr);
    b->used += 8 - highbit32(lastb);    /* padding zeros and the mark */
    return 0;
}

static inline void br_refill(struct bitrd *b)
{
    size_t step = b->used >> 3;
    size_t room = (size_t)(b->ptr - b->start);

    if (step > room)
        step = room;
    b->ptr -= step;
    b->used -= (unsigned)step * 8;
    b->bits = get_le64(b->ptr);
}

/* Take n bits (0 <= n <= 56 since the last refill, less what was used). */
static inline uint64_t br_bits(struct bitrd *b, unsigned n)
{
    uint64_t v = ((b->bits << (b->used & 63)) >> 1) >> (63 - n);
    b->used += n;
    return v;
}

static inline bool br_overflow(const struct bitrd *b)
{
    return b->used > 64;
}

static inline bool br_done(const struct bitrd *b)
{
    return b->ptr == b->start && b->used == 64;
}

/* ------------------------------------------------------------------ */
/* FSE tables                                                          */

/* n bits (n <= 24) at bit position pos of p[0..len), zeros beyond. */
static uint32_t fwd_bits(const uint8_t *p, size_t len, size_t pos, unsigned n)
{
    size_t byte = pos >> 3;
    uint32_t v = 0;

    for (unsigned i = 0; i < 4 && byte + i < len; i++)
        v |= (uint32_t)p[byte + i] << (8 * i);
    return (v >> (pos & 7)) & ((1u << n) - 1);
}

/*
 * Read an FSE table description (normalised counts, "-1" for "less than
 * one"). Returns the accuracy log, the number of symbols described and
 * the number of bytes used.
 */
static int fse_read_counts(const uint8_t *p, size_t len, int16_t *norm,
                           unsigned max_sym, unsigned max_log, unsigned *plog,
                           unsigned *pnsym, size_t *pused)
{
    const size_t nbits_total = len * 8;
    unsigned log, sym = 0, nbits;
    int remaining, threshold;
    size_t pos = 4;

    if (len == 0)
        return -EINVAL;
    log = (p[0] & 15) + 5;
    if (log > max_log)
        return -EINVAL;
    /*
     * remaining is one more than the probability points still to hand
     * out; a value in 0..remaining is coded on nbits or nbits - 1 bits,
     * where threshold = 1 << (nbits - 1) <= remaining.
     */
    remaining = (1 << log) + 1;
    threshold = 1 << log;
    nbits = log + 1;
    while (remaining > 1) {
        int spare, val, prob;
        uint32_t v;

        if (sym > max_sym || pos > nbits_total)
            return -EINVAL;
        v = fwd_bits(p, len, pos, nbits);
        spare = 2 * threshold - 1 - remaining;  /* unused codes of nbits */
        if ((int)(v & (uint32_t)(threshold - 1)) < spare) {
            val = (int)(v & (uint32_t)(threshold - 1));
            pos += nbits - 1;
        } else {
            val = (int)v;
            if (val >= threshold)
                val -= spare;
            pos += nbits;
        }
        prob = val - 1;
        remaining -= prob < 0 ? 1 : prob;
        norm[sym++] = (int16_t)prob;
        if (prob == 0) {
            /* A zero is followed by 2-bit counts of further zeros. */
            for (;;) {
                uint32_t rep;

                if (pos > nbits_total)
                    return -EINVAL;
                rep = fwd_bits(p, len, pos, 2);
                pos += 2;
                if (rep > max_sym + 1 - sym)
                    return -EINVAL;
                for (uint32_t i = 0; i < rep; i++)
                    norm[sym++] = 0;
                if (rep != 3)
                    break;
            }
        }
        while (remaining < threshold) {
            nbits--;
            threshold >>= 1;
        }
    }
    if (remaining != 1 || pos > nbits_total)
        return -EINVAL;
    *plog = log;
    *pnsym = sym;
    *pused = (pos + 7) >> 3;
    return 0;
}

/*
 * Build a decoding table from normalised counts (which must sum to
 * 1 << log, "-1" counting as one). Leaves the symbol in each cell's base;
 * fse_set_codes() turns it into a baseline for sequence codes.
 */
static int fse_build(struct fse_cell *t, const int16_t *norm, unsigned nsym,
                     unsigned log)
{
    uint16_t next[FSE_SYMS_MAX];
    const unsigned size = 1u << log, mask = size - 1;
    const unsigned step = (size >> 1) + (size >> 3) + 3;
    int high = (int)size - 1;
    unsigned pos = 0;

    /* "Less than one" symbols take single cells from the top down. */
    for (unsigned s = 0; s < nsym; s++) {
        if (norm[s] == -1) {
            if (high < 0)
                return -EINVAL;
            t[high--].base = s;
            next[s] = 1;
        } else {
            next[s] = (uint16_t)norm[s];
        }
    }
    /* The others are spread over the remaining cells. */
    for (unsigned s = 0; s < nsym; s++) {
        for (int i = 0; i < norm[s]; i++) {
            t[pos].base = s;
            do
                pos = (pos + step) & mask;
            while ((int)pos > high);
        }
    }
    if (pos != 0)
        return -EINVAL;
    /*
     * The k-th cell of a symbol (in state order) gets state number
     * norm + k; the bits to read bring it back into [size, 2 * size).
     */
    for (unsigned u = 0; u < size; u++) {
        unsigned s = t[u].base, ns = next[s]++;
        unsigned nb = log - highbit32(ns);
        t[u].nb_bits = (uint8_t)nb;
        t[u].next = (uint16_t)((ns << nb) - size);
        t[u].add_bits = 0;
    }
    return 0;
}

/* Baselines and extra bits of literal-length and match-length codes. */
static const uint32_t ll_base[LL_MAX_SYM + 1] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096,
    8192, 16384, 32768, 65536,
};
static const uint8_t ll_bits[LL_MAX_SYM + 1] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12,
    13, 14, 15, 16,
};
static const uint32_t ml_base[ML_MAX_SYM + 1] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
    19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
    35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051,
    4099, 8195, 16387, 32771, 65539,
};
static const uint8_t ml_bits[ML_MAX_SYM + 1] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11,
    12, 13, 14, 15, 16,
};

/* Predefined distributions (accuracy logs 6, 6 and 5). */
static const int16_t ll_def_norm[LL_MAX_SYM + 1] = {
    4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1,
    -1, -1, -1, -1,
};
static const int16_t ml_def_norm[ML_MAX_SYM + 1] = {
    1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1,
    -1, -1, -1, -1, -1,
};
static const int16_t of_def_norm[29] = {
    1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
};

enum seq_kind { SEQ_LL, SEQ_OF, SEQ_ML };

/* Symbol -> (baseline, extra bits) for one sequence code alphabet. */
static void fse_set_code(struct fse_cell *c, enum seq_kind kind, unsigned sym)
{
    switch (kind) {
    case SEQ_LL:
        c->base = ll_base[sym];
        c->add_bits = ll_bits[sym];
        break;
    case SEQ_ML:
        c->base = ml_base[sym];
        c->add_bits = ml_bits[sym];
        break;
    case SEQ_OF:
        /* Offset_Value = (1 << code) + code extra bits. */
        c->base = 1u << sym;
        c->add_bits = (uint8_t)sym;
        break;
    }
}

static void fse_set_codes(struct fse_cell *t, unsigned log, enum seq_kind kind)
{
    for (unsigned u = 0; u < (1u << log); u++)
        fse_set_code(&t[u], kind, t[u].base);
}

static void build_default_tables(struct zstd_ws *w)
{
    /* The predefined distributions are valid: these cannot fail. */
    fse_build(w->ll_def, ll_def_norm, LL_MAX_SYM + 1, 6);
    fse_set_codes(w->ll_def, 6, SEQ_LL);
    fse_build(w->ml_def, ml_def_norm, ML_MAX_SYM + 1, 6);
    fse_set_codes(w->ml_def, 6, SEQ_ML);
    fse_build(w->of_def, of_def_norm, 29, 5);
    fse_set_codes(w->of_def, 5, SEQ_OF);
}

/* ------------------------------------------------------------------ */
/* Huffman literals                                                    */

/*
 * Huffman weights compressed with FSE: two states share one table and
 * take turns; the number of weights is found by running out of bits.
 * When updating a state reads past the start of the stream, the other
 * state's symbol is the last one.
 */
static int huf_fse_weights(struct zstd_ws *w, const uint8_t *p, size_t len,
                           unsigned *pnw)
{
    int16_t norm[HUFW_MAX_SYM + 1];
    const struct fse_cell *t = w->hufw;
    unsigned log, nsym, s1, s2, n = 0;
    size_t used;
    struct bitrd br;
    int ret;

    ret = fse_read_counts(p, len, norm, HUFW_MAX_SYM, HUFW_MAX_LOG, &log, &nsym, &used);
    if (ret)
        return ret;
    ret = fse_build(w->hufw, norm, nsym, log);
    if (ret)
        return ret;
    ret = br_init(&br, p + used, len - used);
    if (ret)
        return ret;
    s1 = (unsigned)br_bits(&br, log);
    s2 = (unsigned)br_bits(&br, log);
    br_refill(&br);
    for (;;) {
        if (n > 253)
            return -EINVAL;
        w->weights[n++] = (uint8_t)t[s1].base;
        s1 = t[s1].next + (unsigned)br_bits(&br, t[s1].nb_bits);
        br_refill(&br);
        if (br_overflow(&br)) {
            w->weights[n++] = (uint8_t)t[s2].base;
            break;
        }
        if (n > 253)
            return -EINVAL;
        w->weights[n++] = (uint8_t)t[s2].base;
        s2 = t[s2].next + (unsigned)br_bits(&br, t[s2].nb_bits);
        br_refill(&br);
        if (br_overflow(&br)) {
            w->weights[n++] = (uint8_t)t[s1].base;
            break;
        }
    }
    *pnw = n;
    return 0;
}

/*
 * Read a Huffman tree description and build the decoding table: entry i
 * of the 1 << huf_log entries gives the symbol whose code is a prefix of
 * the next huf_log bits, and the code's length.
 */
static int huf_read_tree(struct zstd_ws *w, const uint8_t *p, size_t len,
                         size_t *pused)
{
    uint32_t count[HUF_MAX_LOG + 1] = { 0 };
    uint32_t start[HUF_MAX_LOG + 1];
    unsigned nw, log, hb;
    uint32_t total = 0, rest, pos = 0;
    int ret;

    if (len == 0)
        return -EINVAL;
    hb = p[0];
    if (hb >= 128) {
        /* Direct: 4-bit weights, high nibble first. */
        nw = hb - 127;
        if ((nw + 1) / 2 > len - 1)
            return -EINVAL;
        for (unsigned i = 0; i < nw; i++) {
            uint8_t b = p[1 + i / 2];
            w->weights[i] = (i & 1) ? (b & 15) : (b >> 4);
        }
        *pused = 1 + (nw + 1) / 2;
    } else {
        if (hb > len - 1)
            return -EINVAL;
        ret = huf_fse_weights(w, p + 1, hb, &nw);
        if (ret)
            return ret;
        *pused = 1 + hb;
    }

    for (unsigned i = 0; i < nw; i++) {
        unsigned wt = w->weights[i];
        if (wt > HUF_MAX_LOG)
            return -EINVAL;
        count[wt]++;
        if (wt)
            total += 1u << (wt - 1);
    }
    if (total == 0)
        return -EINVAL;
    /* The implicit last weight completes the sum to a power of two. */
    log = highbit32(total) + 1;
    if (log > HUF_MAX_LOG)
        return -EINVAL;
    rest = (1u << log) - total;
    if (rest & (rest - 1))
        return -EINVAL;
    w->weights[nw] = (uint8_t)(highbit32(rest) + 1);
    count[w->weights[nw]]++;
    if (count[1] < 2 || (count[1] & 1))
        return -EINVAL;

    /* Longest codes (weight 1) take the lowest table entries. */
    for (unsigned wt = 1; wt <= log; wt++) {
        start[wt] = pos;
        pos += count[wt] << (wt - 1);
    }
    for (unsigned s = 0; s <= nw; s++) {
        unsigned wt = w->weights[s];
        if (!wt)
            continue;
        uint16_t e = (uint16_t)(s | ((log + 1 - wt) << 8));
        uint32_t n = 1u << (wt - 1), at = start[wt];
        for (uint32_t i = 0; i < n; i++)
            w->huf[at + i] = e;
        start[wt] = at + n;
    }
    w->huf_log = log;
    w->have_huf = true;
    return 0;
}

#define HUF_SYM(dt, br, log, op)                                         \
    do {                                                                 \
        uint16_t e_ = (dt)[((br).bits << ((br).used & 63)) >> (64 - (log))]; \
        *(op)++ = (uint8_t)e_;                                           \
        (br).used += e_ >> 8;                                            \
    } while (0)

/*
 * Decode one stream from where *b stands up to end: several symbols per
 * refill while at least eight bytes of the stream are left (a refill then
 * leaves at most 7 bits used, so 57 bits are available: five codes of up
 * to 11 bits), then one at a time. The stream must end exactly. The work
 * is done on a local copy of the reader (whose pointers may point into
 * b->pad, which outlives it) so that the compiler keeps it in registers.
 */
static int huf_finish(const uint16_t *dt, unsigned log, const struct bitrd *b,
                      uint8_t *op, uint8_t *end)
{
    struct bitrd br = *b;

    while (end - op >= 5 && br.ptr - br.start >= 8) {
        br_refill(&br);
        HUF_SYM(dt, br, log, op);
        HUF_SYM(dt, br, log, op);
        HUF_SYM(dt, br, log, op);
        HUF_SYM(dt, br, log, op);
        HUF_SYM(dt, br, log, op);
    }
    while (op < end) {
        br_refill(&br);
        HUF_SYM(dt, br, log, op);
    }
    return br_done(&br) ? 0 : -EINVAL;
}

/* Huffman-coded literals: one stream, or four after a jump table. */
static int huf_decode(struct zstd_ws *w, const uint8_t *p, size_t len,
                      uint8_t *out, size_t n, bool four)
{
    const uint16_t *dt = w->huf;
    const unsigned log = w->huf_log;
    struct bitrd br[4];
    uint8_t *op[4], *end[4];
    size_t seg, sz[4];
    int ret;

    if (!four) {
        ret = br_init(&br[0], p, len);
        if (ret)
            return ret;
        return huf_finish(dt, log, &br[0], out, out + n);
    }

    /* Jump table: the sizes of the first three streams. */
    if (len < 6)
        return -EINVAL;
    sz[0] = get_le16(p);
    sz[1] = get_le16(p + 2);
    sz[2] = get_le16(p + 4);
    if (sz[0] + sz[1] + sz[2] > len - 6)
        return -EINVAL;
    sz[3] = len - 6 - sz[0] - sz[1] - sz[2];
    /* Each stream regenerates (n + 3) / 4 bytes, the last one the rest. */
    seg = (n + 3) / 4;
    if (3 * seg > n)
        return -EINVAL;
    p += 6;
    for (int i = 0; i < 4; i++) {
        ret = br_init(&br[i], p, sz[i]);
        if (ret)
            return ret;
        p += sz[i];
        op[i] = out + seg * i;
        end[i] = i < 3 ? op[i] + seg : out + n;
    }
    /* Interleaved while all four streams have 8 bytes left; the fourth
     * segment is the shortest. */
    while (end[3] - op[3] >= 5 && br[0].ptr - br[0].start >= 8 &&
           br[1].ptr - br[1].start >= 8 && br[2].ptr - br[2].start >= 8 &&
           br[3].ptr - br[3].start >= 8) {
        br_refill(&br[0]);
        br_refill(&br[1]);
        br_refill(&br[2]);
        br_refill(&br[3]);
        for (int k = 0; k < 5; k++) {
            HUF_SYM(dt, br[0], log, op[0]);
            HUF_SYM(dt, br[1], log, op[1]);
            HUF_SYM(dt, br[2], log, op[2]);
            HUF_SYM(dt, br[3], log, op[3]);
        }
    }
    for (int i = 0; i < 4; i++) {
        ret = huf_finish(dt, log, &br[i], op[i], end[i]);
        if (ret)
            return ret;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Literals section                                                    */

/*
 * Decode the literals section at the start of a compressed block's
 * content p[0..len). in_end is the end of the whole input: raw literals
 * are used in place when at least LIT_SLACK input bytes follow them.
 */
static int decode_literals(struct zstd_ws *w, const uint8_t *p, size_t len,
                           const uint8_t *in_end, size_t block_max,
                           const uint8_t **plit, size_t *pn, size_t *pused)
{
    unsigned type = p[0] & 3, sf = (p[0] >> 2) & 3;
    size_t hdr, n;
    int ret;

    if (type < 2) {
        /* Raw or RLE: 5, 12 or 20-bit size. */
        if (sf == 0 || sf == 2) {
            hdr = 1;
            n = p[0] >> 3;
        } else if (sf == 1) {
            hdr = 2;
            if (len < hdr)
                return -EINVAL;
            n = (p[0] >> 4) + ((size_t)p[1] << 4);
        } else {
            hdr = 3;
            if (len < hdr)
                return -EINVAL;
            n = (p[0] >> 4) + ((size_t)p[1] << 4) + ((size_t)p[2] << 12);
        }
        if (n > block_max)
            return -EINVAL;
        if (type == 0) {
            if (n > len - hdr)
                return -EINVAL;
            if ((size_t)(in_end - (p + hdr + n)) >= LIT_SLACK) {
                *plit = p + hdr;
            } else {
                memcpy(w->lit, p + hdr, n);
                *plit = w->lit;
            }
            *pused = hdr + n;
        } else {
            if (len - hdr < 1)
                return -EINVAL;
            memset(w->lit, p[hdr], n);
            *plit = w->lit;
            *pused = hdr + 1;
        }
        *pn = n;
        return 0;
    }

    /* Huffman-coded (with a tree, or treeless): both sizes in the header. */
    static const uint8_t hdr_len[4] = { 3, 3, 4, 5 };
    static const uint8_t size_bits[4] = { 10, 10, 14, 18 };
    uint64_t v = 0;
    size_t csize, tree = 0;

    hdr = hdr_len[sf];
    if (len < hdr)
        return -EINVAL;
    for (size_t i = 0; i < hdr; i++)
        v |= (uint64_t)p[i] << (8 * i);
    n = (size_t)(v >> 4) & ((1u << size_bits[sf]) - 1);
    csize = (size_t)(v >> (4 + size_bits[sf])) & ((1u << size_bits[sf]) - 1);
    if (n > block_max || csize > len - hdr)
        return -EINVAL;
    if (type == 2) {
        ret = huf_read_tree(w, p + hdr, csize, &tree);
        if (ret)
            return ret;
    } else if (!w->have_huf) {
        return -EINVAL;                 /* treeless without an earlier tree */
    }
    ret = huf_decode(w, p + hdr + tree, csize - tree, w->lit, n, sf != 0);
    if (ret)
        return ret;
    *plit = w->lit;
    *pn = n;
    *pused = hdr + csize;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Sequences                                                           */

/* Read the table of one symbol type according to its mode. */
static int read_seq_table(struct zstd_ws *w, enum seq_kind kind, unsigned mode,
                          const uint8_t *p, size_t len, size_t *pused)
{
    static const uint8_t max_sym[3] = { LL_MAX_SYM, OF_MAX_SYM, ML_MAX_SYM };
    static const uint8_t max_log[3] = { LL_MAX_LOG, OF_MAX_LOG, ML_MAX_LOG };
    struct fse_table *cur = kind == SEQ_LL ? &w->cur_ll :
                            kind == SEQ_OF ? &w->cur_of : &w->cur_ml;
    struct fse_cell *tab = kind == SEQ_LL ? w->ll : kind == SEQ_OF ? w->of : w->ml;
    struct fse_cell *rle = kind == SEQ_LL ? &w->ll_rle :
                           kind == SEQ_OF ? &w->of_rle : &w->ml_rle;
    int16_t norm[FSE_SYMS_MAX];
    unsigned log, nsym;
    int ret;

    *pused = 0;
    switch (mode) {
    case 0:                             /* Predefined_Mode */
        cur->cells = kind == SEQ_LL ? w->ll_def : kind == SEQ_OF ? w->of_def : w->ml_def;
        cur->log = kind == SEQ_OF ? 5 : 6;
        return 0;
    case 1:                             /* RLE_Mode: one symbol, no bits */
        if (len < 1)
            return -EINVAL;
        if (p[0] > max_sym[kind])
            return -EINVAL;
        fse_set_code(rle, kind, p[0]);
        rle->nb_bits = 0;
        rle->next = 0;
        cur->cells = rle;
        cur->log = 0;
        *pused = 1;
        return 0;
    case 2:                             /* FSE_Compressed_Mode */
        ret = fse_read_counts(p, len, norm, max_sym[kind], max_log[kind], &log,
                              &nsym, pused);
        if (ret)
            return ret;
        ret = fse_build(tab, norm, nsym, log);
        if (ret)
            return ret;
        fse_set_codes(tab, log, kind);
        cur->cells = tab;
        cur->log = log;
        return 0;
    default:                            /* Repeat_Mode */
        return cur->cells ? 0 : -EINVAL;
    }
}

/*
 * Copy len bytes 16 at a time, possibly 15 bytes too many. Correct for
 * overlapping buffers as long as dst - src >= 8 (each 8-byte load only
 * reads bytes already stored).
 */
static inline void wild_copy16(uint8_t *dst, const uint8_t *src, size_t len)
{
    uint8_t *const end = dst + len;
    do {
        copy8(dst, src);
        copy8(dst + 8, src + 8);
        dst += 16;
        src += 16;
    } while (dst < end);
}

/*
 * Match with offset < 8 (fast path: may write 7 bytes past the match).
 * The first bytes are copied one by one until the copied span reaches a
 * multiple of the offset that is at least 8; the pattern repeats with
 * that period too, so the rest can go 8 bytes at a time.
 */
static inline void copy_match_short(uint8_t *op, size_t off, size_t len)
{
    static const uint8_t period[8] = { 0, 8, 8, 9, 8, 10, 12, 14 };
    uint8_t *const end = op + len;
    size_t d2 = period[off], head = d2 - off;

    if (off == 1) {
        uint64_t v = op[-1] * 0x0101010101010101ull;
        do {
            __builtin_memcpy(op, &v, 8);
            op += 8;
        } while (op < end);
        return;
    }
    const uint8_t *src = op - off;
    for (size_t i = 0; i < head; i++)
        op[i] = src[i];
    op += head;
    while (op < end) {
        copy8(op, op - d2);
        op += 8;
    }
}

struct frame {
    uint8_t *fstart;            /* the frame's first output byte */
    uint8_t *op;                /* next output byte */
    uint8_t *cap_end;           /* end of the output buffer, or of the
                                   frame's declared content */
    size_t block_max;           /* Block_Maximum_Size */
};

/*
 * Decode the sequences bitstream p[0..len) and execute the nseq sequences
 * against the literals lit[0..nlit), then append the remaining literals.
 */
static int exec_sequences(struct zstd_ws *w, struct frame *f, const uint8_t *p,
                          size_t len, unsigned nseq, const uint8_t *lit,
                          size_t nlit)
{
    const struct fse_cell *const llt = w->cur_ll.cells, *const mlt = w->cur_ml.cells;
    const struct fse_cell *const oft = w->cur_of.cells;
    const uint8_t *const lit_end = lit + nlit;
    const uint8_t *const fstart = f->fstart;
    uint8_t *const cap_end = f->cap_end;
    uint8_t *op = f->op, *limit;
    size_t rep0 = w->rep[0], rep1 = w->rep[1], rep2 = w->rep[2];
    unsigned lls, mls, ofs;
    bool limit_is_cap;
    struct bitrd br;
    int ret;

    /* Block output may not exceed Block_Maximum_Size (nor the buffer). */
    limit_is_cap = (size_t)(cap_end - op) <= f->block_max;
    limit = limit_is_cap ? cap_end : op + f->block_max;

    ret = br_init(&br, p, len);
    if (ret)
        return ret;
    lls = (unsigned)br_bits(&br, w->cur_ll.log);
    ofs = (unsigned)br_bits(&br, w->cur_of.log);
    mls = (unsigned)br_bits(&br, w->cur_ml.log);

    for (unsigned i = 0; i < nseq; i++) {
        const struct fse_cell *l = &llt[lls], *m = &mlt[mls], *o = &oft[ofs];
        size_t ofv, ml, ll, off;

        /* Offset (<= 31 bits) and match length (<= 16) extra bits... */
        br_refill(&br);
        ofv = o->base + br_bits(&br, o->add_bits);
        ml = m->base + br_bits(&br, m->add_bits);
        /* ...then literal length (<= 16) and the state updates (<= 26). */
        br_refill(&br);
        ll = l->base + br_bits(&br, l->add_bits);
        if (i + 1 < nseq) {
            lls = l->next + (unsigned)br_bits(&br, l->nb_bits);
            mls = m->next + (unsigned)br_bits(&br, m->nb_bits);
            ofs = o->next + (unsigned)br_bits(&br, o->nb_bits);
        }

        if (ofv > 3) {
            off = ofv - 3;
            rep2 = rep1;
            rep1 = rep0;
            rep0 = off;
        } else {
            /* Repeat offsets; with no literals the choice shifts by one. */
            unsigned idx = (unsigned)ofv - 1 + (ll == 0);
            if (idx == 0) {
                off = rep0;
            } else if (idx == 1) {
                off = rep1;
                rep1 = rep0;
                rep0 = off;
            } else {
                if (idx == 2) {
                    off = rep2;
                } else {
                    off = rep0 - 1;
                    if (unlikely(off == 0))
                        return -EINVAL;
                }
                rep2 = rep1;
                rep1 = rep0;
                rep0 = off;
            }
        }

        if (unlikely(ll > (size_t)(lit_end - lit)))
            return -EINVAL;             /* more literals than decoded */
        if (unlikely(ll + ml > (size_t)(limit - op)))
            return limit_is_cap ? -ENOSPC : -EINVAL;
        if (unlikely(off > (size_t)(op - fstart) + ll))
            return -EINVAL;             /* before the start of the frame */

        if (likely((size_t)(cap_end - op) >= ll + ml + WILD_MARGIN)) {
            wild_copy16(op, lit, ll);
            op += ll;
            lit += ll;
            if (likely(off >= 8))
                wild_copy16(op, op - off, ml);
            else
                copy_match_short(op, off, ml);
            op += ml;
        } else {
            /* Close to the end of the buffer: exact copies. */
            memcpy(op, lit, ll);
            op += ll;
            lit += ll;
            for (size_t k = 0; k < ml; k++)
                op[k] = op[(ptrdiff_t)k - (ptrdiff_t)off];
            op += ml;
        }
    }
    f->op = op;
    if (!br_done(&br))
        return -EINVAL;                 /* bitstream not consumed exactly */

    /* Literals left over go at the end of the block. */
    nlit = (size_t)(lit_end - lit);
    if (nlit > (size_t)(limit - op))
        return limit_is_cap ? -ENOSPC : -EINVAL;
    memcpy(op, lit, nlit);
    f->op = op + nlit;
    w->rep[0] = rep0;
    w->rep[1] = rep1;
    w->rep[2] = rep2;
    return 0;
}

/* A compressed block's content p[0..len). */
static int decode_block(struct zstd_ws *w, struct frame *f, const uint8_t *p,
                        size_t len, const uint8_t *in_end)
{
    const uint8_t *lit;
    size_t nlit, used;
    unsigned nseq, modes;
    int ret;

    if (len == 0)
        return -EINVAL;
    ret = decode_literals(w, p, len, in_end, f->block_max, &lit, &nlit, &used);
    if (ret)
        return ret;
    p += used;
    len -= used;

    /* Number_of_Sequences: 1 to 3 bytes. */
    if (len < 1)
        return -EINVAL;
    if (p[0] < 128) {
        nseq = p[0];
        used = 1;
    } else if (p[0] < 255) {
        if (len < 2)
            return -EINVAL;
        nseq = ((p[0] - 128u) << 8) + p[1];
        used = 2;
    } else {
        if (len < 3)
            return -EINVAL;
        nseq = p[1] + ((unsigned)p[2] << 8) + 0x7F00;
        used = 3;
    }
    p += used;
    len -= used;
    if (nseq == 0) {
        /* The block is its literals; the section ends here. */
        if (len != 0)
            return -EINVAL;
        if (nlit > (size_t)(f->cap_end - f->op))
            return -ENOSPC;
        memcpy(f->op, lit, nlit);
        f->op += nlit;
        return 0;
    }

    if (len < 1)
        return -EINVAL;
    modes = p[0];
    if (modes & 3)
        return -EINVAL;                 /* reserved bits */
    p++;
    len--;
    ret = read_seq_table(w, SEQ_LL, modes >> 6, p, len, &used);
    if (ret)
        return ret;
    p += used;
    len -= used;
    ret = read_seq_table(w, SEQ_OF, (modes >> 4) & 3, p, len, &used);
    if (ret)
        return ret;
    p += used;
    len -= used;
    ret = read_seq_table(w, SEQ_ML, (modes >> 2) & 3, p, len, &used);
    if (ret)
        return ret;
    p += used;
    len -= used;
    return exec_sequences(w, f, p, len, nseq, lit, nlit);
}

/* ------------------------------------------------------------------ */
/* Frames                                                              */

static int decode_frame(struct zstd_ws *w, const uint8_t *in, size_t in_len,
                        size_t *ppos, uint8_t *out, size_t out_cap,
                        size_t *popos)
{
    static const uint8_t did_size[4] = { 0, 1, 2, 4 };
    static const uint8_t fcs_size[4] = { 0, 2, 4, 8 };
    size_t pos = *ppos + 4, hsize, ostart = *popos;
    uint64_t window, fcs = 0;
    unsigned fhd, fsz, dsz;
    bool single, has_fcs, checksum;
    struct frame f;
    int ret = 0;

    if (pos >= in_len)
        return -ENODATA;
    fhd = in[pos];
    if (fhd & 0x08)
        return -EINVAL;                 /* reserved bit */
    single = fhd & 0x20;
    checksum = fhd & 0x04;
    dsz = did_size[fhd & 3];
    fsz = fcs_size[fhd >> 6];
    if (fsz == 0 && single)
        fsz = 1;
    has_fcs = fsz != 0;
    hsize = 1 + !single + dsz + fsz;
    if (in_len - pos < hsize)
        return -ENODATA;
    pos++;
    if (!single) {
        unsigned e = in[pos] >> 3, m = in[pos] & 7;
        window = 1ull << (10 + e);
        window += (window >> 3) * m;
        pos++;
    } else {
        window = 0;
    }
    if (dsz) {
        uint32_t did = 0;
        for (unsigned i = 0; i < dsz; i++)
            did |= (uint32_t)in[pos + i] << (8 * i);
        if (did != 0)
            return -EOPNOTSUPP;         /* needs a dictionary */
        pos += dsz;
    }
    if (fsz) {
        for (unsigned i = 0; i < fsz; i++)
            fcs |= (uint64_t)in[pos + i] << (8 * i);
        if (fsz == 2)
            fcs += 256;
        pos += fsz;
    }
    if (single)
        window = fcs;
    if (has_fcs && fcs > out_cap - ostart)
        return -ENOSPC;

    /* A frame that declares its size may not write beyond it. */
    f.fstart = out + ostart;
    f.op = f.fstart;
    f.cap_end = has_fcs ? f.fstart + fcs : out + out_cap;
    f.block_max = window < BLOCK_SIZE_MAX ? (size_t)window : BLOCK_SIZE_MAX;
    w->cur_ll.cells = w->cur_ml.cells = w->cur_of.cells = NULL;
    w->have_huf = false;
    w->rep[0] = 1;
    w->rep[1] = 4;
    w->rep[2] = 8;

    for (;;) {
        uint32_t bh, type, bsize;
        bool last;

        if (in_len - pos < 3) {
            ret = -ENODATA;
            break;
        }
        bh = get_le24(in + pos);
        pos += 3;
        last = bh & 1;
        type = (bh >> 1) & 3;
        bsize = bh >> 3;
        if (type == 3 || bsize > f.block_max) {
            ret = -EINVAL;
            break;
        }
        if (type == 1) {
            /* RLE_Block: one byte, repeated bsize times. */
            if (in_len - pos < 1) {
                ret = -ENODATA;
                break;
            }
            if (bsize > (size_t)(f.cap_end - f.op)) {
                ret = -ENOSPC;
                break;
            }
            memset(f.op, in[pos], bsize);
            f.op += bsize;
            pos += 1;
        } else {
            if (in_len - pos < bsize) {
                ret = -ENODATA;
                break;
            }
            if (type == 0) {
                if (bsize > (size_t)(f.cap_end - f.op)) {
                    ret = -ENOSPC;
                    break;
                }
                memcpy(f.op, in + pos, bsize);
                f.op += bsize;
            } else {
                ret = decode_block(w, &f, in + pos, bsize, in + in_len);
                if (ret)
                    break;
            }
            pos += bsize;
        }
        if (last)
            break;
    }
    *popos = (size_t)(f.op - out);
    if (ret == -ENOSPC && has_fcs)
        ret = -EINVAL;                  /* more data than the header said */
    if (ret)
        return ret;

    if (has_fcs && (uint64_t)(f.op - f.fstart) != fcs)
        return -EINVAL;                 /* content size mismatch */
    if (checksum) {
        if (in_len - pos < 4)
            return -ENODATA;
        uint32_t want = get_le32(in + pos);
        if ((uint32_t)zstd_xxh64(f.fstart, (size_t)(f.op - f.fstart), 0) != want)
            return -EBADMSG;
        pos += 4;
    }
    *ppos = pos;
    return 0;
}

enum magic_kind { MAGIC_NONE, MAGIC_ZSTD, MAGIC_SKIP };

static enum magic_kind magic_at(const uint8_t *p)
{
    uint32_t m = get_le32(p);

    if (m == ZSTD_MAGIC)
        return MAGIC_ZSTD;
    if ((m & 0xFFFFFFF0u) == SKIPPABLE_MAGIC)
        return MAGIC_SKIP;
    return MAGIC_NONE;
}

/* Does p[0..n) (n < 4) start like some frame's magic number? */
static bool partial_magic(const uint8_t *p, size_t n)
{
    static const uint8_t zm[4] = { 0x28, 0xB5, 0x2F, 0xFD };
    static const uint8_t sm[4] = { 0x50, 0x2A, 0x4D, 0x18 };
    bool z = true, s = true;

    for (size_t i = 0; i < n; i++) {
        z = z && p[i] == zm[i];
        s = s && (i == 0 ? (p[0] & 0xF0) == sm[0] : p[i] == sm[i]);
    }
    return z || s;
}

int unzstd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
           size_t *out_len, void *work)
{
    struct zstd_ws *w = ws_from(work);
    size_t pos = 0, opos = 0;
    int ret = 0;

    build_default_tables(w);
    if (in_len < 4) {
        ret = partial_magic(in, in_len) ? -ENODATA : -EINVAL;
        goto out;
    }
    if (magic_at(in) == MAGIC_NONE) {
        ret = -EINVAL;
        goto out;
    }
    /* Frames follow each other as long as a magic number comes next. */
    while (in_len - pos >= 4) {
        enum magic_kind k = magic_at(in + pos);

        if (k == MAGIC_NONE)
            break;                      /* trailing data: ignored */
        if (k == MAGIC_SKIP) {
            if (in_len - pos < 8) {
                ret = -ENODATA;
                break;
            }
            uint32_t sz = get_le32(in + pos + 4);
            if (sz > in_len - pos - 8) {
                ret = -ENODATA;
                break;
            }
            pos += 8 + (size_t)sz;
            continue;
        }
        ret = decode_frame(w, in, in_len, &pos, out, out_cap, &opos);
        if (ret)
            break;
    }
out:
    *out_len = opos;
    return ret;
}
