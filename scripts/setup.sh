#!/usr/bin/env bash
# Installs every Debian 12 package baton needs to build, test and run (idempotent; run as root).
set -euo pipefail
PACKAGES=(cmake ninja-build g++ pkg-config
          libboost-program-options-dev libyaml-cpp-dev nlohmann-json3-dev
          libgtest-dev libgmock-dev googletest libbenchmark-dev
          libsystemc-dev libhdf5-dev hdf5-tools libssl-dev
          python3-h5py python3-matplotlib
          libopenmpi-dev openmpi-bin)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}" ||
    { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; }
fi
