/* x86_bootparam.h - guest-visible boot structure layouts for the x86-64
 * machine, written from the specifications (packed, little-endian, offsets
 * checked below):
 *  - struct x86_setup_header / x86_boot_params: the Linux/x86 boot protocol
 *    (Documentation/arch/x86/boot.rst, "The real-mode kernel header") and
 *    the zero page (Documentation/arch/x86/zero-page.rst);
 *  - struct x86_hvm_start_info and friends: the Xen PVH start of day
 *    structure, version 1 (xen/include/public/arch-x86/hvm/start_info.h);
 *  - the Intel MultiProcessor Specification 1.4 structures (chapter 4).
 * Private to src/machine/x86_*.c and their tests. */
#ifndef MACHINA_MACHINE_X86_BOOTPARAM_H
#define MACHINA_MACHINE_X86_BOOTPARAM_H

#include <stddef.h>
#include <stdint.h>

/* ---- Linux boot protocol ---- */

#define X86_SETUP_HDR_OFFSET	0x1f1	/* where the header sits in the file and the zero page */
#define X86_SETUP_HDR_MAGIC	0x53726448u	/* "HdrS" */
#define X86_BOOT_FLAG		0xaa55
#define X86_SETUP_SECTS_DEFAULT	4	/* setup_sects == 0 means 4 */
#define X86_LOADER_UNDEFINED	0xff	/* type_of_loader: no assigned id */
#define X86_ENTRY64_OFFSET	0x200	/* 64-bit entry: load address + 0x200 */
#define X86_INITRD_ADDR_MAX_DEFAULT 0x37ffffffu	/* before protocol 2.03 */

/* loadflags */
#define X86_LOADED_HIGH		(1u << 0)
#define X86_CAN_USE_HEAP	(1u << 7)
/* xloadflags (protocol 2.12+) */
#define X86_XLF_KERNEL_64	(1u << 0)

struct x86_setup_header {
	uint8_t setup_sects;
	uint16_t root_flags;
	uint32_t syssize;
	uint16_t ram_size;
	uint16_t vid_mode;
	uint16_t root_dev;
	uint16_t boot_flag;		/* 0xaa55 */
	uint16_t jump;			/* 0xeb, then the header's length - 2 */
	uint32_t header;		/* "HdrS" */
	uint16_t version;		/* protocol, 0x020f = 2.15 */
	uint32_t realmode_swtch;
	uint16_t start_sys_seg;
	uint16_t kernel_version;
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint16_t setup_move_size;
	uint32_t code32_start;
	uint32_t ramdisk_image;
	uint32_t ramdisk_size;
	uint32_t bootsect_kludge;
	uint16_t heap_end_ptr;
	uint8_t ext_loader_ver;
	uint8_t ext_loader_type;
	uint32_t cmd_line_ptr;
	uint32_t initrd_addr_max;	/* 2.03+: highest address the initrd may occupy */
	uint32_t kernel_alignment;	/* 2.05+ */
	uint8_t relocatable_kernel;	/* 2.05+ */
	uint8_t min_alignment;		/* 2.10+ */
	uint16_t xloadflags;		/* 2.12+ */
	uint32_t cmdline_size;		/* 2.06+: longest command line, without the NUL */
	uint32_t hardware_subarch;
	uint64_t hardware_subarch_data;
	uint32_t payload_offset;
	uint32_t payload_length;
	uint64_t setup_data;
	uint64_t pref_address;		/* 2.10+ */
	uint32_t init_size;		/* 2.10+: memory needed from the run address */
	uint32_t handover_offset;
	uint32_t kernel_info_offset;
} __attribute__((packed));

/* offsets in the file / zero page (boot.rst's table) */
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, boot_flag) == 0x1fe, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, header) == 0x202, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, version) == 0x206, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, type_of_loader) == 0x210, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, code32_start) == 0x214, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, ramdisk_image) == 0x218, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, heap_end_ptr) == 0x224, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, cmd_line_ptr) == 0x228, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, initrd_addr_max) == 0x22c, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, xloadflags) == 0x236, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, cmdline_size) == 0x238, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, setup_data) == 0x250, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, pref_address) == 0x258, "");
_Static_assert(X86_SETUP_HDR_OFFSET + offsetof(struct x86_setup_header, init_size) == 0x260, "");
_Static_assert(X86_SETUP_HDR_OFFSET + sizeof(struct x86_setup_header) == 0x26c, "");

