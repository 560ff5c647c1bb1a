# Xeno top-level build.  `make` builds everything; `make test` runs every test;
# `make run` boots the system in QEMU.  See README.md.

BUILD      ?= build
export BUILD

# Debian packages the build and the tests need.  `make deps` installs the
# missing ones when run as root, otherwise prints the exact apt-get line.
DEB_PACKAGES := gcc make binutils gzip python3 qemu-system-x86 libcunit1-dev \
    libxml2-dev uuid-dev libyajl-dev zlib1g-dev liblzma-dev liblz4-dev libzstd-dev \
    libbz2-dev zstd busybox-static cpio grub-pc-bin grub-common xorriso mtools \
    shellcheck iproute2 e2fsprogs util-linux

.PHONY: all deps hypervisor test test-unit test-boot test-pv test-dom0 run bench clean distclean

all: deps hypervisor

deps:
	@tools/deps.sh $(DEB_PACKAGES)

hypervisor: deps
	@$(MAKE) --no-print-directory -C hypervisor

test: deps
	@tests/run-all.sh

test-unit: deps
	@tests/unit/run.sh

test-boot: hypervisor
	@tests/boot/run.sh

test-pv: hypervisor
	@tests/pv/run.sh

test-dom0: hypervisor
	@tests/dom0/run.sh
	@tests/devices/run.sh

run: hypervisor
	@tools/run-qemu.sh

bench: hypervisor
	@bench/boot-time.sh
	@bench/pv-bench.sh
	@bench/xm-create.sh
	@bench/split-drivers.sh

clean:
	rm -rf $(BUILD)
	@$(MAKE) --no-print-directory -C hypervisor clean

distclean: clean

-include mk/images.mk
-include mk/dom0-tools.mk
-include mk/xend.mk
-include mk/xenstored.mk
-include mk/builder.mk
-include mk/xenconsoled.mk
-include mk/toolstack.mk
