#!/usr/bin/env bash
# Install the Debian packages named on the command line that are missing.
# As root: apt-get installs them.  Otherwise: print the exact command and fail.
set -u
missing=()
for p in "$@"; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
    [ "$st" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages. Run as root:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${missing[@]}" >/tmp/xeno-deps.log 2>&1; then
    apt-get update -q >>/tmp/xeno-deps.log 2>&1
    if ! apt-get install -y -q "${missing[@]}" >>/tmp/xeno-deps.log 2>&1; then
        echo "deps: apt-get install failed; see /tmp/xeno-deps.log" >&2
        tail -n 20 /tmp/xeno-deps.log >&2
        exit 1
    fi
fi
