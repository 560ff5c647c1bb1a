// UNIT-SOURCES: dom0-tools/xenstored/hash.c dom0-tools/xenstored/node.c dom0-tools/xenstored/path.c dom0-tools/xenstored/perms.c dom0-tools/xenstored/quota.c dom0-tools/xenstored/store.c dom0-tools/xenstored/transaction.c dom0-tools/xenstored/watch.c dom0-tools/xenstored/conn.c dom0-tools/xenstored/ops.c dom0-tools/xenstored/ops_node.c dom0-tools/xenstored/domain.c dom0-tools/xenstored/control.c dom0-tools/xenstored/server.c dom0-tools/xenstored/ring.c
/* SPDX-License-Identifier: MIT */
/*
 * xenstored core under random traffic: many connections (privileged and
 * not, some in transactions) send random well-formed and malformed
 * messages.  After every batch the store must be consistent: every listed
 * child exists, every node but the roots is listed by its parent, per-domain
 * node counts match the owners.  ASan/UBSan watch memory.
 */
#include "test_xs_fixture.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned int rnd(unsigned int n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned int)(rng % n);
}

static const char *const names[] = { "a", "b", "c", "local", "domain", "1", "2", "3", "x", "@y", "-", "_z" };

static size_t rand_path(char *buf, size_t size)
{
    size_t n = 0;
    unsigned int kind = rnd(10);
    if (kind == 0)
        n += (size_t)snprintf(buf, size, "@%s", rnd(2) ? "introduceDomain" : "releaseDomain");
    else if (kind < 3)
        n += (size_t)snprintf(buf, size, "%s", names[rnd(12)]);       /* relative */
    else if (kind < 5)
        n += (size_t)snprintf(buf, size, "/local/domain/%u", 1 + rnd(3));
    unsigned int depth = rnd(4);
    for (unsigned int i = 0; i < depth && n + 16 < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "/%s", names[rnd(12)]);
    if (!n)
        n = (size_t)snprintf(buf, size, "/");
    if (rnd(40) == 0 && n + 2 < size)
        buf[n++] = '/';                     /* trailing slash */
    if (rnd(60) == 0)
        buf[rnd((unsigned int)n)] = '.';    /* bad character */
    buf[n] = 0;
    return n;
}

static void random_message(struct xs_conn *c)
{
    char buf[600];
    uint32_t len = 0;
    uint32_t type = rnd(30);
    uint32_t tx = 0;
    if (c->transactions && rnd(3))
        tx = c->transactions->id;
    else if (rnd(50) == 0)
        tx = rnd(5);
    unsigned int nstr = rnd(4);
    for (unsigned int i = 0; i < nstr; i++) {
        char p[200];
        size_t l;
        switch (rnd(5)) {
        case 0: l = (size_t)snprintf(p, sizeof(p), "%c%u", "rwbnx"[rnd(5)], rnd(4)); break;
        case 1: l = (size_t)snprintf(p, sizeof(p), "%u", rnd(8)); break;
        case 2: l = (size_t)snprintf(p, sizeof(p), "%s", rnd(2) ? "T" : "F"); break;
        default: l = rand_path(p, sizeof(p)); break;
        }
        memcpy(buf + len, p, l + 1);
        len += (uint32_t)l + 1;
    }
    if (rnd(8) == 0 && len)
        len--;                      /* drop the final NUL */
    if (rnd(10) == 0) {
        for (unsigned int i = 0, k = rnd(50); i < k; i++)
            buf[len++] = (char)rnd(256);
    }
    /* Pick more useful types more often. */
    static const uint32_t common[] = { XS_WRITE, XS_WRITE, XS_MKDIR, XS_RM, XS_READ, XS_DIRECTORY,
                                       XS_SET_PERMS, XS_WATCH, XS_TRANSACTION_START, XS_TRANSACTION_END,
                                       XS_GET_PERMS, XS_UNWATCH, XS_DIRECTORY_PART };
    if (rnd(3))
        type = common[rnd(sizeof(common) / sizeof(common[0]))];
    if (type == XS_INTRODUCE || type == XS_RELEASE || type == XS_CONTROL)
        type = XS_READ;             /* domain lifecycle has its own tests */
    fx_send_raw(c, type, rnd(1000), tx, buf, len);
    /* Drain output now and then (the outstanding quota may stall domains). */
    if (rnd(4)) {
        struct fx_msg m;
        while (fx_pop(c, &m))
            ;
    }
}

