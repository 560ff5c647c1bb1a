# The whole dom0 toolstack in one image: Debian's Linux as dom0 with
# xenstored, xenconsoled, xend, xm and two Debian domU kernels (6.1 amd64,
# xz; cloud, lz4) with their busybox initramfs.  Included by the top-level
# Makefile.
#
#   make toolstack-image   build/images/toolstack-initrd.cpio.gz (dom0 kernel:
#                          build/images/dom0-vmlinuz)
#   make test-toolstack    tests/toolstack/acceptance.sh: boots it under QEMU
#                          and runs tests/toolstack/acceptance-dom0.sh in dom0
#   make run               (tools/run-qemu.sh) boots it to the dom0 shell, with
#                          the demo domU of /etc/xen/auto running

TOOLSTACK_ROOT   := $(BUILD)/toolstack/root
TOOLSTACK_INITRD := $(IMAGES)/toolstack-initrd.cpio.gz
TOOLSTACK_BINS   := $(BUILD)/dom0-tools/xenstored $(BUILD)/dom0-tools/xenstore \
                    $(BUILD)/dom0-tools/xenconsoled $(BUILD)/dom0-tools/xenconsole \
                    $(BUILD)/xend/xend $(BUILD)/xend/xm
TOOLSTACK_DOMU   := $(IMAGES)/domU-amd64-vmlinuz $(IMAGES)/domU-amd64-initrd.cpio.gz \
                    $(IMAGES)/domU-vmlinuz $(IMAGES)/domU-initrd.cpio.gz
TOOLSTACK_FILES  := tools/images/toolstack-root.sh tools/images/toolstack-init.sh tools/images/toolstack-shutdown.sh \
                    tests/toolstack/acceptance-dom0.sh bench/xm-create-dom0.sh $(wildcard tests/toolstack/etc-xen/*) \
                    $(wildcard config/*) mk/toolstack.mk

.PHONY: toolstack-image toolstack-bins test-toolstack

# The Debian 6.1 kernel as a domU, with an initramfs of its own modules.
$(eval $(call image_rules,amd64,domU-amd64-,xeno-domU,$(DOMU_MODULES),tools/images/domU-init.sh))

toolstack-bins: xenstored-tools xenconsoled-tools xend xm

toolstack-image: $(TOOLSTACK_INITRD) $(IMAGES)/dom0-vmlinuz

$(TOOLSTACK_INITRD): toolstack-bins $(TOOLSTACK_DOMU) $(TOOLSTACK_FILES) $(IMAGES)/dom0-vmlinuz $(IMAGES_TOOLS)
	@BUILD=$(abspath $(BUILD)) tools/images/toolstack-root.sh $(TOOLSTACK_ROOT)
	@tools/images/mkinitramfs.sh --kernel-dir $(IMAGES_CACHE)/kernel-amd64 --name xeno-dom0 \
	  --modules "$(DOM0_MODULES)" --init tools/images/toolstack-init.sh \
	  --add $(TOOLSTACK_ROOT):/ -o $@

test-toolstack: hypervisor toolstack-image
	@tests/toolstack/acceptance.sh
