/* SPDX-License-Identifier: MIT */
/*
 * The PV MMU hypercalls: mmu_update, mmuext_op, update_va_mapping.  Each
 * request is decoded here and handed to the rules in mm/page_type.c, which
 * decide and leave everything unchanged on refusal.
 */
#include <asm/cpu.h>
#include <xen/xen.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_desc.h>
#include <xeno/pv_mm.h>
#include <xeno/sched.h>

#define MAX_BATCH (1UL << 20)

/* Resolve mmu_update's FOREIGNDOM: whose frames L1 entries may name. */
static int foreign_owner(struct domain *d, unsigned long foreigndom, uint32_t *pg_owner)
{
    if (foreigndom == DOMID_SELF) {
        *pg_owner = d->domid;
        return 0;
    }
    /* Naming yourself explicitly is refused, as Xen's get_pg_owner does. */
    if (foreigndom == d->domid)
        return -ESRCH;
    if (foreigndom == DOMID_IO) {
        *pg_owner = DOMID_IO;
        return 0;
    }
    if (!domain_lookup((uint16_t)foreigndom))
        return -ESRCH;
    if (!d->is_privileged)
        return -EPERM;
    *pg_owner = (uint32_t)foreigndom;
    return 0;
}

static long report_done(uint64_t done_va, unsigned long done)
{
    if (done_va && copy_to_guest(done_va, &done, sizeof(unsigned int)))
        return -EFAULT;
    return 0;
}

long do_mmu_update(HC_ARGS)
{
    uint64_t reqs = a1, done_va = a3;
    unsigned long count = a2 & 0xffffffffUL;
    struct domain *d = current->domain;
    uint32_t pg_owner;
    unsigned long i;
    long rc = foreign_owner(d, a4 & 0xffff, &pg_owner);

    if (rc)
        return rc;
    if (count > MAX_BATCH)
        return -EINVAL;
    for (i = 0; i < count; i++) {
        struct mmu_update req;
        if (copy_from_guest(&req, reqs + i * sizeof(req), sizeof(req))) {
            rc = -EFAULT;
            break;
        }
        unsigned int cmd = req.ptr & 3;
        unsigned long mfn = req.ptr >> PAGE_SHIFT;
        spin_lock(&pv_mm_lock);
        switch (cmd) {
        case MMU_NORMAL_PT_UPDATE:
        case MMU_PT_UPDATE_PRESERVE_AD:
        case MMU_PT_UPDATE_NO_TRANSLATE:
            rc = mod_entry(&pv_env, d->domid, pg_owner, mfn, (req.ptr & (PAGE_SIZE - 1)) >> 3,
                           req.val, cmd == MMU_PT_UPDATE_PRESERVE_AD);
            break;
        case MMU_MACHPHYS_UPDATE:
            /* Only for frames the caller (or the foreign domain) owns. */
            if (!mfn_valid(mfn) || frame_table[mfn].owner != (pg_owner == DOMID_IO ? d->domid : pg_owner))
                rc = -EINVAL;
            else
                m2p[mfn] = req.val;
            break;
        }
        spin_unlock(&pv_mm_lock);
        if (rc) {
            printk(XENLOG_INFO "d%u: mmu_update ptr %#lx val %#lx refused: %ld\n", d->domid,
                   (unsigned long)req.ptr, (unsigned long)req.val, rc);
            break;
        }
    }
    long rc2 = report_done(done_va, i);
    return rc ? rc : rc2;
}

static int find_l1(struct vcpu *v, uint64_t va, unsigned long *l1_mfn, unsigned int *index)
{
    if (!is_canonical(va) || !guest_range_ok(va, 1))
        return -EINVAL;
    unsigned long mfn = v->guest_table;
    for (int level = 4; level > 1; level--) {
        uint64_t *t = __va((paddr_t)mfn << PAGE_SHIFT);
        uint64_t e = t[(va >> (12 + 9 * (level - 1))) & 511];
        if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
            return -EINVAL;
        mfn = (e & PADDR_MASK) >> PAGE_SHIFT;
        if (!mfn_valid(mfn))
            return -EINVAL;
    }
    *l1_mfn = mfn;
    *index = (va >> 12) & 511;
    return 0;
}

static long flush_for(unsigned long flags, uint64_t va)
{
    /* UVMF_MULTI: the bits above the flush type point at a vCPU bitmap. */
    uint64_t mask_va = flags & ~(UVMF_FLUSHTYPE_MASK | UVMF_ALL);
    if ((flags & UVMF_FLUSHTYPE_MASK) && mask_va && !(flags & UVMF_ALL)) {
        unsigned long mask;
        if (copy_from_guest(&mask, mask_va, sizeof(mask)))
            return -EFAULT;
    }
    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_TLB_FLUSH:
        if (flags & ~UVMF_FLUSHTYPE_MASK)
            flush_tlb_all_cpus();
        else
            write_cr3(read_cr3());
        break;
    case UVMF_INVLPG:
        if (flags & ~UVMF_FLUSHTYPE_MASK)
            flush_tlb_all_cpus();
        else
            invlpg(va);
        break;
    default:
        break;
    }
    return 0;
}

long do_update_va_mapping(HC_ARGS)
{
    uint64_t va = a1, val = a2;
    unsigned long flags = a3;
    struct vcpu *v = current;
    unsigned long l1;
    unsigned int idx;

    spin_lock(&pv_mm_lock);
    long rc = find_l1(v, va, &l1, &idx);
    if (!rc)
        rc = mod_entry(&pv_env, v->domain->domid, v->domain->domid, l1, idx, val, false);
    spin_unlock(&pv_mm_lock);
    if (rc) {
        printk(XENLOG_INFO "d%u: update_va_mapping %#lx -> %#lx refused: %ld\n", v->domain->domid,
               (unsigned long)va, (unsigned long)val, rc);
        return rc;
    }
    return flush_for(flags, va);
}

