# Linux guest images: Debian kernels + small busybox initramfs (tools/images/).
# Included by the top-level Makefile.
#
#   make images              build/images/dom0-vmlinuz, dom0-initrd.cpio.gz
#                            (Debian linux-image-amd64, i.e. 6.1, as PV dom0)
#   make images-6.12         build/images/dom0-6.12-vmlinuz, dom0-6.12-initrd.cpio.gz
#   make images-domu         build/images/domU-vmlinuz, domU-initrd.cpio.gz
#                            (linux-image-cloud-amd64: PV domU only, no dom0 support)
#   make images-all          all of the above
#   make images-check        boot dom0-vmlinuz + dom0-initrd.cpio.gz under plain
#                            QEMU (no hypervisor): test mode and interactive shell
#   make images-check-xen    the same images as dom0 of Debian's Xen 4.17
#   make images-check-xeno   the same images as dom0 of build/xeno.elf
#
# Kernel packages are resolved through the metapackages each time (never a
# pinned ABI number) and cached in build/cache/ (tools/images/fetch-kernel.sh).
# Boot the dom0 image by hand, e.g. on Xeno through tools/run-qemu.sh:
#   make images run XENO_ARGS="dom0_mem=512M" \
#     XENO_MODULES="build/images/dom0-vmlinuz console=hvc0 earlyprintk=xen,build/images/dom0-initrd.cpio.gz"
# (add xeno.test=1 to the dom0 arguments for the test mode).

# Debian packages the image build needs (the checks use QEMU from DEB_PACKAGES)
IMAGES_DEB_PACKAGES := busybox-static cpio gzip xz-utils binutils

IMAGES       := $(BUILD)/images
IMAGES_CACHE := $(BUILD)/cache
DOM0_MODULES ?= xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc
DOMU_MODULES ?= xen-blkfront xen-netfront
# in the domU images' /bin: the device test body domU-init.sh sources
# (xeno.test=devices, xeno.net=dhcp) and udhcpc's event script
DOMU_FILES   := tools/images/domU-devices.sh tests/devices/udhcpc.script
IMAGES_TOOLS := tools/images/mkinitramfs.sh tools/images/init.sh mk/images.mk
IMAGES_CHECK := tools/images/boot-check.sh

.PHONY: images images-6.12 images-domu images-all images-deps images-FORCE \
        images-check images-check-xen images-check-xeno

images: $(IMAGES)/dom0-vmlinuz $(IMAGES)/dom0-initrd.cpio.gz
images-6.12: $(IMAGES)/dom0-6.12-vmlinuz $(IMAGES)/dom0-6.12-initrd.cpio.gz
images-domu: $(IMAGES)/domU-vmlinuz $(IMAGES)/domU-initrd.cpio.gz
images-all: images images-6.12 images-domu

images-deps:
	@tools/deps.sh $(IMAGES_DEB_PACKAGES)

images-FORCE:

# xen-probe: exercises /dev/xen/{privcmd,evtchn,gntalloc,gntdev} inside dom0.
$(IMAGES)/xen-probe: tools/images/xen-probe.c
	@mkdir -p $(@D)
	@$(CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# image_rules FLAVOUR, FILE-PREFIX, INIT-NAME, MODULES, INIT-BODY, [EXTRA-FILES]
# The kernel rule always asks fetch-kernel.sh (fast when cached) but only
# rewrites the copy when it changed, so the initramfs is rebuilt only then.
define image_rules
$$(IMAGES)/$(2)vmlinuz: images-FORCE | images-deps
	@v=$$$$(tools/images/fetch-kernel.sh $(1)) && mkdir -p $$(@D) && \
	  { cmp -s "$$$$v" $$@ || { cp "$$$$v" $$@.tmp && mv $$@.tmp $$@ && echo "images: $$@ <- $$$$v"; }; }

$$(IMAGES)/$(2)initrd.cpio.gz: $$(IMAGES)/$(2)vmlinuz $(5) $(6) $$(IMAGES_TOOLS) | images-deps
	@tools/images/mkinitramfs.sh --kernel-dir $$(IMAGES_CACHE)/kernel-$(1) --name $(3) \
	  --modules "$(4)" --init $(5) $(foreach f,$(6),--add $(f):/bin/$(notdir $(f))) -o $$@
endef

$(eval $(call image_rules,amd64,dom0-,xeno-dom0,$(DOM0_MODULES),tools/images/dom0-init.sh,$(IMAGES)/xen-probe))
$(eval $(call image_rules,6.12,dom0-6.12-,xeno-dom0,$(DOM0_MODULES),tools/images/dom0-init.sh,$(IMAGES)/xen-probe))
$(eval $(call image_rules,cloud,domU-,xeno-domU,$(DOMU_MODULES),tools/images/domU-init.sh,$(DOMU_FILES)))

images-check: deps images
	@$(IMAGES_CHECK) --hv none --mode test
	@$(IMAGES_CHECK) --hv none --mode shell

images-check-xen: deps images
	@$(IMAGES_CHECK) --hv xen --mode test
	@$(IMAGES_CHECK) --hv xen --mode shell

images-check-xeno: hypervisor images
	@$(IMAGES_CHECK) --hv xeno --mode test
