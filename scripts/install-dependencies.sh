#!/usr/bin/env bash
# Installs the Debian packages Hone builds and tests against, but only those
# that are missing: silent and quick when everything is already present.
# Runs apt-get as root directly, through sudo otherwise, and fails with the list
# of missing packages when neither is possible.
set -euo pipefail

packages=(
    libdnnl-dev
    libopenblas-dev
    libturbojpeg0-dev
    libjpeg62-turbo-dev
    libpng-dev
    zlib1g-dev
    libopenmpi-dev
    openmpi-bin
    dataset-fashion-mnist
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed$'; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "error: missing Debian packages: ${missing[*]}" >&2
    echo "Run as root (or install sudo), or install them yourself:" >&2
    echo "  apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "Installing missing Debian packages: ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
