#!/usr/bin/env bash
# setup.sh — install the Debian 12 packages wasitorch needs (idempotent).
# Runs apt-get only when something is missing, so repeated `make` calls are fast.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config
  clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32   # C -> wasm32-wasi
  wabt binaryen                                          # wat2wasm, wasm-opt
  libtorch-dev python3-torch python3-torchvision         # the PyTorch backend and model tools
  libopenblas0                                           # else libtorch uses the reference BLAS
  libdnnl-dev                                            # oneDNN headers: the backend's fused preparation
  python3-pil python3-numpy                              # test images
  libstb-dev                                             # image decoding in guests
  libcmocka-dev                                          # unit tests
  rustc libstd-rust-dev-wasm32                           # Rust guests (toolchain compatibility tests)
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-user  # AOT cross-compilation test (aarch64)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
