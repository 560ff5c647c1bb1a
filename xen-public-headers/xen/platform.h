/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: HYPERVISOR_platform_op(op), the
 * dom0-only interface to machine-wide state (clock, firmware, ACPI sleep,
 * physical CPUs, power management).  Every call carries
 * XENPF_INTERFACE_VERSION; a mismatch is refused with -EACCES.
 */
#ifndef XENO_PUBLIC_PLATFORM_H
#define XENO_PUBLIC_PLATFORM_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"

#define XENPF_INTERFACE_VERSION 0x03000001

#define XENPF_settime32            17
#define XENPF_add_memtype          31
#define XENPF_del_memtype          32
#define XENPF_read_memtype         33
#define XENPF_microcode_update     35
#define XENPF_platform_quirk       39
#define XENPF_get_cpu_version      48
#define XENPF_efi_runtime_call     49
#define XENPF_firmware_info        50
#define XENPF_enter_acpi_sleep     51
#define XENPF_change_freq          52
#define XENPF_getidletime          53
#define XENPF_set_processor_pminfo 54
#define XENPF_get_cpuinfo          55
#define XENPF_cpu_online           56
#define XENPF_cpu_offline          57
#define XENPF_cpu_hotadd           58
#define XENPF_mem_hotadd           59
#define XENPF_core_parking         60
#define XENPF_resource_op          61
#define XENPF_settime64            62
#define XENPF_get_symbol           63
#define XENPF_get_dom0_console     64
#define XENPF_get_ucode_revision   65
#define XENPF_microcode_update2    66

/* The un-suffixed name means the 64-bit variant for current guests. */
#define XENPF_settime XENPF_settime64

#ifndef __ASSEMBLER__

/* Wall clock: at system time 'system_time' it was secs.nsecs since the epoch. */
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};
typedef struct xenpf_settime32 xenpf_settime32_t;

struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};
typedef struct xenpf_settime64 xenpf_settime64_t;
#define xenpf_settime xenpf_settime64
typedef struct xenpf_settime64 xenpf_settime_t;

/* MTRR management (x86). */
struct xenpf_add_memtype {
    xen_pfn_t mfn;                      /* IN */
    uint64_t  nr_mfns;                  /* IN */
    uint32_t  type;                     /* IN: MTRR type */
    uint32_t  handle;                   /* OUT */
    uint32_t  reg;                      /* OUT */
};
typedef struct xenpf_add_memtype xenpf_add_memtype_t;

struct xenpf_del_memtype {
    uint32_t handle;                    /* IN */
    uint32_t reg;                       /* IN */
};
typedef struct xenpf_del_memtype xenpf_del_memtype_t;

struct xenpf_read_memtype {
    uint32_t  reg;                      /* IN */
    xen_pfn_t mfn;                      /* OUT */
    uint64_t  nr_mfns;                  /* OUT */
    uint32_t  type;                     /* OUT */
};
typedef struct xenpf_read_memtype xenpf_read_memtype_t;

struct xenpf_microcode_update {
    xen_guest_handle_t data;            /* IN: -> const void */
    uint32_t length;                    /* IN */
};
typedef struct xenpf_microcode_update xenpf_microcode_update_t;

#define QUIRK_NOIRQBALANCING     1
#define QUIRK_IOAPIC_BAD_REGSEL  2
#define QUIRK_IOAPIC_GOOD_REGSEL 3
struct xenpf_platform_quirk {
    uint32_t quirk_id;                  /* IN: QUIRK_* */
};
typedef struct xenpf_platform_quirk xenpf_platform_quirk_t;

/* EFI runtime services proxied for dom0 (function = XEN_EFI_*). */
#define XEN_EFI_get_time                      1
#define XEN_EFI_set_time                      2
#define XEN_EFI_get_wakeup_time               3
#define XEN_EFI_set_wakeup_time               4
#define XEN_EFI_get_next_high_monotonic_count 5
#define XEN_EFI_get_variable                  6
#define XEN_EFI_set_variable                  7
#define XEN_EFI_get_next_variable_name        8
#define XEN_EFI_query_variable_info           9
#define XEN_EFI_query_capsule_capabilities   10
#define XEN_EFI_update_capsule               11