#define X86_E820_RAM		1
#define X86_E820_RESERVED	2
#define X86_E820_MAX		128	/* entries in the zero page */

struct x86_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_e820_entry) == 20, "");

/* the zero page: only the fields Machina fills are named */
struct x86_boot_params {
	uint8_t screen_info[0x40];
	uint8_t apm_bios_info[0x14];
	uint8_t _pad2[4];
	uint64_t tboot_addr;
	uint8_t ist_info[0x10];
	uint64_t acpi_rsdp_addr;
	uint8_t _pad3[8];
	uint8_t hd0_info[16];
	uint8_t hd1_info[16];
	uint8_t sys_desc_table[0x10];
	uint8_t olpc_ofw_header[0x10];
	uint32_t ext_ramdisk_image;	/* high 32 bits of ramdisk_image */
	uint32_t ext_ramdisk_size;
	uint32_t ext_cmd_line_ptr;
	uint8_t _pad4[112];
	uint32_t cc_blob_address;
	uint8_t edid_info[0x80];
	uint8_t efi_info[0x20];
	uint32_t alt_mem_k;
	uint32_t scratch;
	uint8_t e820_entries;
	uint8_t eddbuf_entries;
	uint8_t edd_mbr_sig_buf_entries;
	uint8_t kbd_status;
	uint8_t secure_boot;
	uint8_t _pad5[2];
	uint8_t sentinel;		/* left 0: the loader zeroed the page */
	uint8_t _pad6[1];
	struct x86_setup_header hdr;
	uint8_t _pad7[0x290 - 0x1f1 - sizeof(struct x86_setup_header)];
	uint32_t edd_mbr_sig_buffer[16];
	struct x86_e820_entry e820_table[X86_E820_MAX];
	uint8_t _pad8[48];
	uint8_t eddbuf[6 * 82];
	uint8_t _pad9[276];
} __attribute__((packed));

_Static_assert(offsetof(struct x86_boot_params, acpi_rsdp_addr) == 0x070, "");
_Static_assert(offsetof(struct x86_boot_params, ext_ramdisk_image) == 0x0c0, "");
_Static_assert(offsetof(struct x86_boot_params, ext_cmd_line_ptr) == 0x0c8, "");
_Static_assert(offsetof(struct x86_boot_params, cc_blob_address) == 0x13c, "");
_Static_assert(offsetof(struct x86_boot_params, alt_mem_k) == 0x1e0, "");
_Static_assert(offsetof(struct x86_boot_params, e820_entries) == 0x1e8, "");
_Static_assert(offsetof(struct x86_boot_params, sentinel) == 0x1ef, "");
_Static_assert(offsetof(struct x86_boot_params, hdr) == X86_SETUP_HDR_OFFSET, "");
_Static_assert(offsetof(struct x86_boot_params, edd_mbr_sig_buffer) == 0x290, "");
_Static_assert(offsetof(struct x86_boot_params, e820_table) == 0x2d0, "");
_Static_assert(offsetof(struct x86_boot_params, eddbuf) == 0xd00, "");
_Static_assert(sizeof(struct x86_boot_params) == 0x1000, "");

/* ---- Xen PVH start of day (version 1) ---- */

#define X86_HVM_START_MAGIC	0x336ec578u	/* "xEn3" with bit 7 of 'E' set */
#define X86_HVM_START_VERSION	1
#define X86_XEN_ELFNOTE_PHYS32_ENTRY 18	/* note "Xen", 32-bit physical entry */

struct x86_hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;		/* version 1+ */
	uint32_t memmap_entries;	/* version 1+ */
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(offsetof(struct x86_hvm_start_info, modlist_paddr) == 16, "");
_Static_assert(offsetof(struct x86_hvm_start_info, cmdline_paddr) == 24, "");
_Static_assert(offsetof(struct x86_hvm_start_info, rsdp_paddr) == 32, "");
_Static_assert(offsetof(struct x86_hvm_start_info, memmap_paddr) == 40, "");
_Static_assert(offsetof(struct x86_hvm_start_info, memmap_entries) == 48, "");
_Static_assert(sizeof(struct x86_hvm_start_info) == 56, "");

