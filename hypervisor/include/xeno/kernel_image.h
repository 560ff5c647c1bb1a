/* SPDX-License-Identifier: MIT */
#ifndef XENO_KERNEL_IMAGE_H
#define XENO_KERNEL_IMAGE_H

/*
 * Recognising and loading a 64-bit PV guest kernel: the bzImage wrapper,
 * the ELF64 image inside it, the Xen ELF notes that describe how to boot
 * it, and the hypercall page some kernels ask for.
 *
 * Pure code: no hardware access and no allocation. Everything parsed is
 * copied into caller-provided structures, so the image buffer may be
 * released after elf_load_pv(). Builds freestanding and hosted.
 *
 * Every function returning int returns 0 or a negative errno. Where a
 * function takes `const char **why`, it sets *why (if why is not NULL) to
 * a static human-readable explanation on failure and to NULL on success.
 */

#include "xeno/types.h"

/* ---- bzImage -------------------------------------------------------- */

/*
 * Find the compressed kernel inside a Linux bzImage (Linux boot protocol,
 * Documentation/arch/x86/boot.rst): "HdrS" at 0x202, protocol version at
 * 0x206, setup_sects at 0x1f1 (0 means 4), and, from protocol 2.08 on,
 * payload_offset/payload_length at 0x248/0x24c, the offset counting from
 * the protected-mode code at (setup_sects + 1) * 512.
 *
 * On success *payload and *payload_len describe the payload inside img (for
 * Debian an xz stream followed by a 4-byte little-endian decompressed
 * size, which decompress() ignores; see bzimage_output_size()).
 *
 * Returns 0; -ENOEXEC if img is not a bzImage (no "HdrS"), so the caller
 * may try it as a bare ELF; -EINVAL (with *why) for a bzImage whose boot
 * protocol is older than 2.08 (no payload fields, as Xen's bzimage_check)
 * or whose payload lies outside img.
 */
int bzimage_payload(const uint8_t *img, size_t len, const uint8_t **payload,
                    size_t *payload_len, const char **why);

/*
 * The decompressed size the kernel build appends to the payload (last 4
 * bytes, little endian; Xen's bzimage output_length()), so the caller can
 * size the output buffer for decompress(). Returns 0, or -EINVAL if the
 * payload is shorter than 4 bytes or the size is 0.
 */
int bzimage_output_size(const uint8_t *payload, size_t payload_len, size_t *size);

/* ---- ELF64 PV kernel ------------------------------------------------ */

/* At most this many loadable segments (Debian 6.1 has 4). */
#define PV_ELF_MAX_SEGS 16

/* String notes are copied truncated to this size (NUL included). */
#define PV_ELF_STR_LEN      32
#define PV_ELF_FEATURES_LEN 128

/* One PT_LOAD segment, as in the program header. */
struct pv_elf_seg {
    uint64_t paddr;     /* p_paddr: decides where it is loaded */
    uint64_t vaddr;     /* p_vaddr: informational only (may be 0, see load_va) */
    uint64_t load_va;   /* paddr - paddr_offset + virt_base */
    uint64_t offset;    /* p_offset in the file */
    uint64_t filesz;
    uint64_t memsz;
    uint32_t flags;     /* p_flags (PF_X 1, PF_W 2, PF_R 4) */
};

struct pv_elf_info {
    uint64_t e_entry;
    unsigned int nr_segs;
    struct pv_elf_seg seg[PV_ELF_MAX_SEGS];

    /* Bit t set when a "Xen" note of type t (XEN_ELFNOTE_*) was seen. */
    uint32_t notes;

    /* String notes, NUL-terminated, truncated; "" when absent. */
    char guest_os[PV_ELF_STR_LEN];
    char guest_version[PV_ELF_STR_LEN];
    char xen_version[PV_ELF_STR_LEN];
    char loader[PV_ELF_STR_LEN];
    char features[PV_ELF_FEATURES_LEN];

    /*
     * XENFEAT_* bit sets (submap 0). f_supported is the union of the
     * FEATURES string (with or without '!') and the SUPPORTED_FEATURES
     * note, as Xen >= 4.2 combines them; f_required holds the '!' ones.
     * supported_features is note 17 alone (valid if its notes bit is set).
     */
    uint32_t f_supported;
    uint32_t f_required;
    uint32_t supported_features;