/* 'misc' flags per function */
#define XEN_EFI_GET_TIME_SET_CLEARS_NS      0x00000001
#define XEN_EFI_GET_WAKEUP_TIME_ENABLED     0x00000001
#define XEN_EFI_GET_WAKEUP_TIME_PENDING     0x00000002
#define XEN_EFI_SET_WAKEUP_TIME_ENABLE      0x00000001
#define XEN_EFI_SET_WAKEUP_TIME_ENABLE_ONLY 0x00000002
#define XEN_EFI_VARIABLE_NON_VOLATILE       0x00000001
#define XEN_EFI_VARIABLE_BOOTSERVICE_ACCESS 0x00000002
#define XEN_EFI_VARIABLE_RUNTIME_ACCESS     0x00000004
#define XEN_EFI_VARINFO_BOOT_SNAPSHOT       0x00000001

struct xenpf_efi_time {
    uint16_t year;
    uint8_t  month;
    uint8_t  day;
    uint8_t  hour;
    uint8_t  min;
    uint8_t  sec;
    uint32_t ns;
    int16_t  tz;
    uint8_t  daylight;
};

struct xenpf_efi_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t  data4[8];
};

struct xenpf_efi_runtime_call {
    uint32_t    function;               /* XEN_EFI_* */
    uint32_t    misc;                   /* flags, or the monotonic count result */
    xen_ulong_t status;                 /* OUT: EFI status code */
    union {
        struct {
            struct xenpf_efi_time time;
            uint32_t resolution;
            uint32_t accuracy;
        } get_time;
        struct xenpf_efi_time set_time;
        struct xenpf_efi_time get_wakeup_time;
        struct xenpf_efi_time set_wakeup_time;
        struct {
            xen_guest_handle_t name;    /* -> UCS-2 string */
            xen_ulong_t size;
            xen_guest_handle_t data;
            struct xenpf_efi_guid vendor_guid;
        } get_variable, set_variable;
        struct {
            xen_ulong_t size;
            xen_guest_handle_t name;    /* -> UCS-2 string */
            struct xenpf_efi_guid vendor_guid;
        } get_next_variable_name;
        struct {
            uint32_t attr;
            uint64_t max_store_size;
            uint64_t remain_store_size;
            uint64_t max_size;
        } query_variable_info;
        struct {
            xen_guest_handle_t capsule_header_array;
            xen_ulong_t capsule_count;
            uint64_t max_capsule_size;
            uint32_t reset_type;
        } query_capsule_capabilities;
        struct {
            xen_guest_handle_t capsule_header_array;
            xen_ulong_t capsule_count;
            uint64_t sg_list;           /* machine address */
        } update_capsule;
    } u;
};
typedef struct xenpf_efi_runtime_call xenpf_efi_runtime_call_t;

/* Boot-time firmware data kept for dom0 (type = XEN_FW_*, index = which). */
#define XEN_FW_DISK_INFO             1   /* INT 13h AH=08/41/48 */
#define XEN_FW_DISK_MBR_SIGNATURE    2   /* MBR offset 0x1b8 */
#define XEN_FW_VBEDDC_INFO           3   /* INT 10h AX=4F15 */
#define XEN_FW_EFI_INFO              4
#define  XEN_FW_EFI_VERSION          0   /* index values for XEN_FW_EFI_INFO */
#define  XEN_FW_EFI_CONFIG_TABLE     1
#define  XEN_FW_EFI_VENDOR           2
#define  XEN_FW_EFI_MEM_INFO         3
#define  XEN_FW_EFI_RT_VERSION       4
#define  XEN_FW_EFI_PCI_ROM          5
#define  XEN_FW_EFI_APPLE_PROPERTIES 6
#define XEN_FW_KBD_SHIFT_FLAGS       5   /* INT 16h AH=02 */