struct count { unsigned int domid, n; };

static void check_store(void)
{
    struct xs_hash *db = &fx_srv.db;
    struct count counts[64];
    unsigned int nc = 0, problems = 0;
    for (size_t b = 0; b < db->nbuckets; b++)
        for (struct xs_hash_entry *e = db->buckets[b]; e; e = e->next) {
            const struct xs_node *n = e->value;
            CU_ASSERT_FATAL(n->nperms >= 1);
            unsigned int o = xs_node_owner(n), i;
            for (i = 0; i < nc && counts[i].domid != o; i++)
                ;
            if (i == nc) {
                CU_ASSERT_FATAL(nc < 64);
                counts[nc].domid = o;
                counts[nc++].n = 0;
            }
            counts[i].n++;
            /* Children exist. */
            for (uint32_t off = 0; off < n->childlen; off += (uint32_t)strlen(n->children + off) + 1) {
                char *c = xs_path_child(e->key, n->children + off);
                if (!xs_db_get(&fx_srv, c)) {
                    printf("missing child %s\n", c);
                    problems++;
                }
                free(c);
            }
            /* Listed by the parent (except the roots). */
            if (strcmp(e->key, "/") && e->key[0] == '/') {
                char *p = xs_path_parent(e->key);
                const struct xs_node *pn = xs_db_get(&fx_srv, p);
                bool listed = false;
                for (uint32_t off = 0; pn && off < pn->childlen; off += (uint32_t)strlen(pn->children + off) + 1)
                    listed = listed || !strcmp(pn->children + off, xs_path_base(e->key));
                if (!listed) {
                    printf("orphan %s\n", e->key);
                    problems++;
                }
                free(p);
            }
        }
    CU_ASSERT(problems == 0);
    for (unsigned int i = 0; i < nc; i++) {
        const struct xs_domain *d = xs_domain_find(&fx_srv, counts[i].domid);
        CU_ASSERT_FATAL(d != NULL);
        if (d->nodes != counts[i].n)
            printf("domain %u: counted %u, accounted %u\n", d->domid, counts[i].n, d->nodes);
        /* (No bound to check: privileged writers may exceed a domain's quota for it.) */
        CU_ASSERT(d->nodes == counts[i].n);
    }
}

static void test_random_traffic(void)
{
    fx_init();
    struct xs_conn *conns[6];
    conns[0] = fx_socket();
    conns[1] = fx_socket();
    for (unsigned int i = 0; i < 3; i++) {
        char home[32];
        conns[2 + i] = fx_domain(1 + i);
        snprintf(home, sizeof(home), "/local/domain/%u", 1 + i);
        fx_op(conns[0], XS_MKDIR, 0, home);
        char owner[8];
        snprintf(owner, sizeof(owner), "n%u", 1 + i);
        fx_setperms(conns[0], 0, home, owner, NULL);
    }
    conns[5] = fx_domain(0);
    /* Small quotas so that the limits are hit often. */
    for (unsigned int i = 1; i <= 3; i++) {
        struct xs_domain *d = xs_domain_find(&fx_srv, i);
        d->quota[XS_Q_NODES] = 40;
        d->quota[XS_Q_WATCHES] = 6;
        d->quota[XS_Q_TRANSACTIONS] = 3;
        d->quota[XS_Q_TRANS_NODES] = 30;
    }
    for (int round = 0; round < 300; round++) {
        for (int k = 0; k < 100; k++)
            random_message(conns[rnd(6)]);
        check_store();
        if (CU_get_number_of_failures())
            break;
    }
    /* All transactions end; the store stays consistent. */
    for (int i = 0; i < 6; i++) {
        while (conns[i]->transactions) {
            uint32_t id = conns[i]->transactions->id;
            fx_send_raw(conns[i], XS_TRANSACTION_END, 1, id, "T", 2);
            xs_trans_delete_all(conns[i]);
        }
        struct fx_msg m;
        while (fx_pop(conns[i], &m))
            ;
    }
    check_store();
    printf("random traffic: %zu nodes at the end, generation %llu\n", fx_srv.db.count,
           (unsigned long long)fx_srv.generation);
    /* The traffic did real work: many changes happened. */
    CU_ASSERT(fx_srv.generation > 1000);
    fx_fini();
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "random traffic keeps the store consistent", test_random_traffic },
        { NULL, NULL },
    };
    unit_add_suite("xenstored random traffic", cases);
}