struct x86_hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_hvm_modlist_entry) == 32, "");

struct x86_hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;			/* e820 types */
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_hvm_memmap_entry) == 24, "");

/* ---- Intel MultiProcessor Specification 1.4 ---- */

#define X86_MPF_SIGNATURE	"_MP_"
#define X86_MPC_SIGNATURE	"PCMP"
#define X86_MP_SPEC_REV		4	/* 1.4 */
#define X86_BDA_EBDA_SEG	0x40e	/* BIOS data area: EBDA segment (real mode) */

/* MP floating pointer structure (spec 4.1), on a 16-byte boundary */
struct x86_mpf {
	char signature[4];		/* "_MP_" */
	uint32_t physptr;		/* configuration table */
	uint8_t length;			/* in 16-byte units: 1 */
	uint8_t spec_rev;
	uint8_t checksum;		/* all 16 bytes sum to 0 */
	uint8_t feature1;		/* 0: a configuration table is present */
	uint8_t feature2;		/* bit 7 IMCRP: 0, virtual wire mode */
	uint8_t feature3[3];
} __attribute__((packed));
_Static_assert(sizeof(struct x86_mpf) == 16, "");

/* MP configuration table header (spec 4.2) */
struct x86_mpc_table {
	char signature[4];		/* "PCMP" */
	uint16_t length;		/* header + entries */
	uint8_t spec_rev;
	uint8_t checksum;		/* header + entries sum to 0 */
	char oem_id[8];
	char product_id[12];
	uint32_t oem_table_ptr;
	uint16_t oem_table_size;
	uint16_t entry_count;
	uint32_t lapic_addr;
	uint16_t ext_table_length;
	uint8_t ext_table_checksum;
	uint8_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_mpc_table) == 44, "");

enum {
	X86_MP_PROCESSOR = 0,
	X86_MP_BUS = 1,
	X86_MP_IOAPIC = 2,
	X86_MP_INTSRC = 3,
	X86_MP_LINTSRC = 4,
};

#define X86_MP_CPU_ENABLED	(1u << 0)
#define X86_MP_CPU_BSP		(1u << 1)
#define X86_MP_IOAPIC_ENABLED	(1u << 0)
/* interrupt types of I/O and local interrupt entries */
#define X86_MP_INT_INT		0
#define X86_MP_INT_NMI		1
#define X86_MP_INT_EXTINT	3

struct x86_mpc_cpu {
	uint8_t type;			/* 0 */
	uint8_t apic_id;
	uint8_t apic_version;
	uint8_t cpu_flags;
	uint32_t cpu_signature;		/* CPUID(1).EAX: stepping, model, family */
	uint32_t feature_flags;		/* CPUID(1).EDX */
	uint32_t reserved[2];
} __attribute__((packed));
_Static_assert(sizeof(struct x86_mpc_cpu) == 20, "");

struct x86_mpc_bus {
	uint8_t type;			/* 1 */
	uint8_t bus_id;
	char bus_type[6];		/* "ISA   " */
} __attribute__((packed));
_Static_assert(sizeof(struct x86_mpc_bus) == 8, "");

struct x86_mpc_ioapic {
	uint8_t type;			/* 2 */
	uint8_t apic_id;
	uint8_t apic_version;
	uint8_t flags;
	uint32_t apic_addr;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_mpc_ioapic) == 8, "");

/* I/O (type 3) and local (type 4) interrupt assignment entries */
struct x86_mpc_intsrc {
	uint8_t type;
	uint8_t irq_type;
	uint16_t irq_flags;		/* polarity bits 1:0, trigger bits 3:2; 0 = conforms to the bus */
	uint8_t src_bus_id;
	uint8_t src_bus_irq;
	uint8_t dst_apic_id;		/* 0xff (local: all local APICs) */
	uint8_t dst_pin;		/* IOAPIC INTIN / LINTIN */
} __attribute__((packed));
_Static_assert(sizeof(struct x86_mpc_intsrc) == 8, "");

#define X86_MP_IOAPIC_PINS	24
#define X86_MP_ALL_LAPICS	0xff

#endif
