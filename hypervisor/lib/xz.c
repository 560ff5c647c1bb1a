/* SPDX-License-Identifier: MIT */
/*
 * .xz decoder for the dom0 builder: container parsing and validation,
 * LZMA2 chunk layer, LZMA decoder and the x86 BCJ filter.
 *
 * Single call: the whole input and the whole output buffer are given at
 * once. Each block's output is written straight into the output buffer,
 * which serves as the LZ dictionary (a block always starts with a
 * dictionary reset, so blocks never refer to each other). The x86 BCJ
 * filter, when present, runs in place over a block's output once LZMA2 has
 * finished it; converting a whole block in one pass gives the same result
 * as the streaming filter.
 *
 * Robustness: every length read from the input is checked before use, the
 * range decoder never reads past its chunk (the last bytes of a chunk are
 * decoded from a zero-padded copy), and every loop is bounded by the input
 * or output size, so corrupt data yields an error rather than a fault or a
 * hang.
 */
#include "xeno/xz.h"
#include "xeno/crc32.h"
#include "xeno/crc64.h"
#include "xeno/errno.h"
#include "xeno/string.h"
#include "xeno/types.h"
#include "xeno/lz_copy.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "xz.c assumes a little-endian CPU"
#endif

/* ------------------------------------------------------------------ */
/* LZMA decoder state                                                  */

#define LZMA_STATES      12
#define LZMA_LIT_STATES  7      /* states < 7: previous symbol was a literal */
#define POS_STATES_MAX   16     /* pb <= 4 */
#define LIT_CODER_SIZE   0x300
#define LIT_CODERS_MAX   16     /* LZMA2: lc + lp <= 4 */
#define DIST_STATES      4
#define DIST_SLOTS       64
#define DIST_MODEL_START 4
#define DIST_MODEL_END   14
#define FULL_DISTANCES   128
#define ALIGN_BITS       4
#define MATCH_LEN_MIN    2

#define PROB_BITS        11
#define PROB_ONE         (1u << PROB_BITS)
#define PROB_INIT        (PROB_ONE / 2)
#define MOVE_BITS        5
#define RC_TOP           (1u << 24)

/*
 * A symbol consumes at most about 21 input bytes (22 adaptive bits each
 * shrinking the range by at most ~6 bits, plus 26 direct bits). Leave more
 * margin than that; the last bytes of each chunk are decoded from a copy
 * padded with zeros so that the decoder never reads out of bounds.
 */
#define IN_MARGIN        32
#define TAIL_SIZE        (IN_MARGIN + 64)

struct len_probs {
    uint16_t choice;
    uint16_t choice2;
    uint16_t low[POS_STATES_MAX][8];
    uint16_t mid[POS_STATES_MAX][8];
    uint16_t high[256];
};

struct lzma_probs {
    uint16_t is_match[LZMA_STATES][POS_STATES_MAX];
    uint16_t is_rep[LZMA_STATES];
    uint16_t is_rep0[LZMA_STATES];
    uint16_t is_rep1[LZMA_STATES];
    uint16_t is_rep2[LZMA_STATES];
    uint16_t is_rep0_long[LZMA_STATES][POS_STATES_MAX];
    uint16_t dist_slot[DIST_STATES][DIST_SLOTS];
    /* Indexed from 1 by the reverse bit tree: base + 1 .. 114. */
    uint16_t dist_special[FULL_DISTANCES - DIST_MODEL_END + 1];
    uint16_t dist_align[1u << ALIGN_BITS];
    struct len_probs match_len;
    struct len_probs rep_len;
    uint16_t literal[LIT_CODERS_MAX * LIT_CODER_SIZE];   /* must be last */
};

struct xz_ws {
    struct lzma_probs p;
    /* LZMA state carried from chunk to chunk. */
    uint32_t state, rep0, rep1, rep2, rep3;
    uint32_t lc, lp, pb;
    /* Block accounting, compared with the index. */
    uint64_t nblocks, sum_unpadded, sum_unc;
    uint32_t rec_crc;
    uint8_t tail[TAIL_SIZE];
};