struct xenpf_firmware_info {
    uint32_t type;                      /* IN */
    uint32_t index;                     /* IN */
    union {
        struct {
            uint8_t  device;            /* BIOS drive number */
            uint8_t  version;
            uint16_t interface_support;
            uint16_t legacy_max_cylinder;
            uint8_t  legacy_max_head;
            uint8_t  legacy_sectors_per_track;
            xen_guest_handle_t edd_params;  /* -> buffer, first u16 = its size */
        } disk_info;
        struct {
            uint8_t  device;
            uint32_t mbr_signature;
        } disk_mbr_signature;
        struct {
            uint8_t capabilities;
            uint8_t edid_transfer_time;
            xen_guest_handle_t edid;    /* -> uint8_t[128] */
        } vbeddc_info;
        union xenpf_efi_info {
            uint32_t version;
            struct {
                uint64_t addr;
                uint32_t nent;
            } cfg;
            struct {
                uint32_t revision;
                uint32_t bufsz;
                xen_guest_handle_t name;    /* -> UCS-2 string */
            } vendor;
            struct {
                uint64_t addr;
                uint64_t size;
                uint64_t attr;
                uint32_t type;
            } mem;
            struct {
                uint16_t segment;       /* IN */
                uint8_t  bus;           /* IN */
                uint8_t  devfn;         /* IN */
                uint16_t vendor;        /* IN */
                uint16_t devid;         /* IN */
                uint64_t address;       /* OUT */
                xen_ulong_t size;       /* OUT */
            } pci_rom;
            struct {
                uint64_t address;
                xen_ulong_t size;
            } apple_properties;
        } efi_info;
        uint8_t kbd_shift_flags;
    } u;
};
typedef struct xenpf_firmware_info xenpf_firmware_info_t;

/* Enter ACPI S-state; the values are the PM1x control (or SLP_TYP) values. */
#define XENPF_ACPI_SLEEP_EXTENDED 0x00000001
struct xenpf_enter_acpi_sleep {
    uint16_t val_a;
    uint16_t val_b;
    uint32_t sleep_state;               /* n of Sn */
    uint32_t flags;                     /* XENPF_ACPI_SLEEP_* */
};
typedef struct xenpf_enter_acpi_sleep xenpf_enter_acpi_sleep_t;

struct xenpf_change_freq {
    uint32_t flags;                     /* must be zero */
    uint32_t cpu;
    uint64_t freq;                      /* Hz */
};
typedef struct xenpf_change_freq xenpf_change_freq_t;

struct xenpf_getidletime {
    xen_guest_handle_t cpumap_bitmap;   /* IN/OUT: -> uint8_t[] */
    uint32_t cpumap_nr_cpus;            /* IN */
    xen_guest_handle_t idletime;        /* OUT: -> uint64_t[] (ns) */
    uint64_t now;                       /* OUT: system time of the sample */
};
typedef struct xenpf_getidletime xenpf_getidletime_t;

/* Processor power-management data forwarded from dom0's ACPI parser. */
#define XEN_PROCESSOR_PM_CX 1
#define XEN_PROCESSOR_PM_PX 2
#define XEN_PROCESSOR_PM_TX 4

#define XEN_PM_CX   0
#define XEN_PM_PX   1
#define XEN_PM_TX   2
#define XEN_PM_PDC  3
#define XEN_PM_CPPC 4

#define XEN_PX_PCT 1
#define XEN_PX_PSS 2
#define XEN_PX_PPC 4
#define XEN_PX_PSD 8

#define XEN_CPPC_PSD (xen_mk_uint(1) << 0)
#define XEN_CPPC_CPC (xen_mk_uint(1) << 1)

struct xen_power_register {             /* ACPI generic address */
    uint32_t space_id;
    uint32_t bit_width;
    uint32_t bit_offset;
    uint32_t access_size;
    uint64_t address;
};