    /* Numeric notes, with Xen's defaults already applied. */
    uint64_t virt_base;         /* default 0 */
    uint64_t paddr_offset;      /* default 0 (ELF notes interface) */
    uint64_t entry;             /* default e_entry */
    uint64_t hypercall_page;    /* valid if notes has HYPERCALL_PAGE */
    uint64_t hv_start_low;      /* valid if notes has HV_START_LOW */
    uint64_t init_p2m;          /* valid if notes has INIT_P2M */
    uint64_t l1_mfn_valid_mask, l1_mfn_valid_value; /* first pair */
    uint32_t phys32_entry;      /* valid if notes has PHYS32_ENTRY */
    bool mod_start_pfn;         /* MOD_START_PFN note non-zero */
    bool suspend_cancel;        /* SUSPEND_CANCEL note non-zero */

    /* Guest VA span of the image: [virt_kstart, virt_kend). */
    uint64_t virt_kstart, virt_kend;
};

static inline bool pv_elf_has_note(const struct pv_elf_info *info, unsigned int type)
{
    return type < 32 && (info->notes & (1U << type));
}

/*
 * Validate an ELF64 little-endian x86-64 ET_EXEC image and collect what a
 * PV domain builder needs (Xen: libelf elf_init/elf_parse_binary/
 * elf_xen_parse). Segments are PT_LOAD entries with any of R/W/X set
 * (libelf's elf_phdr_is_loadable) and memsz > 0. Notes come from PT_NOTE
 * segments, owner "Xen"; the legacy __xen_guest section and SHT_NOTE
 * sections are not consulted. A FEATURES token starting with '!' is
 * required; an unknown required feature is an error, an unknown optional
 * one is ignored (libelf elf_xen_parse_features).
 *
 * Returns 0 with *info filled, or:
 *   -ENOEXEC  not ELF64 / little-endian / EM_X86_64 / ET_EXEC, or an ELF
 *             without any Xen note (not a Xen PV kernel);
 *   -EINVAL   malformed (headers, phdrs or segments outside the file,
 *             overflowing or overlapping segments, bad note sizes, entry
 *             outside the image, ...) or refused: XEN_VERSION not
 *             "xen-3.0", neither LOADER "generic" nor GUEST_OS "linux",
 *             an unknown required feature, PADDR_OFFSET without VIRT_BASE;
 *   -EOPNOTSUPP  the kernel requires a feature a PV domain cannot have
 *             (auto_translated_physmap, supervisor_mode_kernel,
 *             writable_descriptor_tables, hvm_callback_vector).
 */
int elf_parse_pv(const uint8_t *elf, size_t len, struct pv_elf_info *info,
                 const char **why);

/*
 * For the initial domain: Xen refuses a kernel whose SUPPORTED_FEATURES
 * note exists without XENFEAT_dom0 (initdom_check_parms). A kernel
 * without that note is accepted. Returns 0 or -EINVAL.
 */
int pv_elf_check_dom0(const struct pv_elf_info *info, const char **why);

/*
 * For any other domain: the toolstack refuses a kernel that *requires*
 * XENFEAT_dom0 ("!dom0"; libxc xc_dom_parse_elf_kernel). Returns 0 or
 * -EINVAL.
 */
int pv_elf_check_domu(const struct pv_elf_info *info, const char **why);

/*
 * Load the image: for each segment of info (in program-header order) call
 * copy(ctx, load_va, file bytes, filesz) and then zero(ctx, load_va +
 * filesz, memsz - filesz); calls with n == 0 are skipped. elf/len must be
 * the buffer info was parsed from; segment bounds are checked again.
 * Returns 0, -EINVAL for a segment outside elf, or the first negative
 * value a callback returns (loading stops there).
 */
int elf_load_pv(const uint8_t *elf, size_t len, const struct pv_elf_info *info,
                int (*copy)(void *ctx, uint64_t va, const void *src, size_t n),
                int (*zero)(void *ctx, uint64_t va, size_t n), void *ctx);

/* ---- hypercall page ------------------------------------------------- */

/*
 * Fill the page named by XEN_ELFNOTE_HYPERCALL_PAGE for a 64-bit PV guest
 * whose kernel runs in ring 3 (Xen: pv_ring3_init_hypercall_page, after
 * init_hypercall_page's memset to int3). Stub i sits at i * 32:
 *   51 41 53 b8 <i:le32> 0f 05 41 5b 59 c3
 *   push %rcx; push %r11; mov $i,%eax; syscall; pop %r11; pop %rcx; ret
 * except i = 23 (__HYPERVISOR_iret), which the guest jumps to with its
 * iret frame on the stack and which never returns:
 *   51 41 53 50 b8 17 00 00 00 0f 05
 *   push %rcx; push %r11; push %rax; mov $23,%eax; syscall
 * All other bytes are 0xcc (int3).
 */
void pv_hypercall_page_fill(uint8_t page[4096]);

#endif