#define WS_ALIGN 8

size_t xz_workspace_size(void)
{
    return sizeof(struct xz_ws) + WS_ALIGN;
}

static struct xz_ws *ws_from(void *work)
{
    uintptr_t p = ((uintptr_t)work + WS_ALIGN - 1) & ~(uintptr_t)(WS_ALIGN - 1);
    return (struct xz_ws *)p;
}

static inline uint32_t get_le32(const uint8_t *p)
{
    return p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint64_t get_le64(const uint8_t *p)
{
    return get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

static inline uint32_t get_be16(const uint8_t *p)
{
    return ((uint32_t)p[0] << 8) | p[1];
}

static void lzma_reset_state(struct xz_ws *s)
{
    uint16_t *p = (uint16_t *)&s->p;
    size_t n = offsetof(struct lzma_probs, literal) / sizeof(uint16_t) +
               ((size_t)LIT_CODER_SIZE << (s->lc + s->lp));

    for (size_t i = 0; i < n; i++)
        p[i] = PROB_INIT;
    s->state = 0;
    s->rep0 = s->rep1 = s->rep2 = s->rep3 = 0;
}

/* Range decoder primitives on the locals range, code, ip. */
#define RC_NORMALIZE()                                                   \
    do {                                                                 \
        if (range < RC_TOP) {                                            \
            range <<= 8;                                                 \
            code = (code << 8) | *ip++;                                  \
        }                                                                \
    } while (0)

/* Decode one bit with adaptive probability *p; evaluates to the bit. */
#define RC_BIT(p)                                                        \
    ({                                                                   \
        uint16_t *p_ = (p);                                              \
        uint32_t pv_ = *p_, bound_, bit_;                                \
        RC_NORMALIZE();                                                  \
        bound_ = (range >> PROB_BITS) * pv_;                             \
        if (code < bound_) {                                             \
            range = bound_;                                              \
            *p_ = (uint16_t)(pv_ + ((PROB_ONE - pv_) >> MOVE_BITS));     \
            bit_ = 0;                                                    \
        } else {                                                         \
            range -= bound_;                                             \
            code -= bound_;                                              \
            *p_ = (uint16_t)(pv_ - (pv_ >> MOVE_BITS));                  \
            bit_ = 1;                                                    \
        }                                                                \
        bit_;                                                            \
    })

/* One step of a bit tree: sym = sym * 2 + bit, probability probs[sym]. */
#define RC_TREE_STEP(probs, sym)                                         \
    do {                                                                 \
        uint16_t *p_ = &(probs)[sym];                                    \
        uint32_t pv_ = *p_, bound_;                                      \
        RC_NORMALIZE();                                                  \
        bound_ = (range >> PROB_BITS) * pv_;                             \
        if (code < bound_) {                                             \
            range = bound_;                                              \
            *p_ = (uint16_t)(pv_ + ((PROB_ONE - pv_) >> MOVE_BITS));     \
            (sym) <<= 1;                                                 \
        } else {                                                         \
            range -= bound_;                                             \
            code -= bound_;                                              \
            *p_ = (uint16_t)(pv_ - (pv_ >> MOVE_BITS));                  \
            (sym) = ((sym) << 1) + 1;                                    \
        }                                                                \
    } while (0)

/* nbits-bit tree, most significant bit first; value in 0 .. 2^nbits-1. */
#define RC_TREE(probs, nbits)                                            \
    ({                                                                   \
        uint32_t t_ = 1;                                                 \
        for (unsigned n_ = 0; n_ < (nbits); n_++)                        \
            RC_TREE_STEP(probs, t_);                                     \
        t_ - (1u << (nbits));                                            \
    })

/* nbits-bit tree, least significant bit first. */
#define RC_TREE_REV(probs, nbits)                                        \
    ({                                                                   \
        uint32_t m_ = 1, r_ = 0;                                         \
        for (unsigned n_ = 0; n_ < (nbits); n_++) {                      \
            uint32_t b_ = RC_BIT(&(probs)[m_]);                          \
            m_ = (m_ << 1) + b_;                                         \
            r_ |= b_ << n_;                                              \
        }                                                                \
        r_;                                                              \
    })

/* nbits bits with fixed probability 1/2. */
#define RC_DIRECT(nbits)                                                 \
    ({                                                                   \
        uint32_t r_ = 0;                                                 \
        for (unsigned n_ = 0; n_ < (nbits); n_++) {                      \
            uint32_t t_;                                                 \
            RC_NORMALIZE();                                              \
            range >>= 1;                                                 \
            t_ = code >= range;                                          \
            code -= range & (0u - t_);                                   \
            r_ = (r_ << 1) | t_;                                         \
        }                                                                \
        r_;                                                              \
    })

#define RC_LEN(lp, pos_state)                                            \
    ({                                                                   \
        uint32_t l_;                                                     \
        if (!RC_BIT(&(lp)->choice))                                      \
            l_ = MATCH_LEN_MIN + RC_TREE((lp)->low[pos_state], 3);       \
        else if (!RC_BIT(&(lp)->choice2))                                \
            l_ = MATCH_LEN_MIN + 8 + RC_TREE((lp)->mid[pos_state], 3);   \
        else                                                             \
            l_ = MATCH_LEN_MIN + 16 + RC_TREE((lp)->high, 8);            \
        l_;                                                              \
    })

static const uint8_t state_after_lit[LZMA_STATES] = {
    0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 4, 5
};

/*
 * Decode one LZMA chunk: exactly in_size compressed bytes (including the
 * five range coder initialisation bytes) into exactly out_size bytes at
 * op. dict is the position of the last dictionary reset (start of the
 * history), limit the end of the whole output buffer.
 */
static int lzma_chunk(struct xz_ws *s, const uint8_t *in, size_t in_size,
                      uint8_t *dict, uint8_t *op, size_t out_size,
                      uint8_t *limit)
{
    struct lzma_probs *const P = &s->p;
    uint8_t *const oend = op + out_size;
    const uint8_t *ip, *ilimit;
    const uint8_t *const iend = in + in_size;
    uint32_t range, code;
    uint32_t state = s->state;
    uint32_t rep0 = s->rep0, rep1 = s->rep1, rep2 = s->rep2, rep3 = s->rep3;
    const uint32_t pb_mask = (1u << s->pb) - 1;
    const uint32_t lp_mask = (1u << s->lp) - 1;
    const uint32_t lc = s->lc;
    bool in_tail = false;
    size_t tail_real = 0;

    if (in_size < 5 || in[0] != 0)
        return -EINVAL;
    range = 0xFFFFFFFFu;
    code = ((uint32_t)in[1] << 24) | ((uint32_t)in[2] << 16) |
           ((uint32_t)in[3] << 8) | in[4];
    ip = in + 5;
    ilimit = (iend - ip > IN_MARGIN) ? iend - IN_MARGIN : ip;

    while (op < oend) {
        size_t pos;
        uint32_t pos_state, len;

        if (unlikely(ip >= ilimit) && !in_tail) {
            /*
             * Too close to the end of the chunk for an unchecked symbol:
             * continue from a zero-padded copy of the remaining bytes.
             */
            tail_real = (size_t)(iend - ip);
            memcpy(s->tail, ip, tail_real);
            memset(s->tail + tail_real, 0, TAIL_SIZE - tail_real);
            ip = s->tail;
            ilimit = s->tail + tail_real;
            in_tail = true;
        }
        if (unlikely(in_tail) && ip > ilimit)
            return -EINVAL;             /* ran past the chunk's data */

        pos = (size_t)(op - dict);
        pos_state = (uint32_t)pos & pb_mask;

        if (!RC_BIT(&P->is_match[state][pos_state])) {
            /* Literal. */
            uint32_t prev = pos ? op[-1] : 0;
            uint16_t *lp = P->literal + LIT_CODER_SIZE *
                ((((uint32_t)pos & lp_mask) << lc) + (prev >> (8 - lc)));
            uint32_t sym = 1;

            if (state < LZMA_LIT_STATES) {
                RC_TREE_STEP(lp, sym);
                RC_TREE_STEP(lp, sym);
                RC_TREE_STEP(lp, sym);
                RC_TREE_STEP(lp, sym);
                RC_TREE_STEP(lp, sym);
                RC_TREE_STEP(lp, sym);
                RC_TREE_STEP(lp, sym);
                RC_TREE_STEP(lp, sym);
            } else {
                /*
                 * Matched literal: while the decoded bits agree with the
                 * byte at rep0, use the probabilities selected by the
                 * match byte's next bit (offset 0x100 or 0x200); after the
                 * first disagreement fall back to the plain tree.
                 */
                if (unlikely(rep0 >= pos))
                    return -EINVAL;
                uint32_t mbyte = op[-(ptrdiff_t)rep0 - 1];
                uint32_t offs = 0x100;
                do {
                    uint32_t mbit, bit;
                    mbyte <<= 1;
                    mbit = mbyte & offs;
                    bit = RC_BIT(&lp[offs + mbit + sym]);
                    sym = (sym << 1) + bit;
                    offs &= mbit ^ (bit - 1);
                } while (sym < 0x100);
            }
            *op++ = (uint8_t)sym;
            state = state_after_lit[state];
            continue;
        }

        if (!RC_BIT(&P->is_rep[state])) {
            /* Match with a new distance. */
            uint32_t slot, lstate;

            len = RC_LEN(&P->match_len, pos_state);
            state = state < LZMA_LIT_STATES ? 7 : 10;
            rep3 = rep2;
            rep2 = rep1;
            rep1 = rep0;
            lstate = len - MATCH_LEN_MIN;
            if (lstate > DIST_STATES - 1)
                lstate = DIST_STATES - 1;
            slot = RC_TREE(P->dist_slot[lstate], 6);
            if (slot < DIST_MODEL_START) {
                rep0 = slot;
            } else {
                uint32_t ndirect = (slot >> 1) - 1;
                rep0 = (2 | (slot & 1)) << ndirect;
                if (slot < DIST_MODEL_END) {
                    rep0 += RC_TREE_REV(P->dist_special + rep0 - slot, ndirect);
                } else {
                    rep0 += RC_DIRECT(ndirect - ALIGN_BITS) << ALIGN_BITS;
                    rep0 += RC_TREE_REV(P->dist_align, ALIGN_BITS);
                    if (unlikely(rep0 == 0xFFFFFFFFu))
                        return -EINVAL; /* end marker: not allowed in LZMA2 */
                }
            }
        } else if (!RC_BIT(&P->is_rep0[state])) {
            if (!RC_BIT(&P->is_rep0_long[state][pos_state])) {
                /* Short rep: one byte from distance rep0. */
                if (unlikely(rep0 >= pos))
                    return -EINVAL;
                state = state < LZMA_LIT_STATES ? 9 : 11;
                *op = op[-(ptrdiff_t)rep0 - 1];
                op++;
                continue;
            }
            len = RC_LEN(&P->rep_len, pos_state);
            state = state < LZMA_LIT_STATES ? 8 : 11;
        } else {
            uint32_t d;
            if (!RC_BIT(&P->is_rep1[state])) {
                d = rep1;
            } else {
                if (!RC_BIT(&P->is_rep2[state])) {
                    d = rep2;
                } else {
                    d = rep3;
                    rep3 = rep2;
                }
                rep2 = rep1;
            }
            rep1 = rep0;
            rep0 = d;
            len = RC_LEN(&P->rep_len, pos_state);
            state = state < LZMA_LIT_STATES ? 8 : 11;
        }

        if (unlikely(rep0 >= pos))
            return -EINVAL;             /* distance beyond the dictionary */
        if (unlikely(len > (size_t)(oend - op)))
            return -EINVAL;             /* match runs past the chunk */
        op = copy_match(op, (size_t)rep0 + 1, len, limit);
    }

    RC_NORMALIZE();
    if (in_tail) {
        if ((size_t)(ip - s->tail) != tail_real)
            return -EINVAL;
    } else if (ip != iend) {
        return -EINVAL;
    }
    if (code != 0)
        return -EINVAL;

    s->state = state;
    s->rep0 = rep0;
    s->rep1 = rep1;
    s->rep2 = rep2;
    s->rep3 = rep3;
    return 0;
}

/* ------------------------------------------------------------------ */
/* LZMA2 chunk layer                                                   */

/*
 * Decode LZMA2 data starting at in[*ppos] (input ends at in_end) into
 * out[*popos ..] (buffer ends at out_end). On success *ppos points past the
 * end marker and *popos past the produced data.
 */
static int lzma2_decode(struct xz_ws *s, const uint8_t *in, size_t in_end,
                        size_t *ppos, uint8_t *out, size_t out_end,
                        size_t *popos)
{
    size_t pos = *ppos, opos = *popos, dict = opos;
    bool need_dict_reset = true, need_props = true;
    int ret = 0;

    for (;;) {
        uint32_t ctrl;

        if (pos >= in_end) {
            ret = -ENODATA;
            break;
        }
        ctrl = in[pos++];
        if (ctrl == 0x00)
            break;                      /* end of LZMA2 data */

        if (ctrl >= 0xE0 || ctrl == 0x01) {
            need_props = true;
            need_dict_reset = false;
            dict = opos;
        } else if (need_dict_reset) {
            ret = -EINVAL;
            break;
        }

        if (ctrl >= 0x80) {
            size_t hdr = ctrl >= 0xC0 ? 5 : 4;
            size_t usize, csize;

            if (in_end - pos < hdr) {
                ret = -ENODATA;
                break;
            }
            usize = (((size_t)ctrl & 0x1F) << 16) + get_be16(in + pos) + 1;
            csize = (size_t)get_be16(in + pos + 2) + 1;
            if (ctrl >= 0xC0) {
                uint32_t props = in[pos + 4];
                if (props >= 9 * 5 * 5) {
                    ret = -EINVAL;
                    break;
                }
                s->lc = props % 9;
                props /= 9;
                s->lp = props % 5;
                s->pb = props / 5;
                if (s->lc + s->lp > 4) {
                    ret = -EINVAL;
                    break;
                }
                need_props = false;
            } else if (need_props) {
                ret = -EINVAL;
                break;
            }
            pos += hdr;
            if (ctrl >= 0xA0)
                lzma_reset_state(s);
            if (in_end - pos < csize) {
                ret = -ENODATA;
                break;
            }
            if (out_end - opos < usize) {
                ret = -ENOSPC;
                break;
            }
            ret = lzma_chunk(s, in + pos, csize, out + dict, out + opos, usize,
                             out + out_end);
            if (ret)
                break;
            pos += csize;
            opos += usize;
        } else {
            size_t usize;

            if (ctrl > 0x02) {
                ret = -EINVAL;
                break;
            }
            if (in_end - pos < 2) {
                ret = -ENODATA;
                break;
            }
            usize = (size_t)get_be16(in + pos) + 1;
            pos += 2;
            if (in_end - pos < usize) {
                ret = -ENODATA;
                break;
            }
            if (out_end - opos < usize) {
                ret = -ENOSPC;
                break;
            }
            memcpy(out + opos, in + pos, usize);
            pos += usize;
            opos += usize;
        }
    }
    *ppos = pos;
    *popos = opos;
    return ret;
}

/* ------------------------------------------------------------------ */
/* x86 BCJ filter (decoder direction)                                  */

static inline bool x86_ms_byte_ok(uint8_t b)
{
    return b == 0x00 || b == 0xFF;
}

/*
 * Convert the absolute addresses that the encoder stored in E8 (CALL) and
 * E9 (JMP) rel32 operands back to relative ones. mask remembers, for the
 * previous few bytes, where E8/E9 bytes were seen without being converted,
 * which suppresses conversion of some overlapping candidates exactly as the
 * encoder did. start is the filter's start offset (the address of buf[0]).
 */
static void bcj_x86_decode(uint8_t *buf, size_t size, uint32_t start)
{
    static const bool allowed[8] = { 1, 1, 1, 0, 1, 0, 0, 0 };
    static const uint8_t shift_bytes[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };
    uint32_t mask = 0;
    size_t last = 0;            /* index of the last E8/E9 seen, plus 5 */
    size_t i = 0;

    if (size < 5)
        return;
    while (i <= size - 5) {
        uint8_t b = buf[i];
        if ((b & 0xFE) != 0xE8) {
            i++;
            continue;
        }
        size_t gap = i + 5 - last;  /* distance from the previous E8/E9 */
        last = i + 5;
        if (gap > 5) {
            mask = 0;
        } else {
            while (gap--)
                mask = (mask & 0x77) << 1;
        }

        uint8_t top = buf[i + 4];
        if (x86_ms_byte_ok(top) && allowed[(mask >> 1) & 7] &&
            (mask >> 1) < 0x10) {
            uint32_t src = get_le32(buf + i + 1);
            uint32_t dest;
            for (;;) {
                dest = src - (start + (uint32_t)i + 5);
                if (mask == 0)
                    break;
                unsigned sh = shift_bytes[mask >> 1] * 8;
                if (!x86_ms_byte_ok((uint8_t)(dest >> (24 - sh))))
                    break;
                src = dest ^ ((1u << (32 - sh)) - 1);
            }
            /* Sign-extend bit 24 into the top byte. */
            dest &= 0x01FFFFFFu;
            if (dest & 0x01000000u)
                dest |= 0xFF000000u;
            buf[i + 1] = (uint8_t)dest;
            buf[i + 2] = (uint8_t)(dest >> 8);
            buf[i + 3] = (uint8_t)(dest >> 16);
            buf[i + 4] = (uint8_t)(dest >> 24);
            i += 5;
            mask = 0;
        } else {
            i++;
            mask |= 1;
            if (x86_ms_byte_ok(top))
                mask |= 0x10;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Container                                                           */

#define XZ_HEADER_SIZE   12
#define XZ_FOOTER_SIZE   12
#define CHECK_NONE       0x0
#define CHECK_CRC32      0x1
#define CHECK_CRC64      0x4
#define FILTER_X86       0x04
#define FILTER_LZMA2     0x21

static const uint8_t xz_magic[6] = { 0xFD, '7', 'z', 'X', 'Z', 0x00 };
static const uint8_t check_sizes[16] = {
    0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64
};

/* Variable-length integer: 1..9 bytes, 7 bits each, minimal encoding. */
static int read_vli(const uint8_t *in, size_t end, size_t *ppos, uint64_t *val)
{
    size_t pos = *ppos;
    uint64_t v = 0;

    for (unsigned i = 0; i < 9; i++) {
        if (pos >= end)
            return -ENODATA;
        uint8_t b = in[pos++];
        v |= (uint64_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i > 0)
                return -EINVAL;
            *val = v;
            *ppos = pos;
            return 0;
        }
    }
    return -EINVAL;
}

static void account_record(uint32_t *crc, uint64_t unpadded, uint64_t unc)
{
    uint8_t rec[16];
    for (int i = 0; i < 8; i++) {
        rec[i] = (uint8_t)(unpadded >> (8 * i));
        rec[8 + i] = (uint8_t)(unc >> (8 * i));
    }
    *crc = crc32_update(*crc, rec, sizeof(rec));
}

static int decode_block(struct xz_ws *s, const uint8_t *in, size_t in_len,
                        size_t *ppos, uint8_t *out, size_t out_cap,
                        size_t *popos, unsigned check)
{
    const size_t start = *ppos;
    const uint8_t *h = in + start;
    const size_t hsize = ((size_t)h[0] + 1) * 4;
    const uint64_t unknown = ~0ull;
    uint64_t csize = unknown, usize = unknown;
    size_t hp = 2, hend, pos, opos = *popos, ostart = *popos, dend;
    bool bcj = false, lzma2 = false;
    uint32_t bcj_start = 0;
    unsigned nfilters;
    int ret;

    if (in_len - start < hsize)
        return -ENODATA;
    hend = hsize - 4;
    if (crc32_update(0, h, hend) != get_le32(h + hend))
        return -EBADMSG;
    if (h[1] & 0x3C)
        return -EOPNOTSUPP;             /* reserved block flags */

    /* Header fields must lie inside the header: a short read is corruption. */
    if (h[1] & 0x40) {
        if (read_vli(h, hend, &hp, &csize) || csize == 0)
            return -EINVAL;
    }
    if (h[1] & 0x80) {
        if (read_vli(h, hend, &hp, &usize))
            return -EINVAL;
    }
    nfilters = (h[1] & 3) + 1;
    for (unsigned i = 0; i < nfilters; i++) {
        uint64_t id, psize;
        if (read_vli(h, hend, &hp, &id) || read_vli(h, hend, &hp, &psize) ||
            psize > hend - hp)
            return -EINVAL;
        if (id == FILTER_LZMA2) {
            if (i != nfilters - 1 || psize != 1 || h[hp] > 40)
                return -EINVAL;
            lzma2 = true;
        } else if (id == FILTER_X86) {
            if (i == nfilters - 1)
                return -EINVAL;         /* BCJ can't be the last filter */
            if (bcj)
                return -EOPNOTSUPP;
            if (psize == 4)
                bcj_start = get_le32(h + hp);
            else if (psize != 0)
                return -EINVAL;
            bcj = true;
        } else {
            return -EOPNOTSUPP;         /* delta, other BCJs, unknown */
        }
        hp += psize;
    }
    if (!lzma2)
        return -EINVAL;
    for (; hp < hend; hp++)
        if (h[hp] != 0)
            return -EINVAL;             /* header padding */

    /* Compressed data. */
    pos = start + hsize;
    dend = in_len;
    if (csize != unknown && csize <= in_len - pos)
        dend = pos + csize;
    if (usize != unknown && usize > out_cap - opos)
        return -ENOSPC;
    ret = lzma2_decode(s, in, dend, &pos, out, out_cap, &opos);
    *popos = opos;
    if (ret == -ENODATA && dend != in_len)
        ret = -EINVAL;                  /* data longer than its declared size */
    if (ret)
        return ret;
    if (csize != unknown && pos - start - hsize != csize)
        return -EINVAL;
    if (usize != unknown && opos - ostart != usize)
        return -EINVAL;

    if (bcj)
        bcj_x86_decode(out + ostart, opos - ostart, bcj_start);

    uint64_t unpadded = pos - start + check_sizes[check];

    /* Block padding, then the check. */
    while ((pos - start) & 3) {
        if (pos >= in_len)
            return -ENODATA;
        if (in[pos++] != 0)
            return -EINVAL;
    }
    if (in_len - pos < check_sizes[check])
        return -ENODATA;
    if (check == CHECK_CRC32) {
        if (crc32_update(0, out + ostart, opos - ostart) != get_le32(in + pos))
            return -EBADMSG;
    } else if (check == CHECK_CRC64) {
        if (crc64_update(0, out + ostart, opos - ostart) != get_le64(in + pos))
            return -EBADMSG;
    }
    pos += check_sizes[check];

    s->nblocks++;
    s->sum_unpadded += unpadded;
    s->sum_unc += opos - ostart;
    account_record(&s->rec_crc, unpadded, opos - ostart);
    *ppos = pos;
    return 0;
}

static int decode_index(struct xz_ws *s, const uint8_t *in, size_t in_len,
                        size_t *ppos, size_t *index_size)
{
    const size_t start = *ppos;
    size_t pos = start + 1;             /* skip the index indicator */
    uint64_t count, sum_unpadded = 0, sum_unc = 0;
    uint32_t crc = 0;
    int ret;

    ret = read_vli(in, in_len, &pos, &count);
    if (ret)
        return ret;
    if (count != s->nblocks)
        return -EINVAL;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t unpadded, unc;
        ret = read_vli(in, in_len, &pos, &unpadded);
        if (!ret)
            ret = read_vli(in, in_len, &pos, &unc);
        if (ret)
            return ret;
        if (unpadded == 0)
            return -EINVAL;
        sum_unpadded += unpadded;
        sum_unc += unc;
        account_record(&crc, unpadded, unc);
    }
    if (sum_unpadded != s->sum_unpadded || sum_unc != s->sum_unc ||
        crc != s->rec_crc)
        return -EINVAL;                 /* index doesn't describe the blocks */
    while ((pos - start) & 3) {
        if (pos >= in_len)
            return -ENODATA;
        if (in[pos++] != 0)
            return -EINVAL;
    }
    if (in_len - pos < 4)
        return -ENODATA;
    if (crc32_update(0, in + start, pos - start) != get_le32(in + pos))
        return -EBADMSG;
    pos += 4;
    *index_size = pos - start;
    *ppos = pos;
    return 0;
}

static int decode_stream(struct xz_ws *s, const uint8_t *in, size_t in_len,
                         size_t *ppos, uint8_t *out, size_t out_cap,
                         size_t *popos)
{
    size_t pos = *ppos, index_size = 0;
    const uint8_t *hdr = in + pos;
    unsigned check;
    int ret;

    if (in_len - pos < XZ_HEADER_SIZE) {
        size_t n = in_len - pos < 6 ? in_len - pos : 6;
        return n && memcmp(hdr, xz_magic, n) ? -EINVAL : -ENODATA;
    }
    if (memcmp(hdr, xz_magic, 6) != 0)
        return -EINVAL;
    if (crc32_update(0, hdr + 6, 2) != get_le32(hdr + 8))
        return -EBADMSG;
    if (hdr[6] != 0 || (hdr[7] & 0xF0))
        return -EOPNOTSUPP;             /* reserved stream flags */
    check = hdr[7];
    if (check != CHECK_NONE && check != CHECK_CRC32 && check != CHECK_CRC64)
        return -EOPNOTSUPP;             /* SHA-256 or reserved check types */
    pos += XZ_HEADER_SIZE;

    s->nblocks = 0;
    s->sum_unpadded = 0;
    s->sum_unc = 0;
    s->rec_crc = 0;
    for (;;) {
        if (pos >= in_len)
            return -ENODATA;
        if (in[pos] == 0x00)
            break;                      /* index indicator */
        ret = decode_block(s, in, in_len, &pos, out, out_cap, popos, check);
        if (ret)
            return ret;
    }
    ret = decode_index(s, in, in_len, &pos, &index_size);
    if (ret)
        return ret;

    if (in_len - pos < XZ_FOOTER_SIZE)
        return -ENODATA;
    const uint8_t *f = in + pos;
    if (f[10] != 'Y' || f[11] != 'Z')
        return -EINVAL;
    if (crc32_update(0, f + 4, 6) != get_le32(f))
        return -EBADMSG;
    if (((uint64_t)get_le32(f + 4) + 1) * 4 != index_size)
        return -EINVAL;
    if (f[8] != hdr[6] || f[9] != hdr[7])
        return -EINVAL;
    *ppos = pos + XZ_FOOTER_SIZE;
    return 0;
}

int unxz(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
         size_t *out_len, void *work)
{
    struct xz_ws *s = ws_from(work);
    size_t pos = 0, opos = 0;
    int ret;

    for (;;) {
        ret = decode_stream(s, in, in_len, &pos, out, out_cap, &opos);
        if (ret)
            break;
        /* Stream padding: zero bytes in groups of four. */
        while (in_len - pos >= 4 && get_le32(in + pos) == 0)
            pos += 4;
        if (in_len - pos < 6 || memcmp(in + pos, xz_magic, 6) != 0)
            break;                      /* end, or trailing data: ignored */
    }
    *out_len = opos;
    return ret;
}