struct xen_processor_csd {
    uint32_t domain;
    uint32_t coord_type;
    uint32_t num;
};
typedef struct xen_processor_csd xen_processor_csd_t;

struct xen_processor_cx {
    struct xen_power_register reg;
    uint8_t  type;                      /* C-state number */
    uint32_t latency;
    uint32_t power;
    uint32_t dpcnt;
    xen_guest_handle_t dp;              /* -> xen_processor_csd_t[dpcnt] */
};
typedef struct xen_processor_cx xen_processor_cx_t;

struct xen_processor_flags {
    uint32_t bm_control:1;
    uint32_t bm_check:1;
    uint32_t has_cst:1;
    uint32_t power_setup_done:1;
    uint32_t bm_rld_set:1;
};

struct xen_processor_power {
    uint32_t count;
    struct xen_processor_flags flags;
    xen_guest_handle_t states;          /* -> xen_processor_cx_t[count] */
};

struct xen_pct_register {
    uint8_t  descriptor;
    uint16_t length;
    uint8_t  space_id;
    uint8_t  bit_width;
    uint8_t  bit_offset;
    uint8_t  reserved;
    uint64_t address;
};

struct xen_processor_px {
    uint64_t core_frequency;            /* MHz */
    uint64_t power;                     /* mW */
    uint64_t transition_latency;        /* us */
    uint64_t bus_master_latency;        /* us */
    uint64_t control;
    uint64_t status;
};
typedef struct xen_processor_px xen_processor_px_t;

struct xen_psd_package {
    uint64_t num_entries;
    uint64_t revision;
    uint64_t domain;
    uint64_t coord_type;
    uint64_t num_processors;
};

#define XEN_CPUPERF_SHARED_TYPE_HW  1
#define XEN_CPUPERF_SHARED_TYPE_ALL 2
#define XEN_CPUPERF_SHARED_TYPE_ANY 3

struct xen_processor_performance {
    uint32_t flags;                     /* XEN_PX_* present */
    uint32_t platform_limit;
    struct xen_pct_register control_register;
    struct xen_pct_register status_register;
    uint32_t state_count;
    xen_guest_handle_t states;          /* -> xen_processor_px_t[state_count] */
    struct xen_psd_package domain_info;
    uint32_t shared_type;               /* XEN_CPUPERF_SHARED_TYPE_* */
};
typedef struct xen_processor_performance xen_processor_performance_t;

struct xen_processor_cppc {
    uint8_t flags;                      /* XEN_CPPC_* */
    uint8_t pad[3];
    struct {
        uint32_t highest_perf;
        uint32_t nominal_perf;
        uint32_t lowest_nonlinear_perf;
        uint32_t lowest_perf;
        uint32_t lowest_mhz;
        uint32_t nominal_mhz;
    } cpc;
    uint32_t shared_type;
    struct xen_psd_package domain_info;
};
typedef struct xen_processor_cppc xen_processor_cppc_t;

struct xenpf_set_processor_pminfo {
    uint32_t id;                        /* ACPI processor ID */
    uint32_t type;                      /* XEN_PM_* */
    union {
        struct xen_processor_power       power;
        struct xen_processor_performance perf;
        xen_guest_handle_t               pdc;   /* -> uint32_t[] */
        xen_processor_cppc_t             cppc_data;
    } u;
};
typedef struct xenpf_set_processor_pminfo xenpf_set_processor_pminfo_t;

#define XEN_PCPU_FLAGS_ONLINE  1
#define XEN_PCPU_FLAGS_INVALID 2
struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;                 /* IN */
    uint32_t max_present;               /* OUT: highest present CPU id */
    uint32_t flags;                     /* OUT: XEN_PCPU_FLAGS_* */
    uint32_t apic_id;                   /* OUT */
    uint32_t acpi_id;                   /* OUT */
};
typedef struct xenpf_pcpuinfo xenpf_pcpuinfo_t;