/* NEW_BASEPTR / NEW_USER_BASEPTR: the new L4 takes a type reference for as
 * long as it is installed; the old one's is dropped. */
static long new_baseptr(struct vcpu *v, unsigned long mfn, bool user)
{
    unsigned long *slot = user ? &v->guest_table_user : &v->guest_table;
    if (user && mfn == 0) {
        if (*slot)
            put_page_and_type(&pv_env, *slot);
        *slot = 0;
        return 0;
    }
    int rc = get_page_and_type(&pv_env, mfn, v->domain->domid, PGT_l4_page_table);
    if (rc)
        return rc;
    unsigned long old = *slot;
    *slot = mfn;
    if (user != v->kernel_mode)     /* the table of the mode we are in */
        write_cr3((paddr_t)mfn << PAGE_SHIFT);
    if (old)
        put_page_and_type(&pv_env, old);
    return 0;
}

/*
 * pg_owner: FOREIGNDOM resolved.  As in Xen 4.17's do_mmuext_op, the
 * control domain may pin, unpin, clear and copy another domain's frames
 * (the domain builder pins a new domain's L4 this way); every other
 * command concerns the caller's own vCPU and is -EPERM with a foreign
 * owner.
 */
static long one_mmuext(struct vcpu *v, const struct mmuext_op *op, uint32_t pg_owner)
{
    struct domain *d = v->domain;
    unsigned long mfn = op->arg1.mfn;
    long rc = 0;

    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
    case MMUEXT_UNPIN_TABLE:
    case MMUEXT_CLEAR_PAGE:
    case MMUEXT_COPY_PAGE:
        break;
    default:
        if (pg_owner != d->domid)
            return -EPERM;
    }

    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        spin_lock(&pv_mm_lock);
        rc = pin_table(&pv_env, pg_owner, mfn, op->cmd - MMUEXT_PIN_L1_TABLE + 1);
        spin_unlock(&pv_mm_lock);
        return rc;
    case MMUEXT_UNPIN_TABLE:
        spin_lock(&pv_mm_lock);
        rc = unpin_table(&pv_env, pg_owner, mfn);
        spin_unlock(&pv_mm_lock);
        return rc;
    case MMUEXT_NEW_BASEPTR:
    case MMUEXT_NEW_USER_BASEPTR:
        spin_lock(&pv_mm_lock);
        rc = new_baseptr(v, mfn, op->cmd == MMUEXT_NEW_USER_BASEPTR);
        spin_unlock(&pv_mm_lock);
        return rc;
    case MMUEXT_TLB_FLUSH_LOCAL:
        write_cr3(read_cr3());
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if (guest_range_ok(op->arg1.linear_addr, 1))
            invlpg(op->arg1.linear_addr);
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI: {
        /* The vCPU mask must be readable; Xen answers -EINVAL if not. */
        unsigned long mask;
        if (copy_from_guest(&mask, op->arg2.vcpumask, sizeof(mask)))
            return -EINVAL;
        flush_tlb_all_cpus();
        return 0;
    }
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        /* The vCPU mask narrows the set; flushing every CPU is always safe. */
        flush_tlb_all_cpus();
        return 0;
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        if (!d->iomem_all)
            return -EPERM;
        asm volatile("wbinvd" ::: "memory");
        return 0;
    case MMUEXT_SET_LDT:
        return pv_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
    case MMUEXT_CLEAR_PAGE:
    case MMUEXT_COPY_PAGE: {
        spin_lock(&pv_mm_lock);
        rc = get_page_and_type(&pv_env, mfn, pg_owner, PGT_writable_page);
        if (!rc) {
            void *dst = __va((paddr_t)mfn << PAGE_SHIFT);
            if (op->cmd == MMUEXT_CLEAR_PAGE) {
                memset(dst, 0, PAGE_SIZE);
            } else {
                unsigned long src = op->arg2.src_mfn;
                rc = get_page(&pv_env, src, pg_owner);
                if (!rc) {
                    memcpy(dst, __va((paddr_t)src << PAGE_SHIFT), PAGE_SIZE);
                    put_page(&pv_env, src);
                }
            }
            put_page_and_type(&pv_env, mfn);
        }
        spin_unlock(&pv_mm_lock);
        return rc;
    }
    case MMUEXT_MARK_SUPER:
    case MMUEXT_UNMARK_SUPER:
        return -EOPNOTSUPP;     /* PV superpages: gone from Xen too */
    default:
        return -ENOSYS;
    }
}

long do_mmuext_op(HC_ARGS)
{
    uint64_t ops = a1, done_va = a3;
    unsigned long count = a2 & 0xffffffffUL;
    struct vcpu *v = current;
    unsigned long i;
    long rc = 0;

    uint32_t pg_owner;
    rc = foreign_owner(v->domain, a4 & 0xffff, &pg_owner);
    if (rc)
        return rc;
    if (pg_owner == DOMID_IO)
        return -EPERM;      /* I/O frames have no page types */
    if (count > MAX_BATCH)
        return -EINVAL;
    for (i = 0; i < count; i++) {
        struct mmuext_op op;
        if (copy_from_guest(&op, ops + i * sizeof(op), sizeof(op))) {
            rc = -EFAULT;
            break;
        }
        rc = one_mmuext(v, &op, pg_owner);
        if (rc) {
            printk(XENLOG_INFO "d%u: mmuext_op cmd %u mfn %#lx refused: %ld\n", v->domain->domid,
                   op.cmd, (unsigned long)op.arg1.mfn, rc);
            break;
        }
    }
    long rc2 = report_done(done_va, i);
    return rc ? rc : rc2;
}
