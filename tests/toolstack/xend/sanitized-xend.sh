# Sourced by the hosted xend tests: sanitized_xend OUT builds xend-hosted with
# ASan and UBSan into OUT (sources as mk/xend.mk, the fake hypervisor, no
# libxenoctrl) and points ASAN_OPTIONS / UBSAN_OPTIONS at files beside it,
# since a daemon's stderr is /dev/null. Returns 1 (compiler output in
# OUT.log) if the build fails. Run from the repository's top directory.
sanitized_xend() {
    local out=$1 srcs
    srcs=$(ls xend/daemon/*.c xend/common/*.c xend/config/*.c | grep -v hv_xenoctrl.c)
    # -Wno-format-truncation: gcc misreads vsnprintf(NULL, 0, ...) under the sanitizers
    # shellcheck disable=SC2086
    gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-format-truncation \
        -fsanitize=address,undefined -fno-omit-frame-pointer \
        -Ixen-public-headers -Idom0-tools/include -o "$out" $srcs dom0-tools/xenstored/client.c \
        -l:libyajl_s.a -luuid -lm 2>"$out.log" || return 1
    export ASAN_OPTIONS=log_path=${out%/*}/asan:detect_leaks=1
    export UBSAN_OPTIONS=log_path=${out%/*}/ubsan:print_stacktrace=1
}