struct xenpf_pcpu_version {
    uint32_t xen_cpuid;                 /* IN */
    uint32_t max_present;               /* OUT */
    char     vendor_id[12];             /* OUT */
    uint32_t family;                    /* OUT */
    uint32_t model;                     /* OUT */
    uint32_t stepping;                  /* OUT */
};
typedef struct xenpf_pcpu_version xenpf_pcpu_version_t;

/* XENPF_cpu_online / XENPF_cpu_offline */
struct xenpf_cpu_ol {
    uint32_t cpuid;
};
typedef struct xenpf_cpu_ol xenpf_cpu_ol_t;

struct xenpf_cpu_hotadd {
    uint32_t apic_id;
    uint32_t acpi_id;
    uint32_t pxm;
};
typedef struct xenpf_cpu_hotadd xenpf_cpu_hotadd_t;

struct xenpf_mem_hotadd {
    uint64_t spfn;
    uint64_t epfn;
    uint32_t pxm;
    uint32_t flags;
};
typedef struct xenpf_mem_hotadd xenpf_mem_hotadd_t;

#define XEN_CORE_PARKING_SET 1
#define XEN_CORE_PARKING_GET 2
struct xenpf_core_parking {
    uint32_t type;                      /* XEN_CORE_PARKING_* */
    uint32_t idle_nums;                 /* IN for SET, OUT for GET */
};
typedef struct xenpf_core_parking xenpf_core_parking_t;

#define XEN_RESOURCE_OP_MSR_READ  0
#define XEN_RESOURCE_OP_MSR_WRITE 1
struct xenpf_resource_entry {
    union {
        uint32_t cmd;                   /* IN: XEN_RESOURCE_OP_* */
        int32_t  ret;                   /* OUT: error of the failing entry */
    } u;
    uint32_t rsvd;                      /* must be zero */
    uint64_t idx;                       /* IN: e.g. MSR index */
    uint64_t val;                       /* IN/OUT */
};
typedef struct xenpf_resource_entry xenpf_resource_entry_t;

struct xenpf_resource_op {
    uint32_t nr_entries;
    uint32_t cpu;
    xen_guest_handle_t entries;         /* -> xenpf_resource_entry_t[] */
};
typedef struct xenpf_resource_op xenpf_resource_op_t;

/* Iterate the hypervisor's symbol table, one symbol per call. */
struct xenpf_symdata {
    uint32_t namelen;                   /* IN: buffer size; OUT: name length */
    uint32_t symnum;                    /* IN: symbol; OUT: next (same = end) */
    xen_guest_handle_t name;            /* OUT: -> char[namelen] */
    uint64_t address;                   /* OUT */
    char     type;                      /* OUT: nm-style type letter */
};
typedef struct xenpf_symdata xenpf_symdata_t;

typedef struct dom0_vga_console_info xenpf_dom0_console_t;

struct xenpf_ucode_revision {
    uint32_t cpu;                       /* IN */
    uint32_t signature;                 /* OUT: CPUID.1.EAX */
    uint32_t pf;                        /* OUT: Intel platform flags */
    uint32_t revision;                  /* OUT */
};
typedef struct xenpf_ucode_revision xenpf_ucode_revision_t;

#define XENPF_UCODE_FORCE 1
struct xenpf_microcode_update2 {
    uint32_t flags;                     /* IN: XENPF_UCODE_* */
    uint32_t length;                    /* IN */
    xen_guest_handle_t data;            /* IN: -> const void */
};
typedef struct xenpf_microcode_update2 xenpf_microcode_update2_t;

/* The hypercall argument; the union is padded to 128 bytes for growth. */
struct xen_platform_op {
    uint32_t cmd;                       /* XENPF_* */
    uint32_t interface_version;         /* XENPF_INTERFACE_VERSION */
    union {
        xenpf_settime_t               settime;
        xenpf_settime32_t             settime32;
        xenpf_settime64_t             settime64;
        xenpf_add_memtype_t           add_memtype;
        xenpf_del_memtype_t           del_memtype;
        xenpf_read_memtype_t          read_memtype;
        xenpf_microcode_update_t      microcode;
        xenpf_platform_quirk_t        platform_quirk;
        xenpf_efi_runtime_call_t      efi_runtime_call;
        xenpf_firmware_info_t         firmware_info;
        xenpf_enter_acpi_sleep_t      enter_acpi_sleep;
        xenpf_change_freq_t           change_freq;
        xenpf_getidletime_t           getidletime;
        xenpf_set_processor_pminfo_t  set_pminfo;
        xenpf_pcpuinfo_t              pcpu_info;
        xenpf_pcpu_version_t          pcpu_version;
        xenpf_cpu_ol_t                cpu_ol;
        xenpf_cpu_hotadd_t            cpu_add;
        xenpf_mem_hotadd_t            mem_add;
        xenpf_core_parking_t          core_parking;
        xenpf_resource_op_t           resource_op;
        xenpf_symdata_t               symdata;
        xenpf_dom0_console_t          dom0_console;
        xenpf_ucode_revision_t        ucode_revision;
        xenpf_microcode_update2_t     microcode2;
        uint8_t                       pad[128];
    } u;
};
typedef struct xen_platform_op xen_platform_op_t;

_Static_assert(sizeof(struct xenpf_settime32) == 16, "settime32");
_Static_assert(sizeof(struct xenpf_settime64) == 24, "settime64");
_Static_assert(sizeof(struct xenpf_add_memtype) == 32, "add_memtype");
_Static_assert(sizeof(struct xenpf_read_memtype) == 32, "read_memtype");
_Static_assert(sizeof(struct xenpf_microcode_update) == 16, "microcode_update");
_Static_assert(sizeof(struct xenpf_efi_time) == 16, "efi_time");
_Static_assert(sizeof(struct xenpf_efi_guid) == 16, "efi_guid");
_Static_assert(sizeof(struct xenpf_efi_runtime_call) == 56, "efi_runtime_call");
_Static_assert(__builtin_offsetof(struct xenpf_efi_runtime_call, u) == 16, "efi_runtime_call.u");
_Static_assert(sizeof(struct xenpf_firmware_info) == 40, "firmware_info");
_Static_assert(__builtin_offsetof(struct xenpf_firmware_info, u.disk_info.edd_params) == 16, "edd_params");
_Static_assert(sizeof(struct xenpf_enter_acpi_sleep) == 12, "enter_acpi_sleep");
_Static_assert(sizeof(struct xenpf_getidletime) == 32, "getidletime");
_Static_assert(sizeof(struct xen_processor_cx) == 48, "processor_cx");
_Static_assert(sizeof(struct xen_pct_register) == 16, "pct_register");
_Static_assert(sizeof(struct xen_processor_performance) == 104, "processor_performance");
_Static_assert(sizeof(struct xen_processor_cppc) == 72, "processor_cppc");
_Static_assert(sizeof(struct xenpf_set_processor_pminfo) == 112, "set_processor_pminfo");
_Static_assert(sizeof(struct xenpf_pcpuinfo) == 20, "pcpuinfo");
_Static_assert(sizeof(struct xenpf_pcpu_version) == 32, "pcpu_version");
_Static_assert(sizeof(struct xenpf_cpu_ol) == 4, "cpu_ol");
_Static_assert(sizeof(struct xenpf_resource_entry) == 24, "resource_entry");
_Static_assert(sizeof(struct xenpf_resource_op) == 16, "resource_op");
_Static_assert(sizeof(struct xenpf_symdata) == 32, "symdata");
_Static_assert(sizeof(struct xenpf_microcode_update2) == 16, "microcode_update2");
_Static_assert(sizeof(struct xen_platform_op) == 136, "xen_platform_op");
_Static_assert(__builtin_offsetof(struct xen_platform_op, u) == 8, "xen_platform_op.u");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_PLATFORM_H */
