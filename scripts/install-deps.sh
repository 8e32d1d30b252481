#!/usr/bin/env bash
# Installs every Debian package adloom needs to build, test and run.
# Idempotent: does nothing (and needs no network) when all packages are present.
# Runs as root, or through sudo otherwise. Debian 12 (bookworm) only.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang-format clang-tidy git curl
  # libraries
  libboost-dev libfmt-dev
  nlohmann-json3-dev libsqlite3-dev libssl-dev libspdlog-dev libcli11-dev
  libtomlplusplus-dev prometheus-cpp-dev libcurl4-openssl-dev
  # images, OCR, vector index (the library)
  libvips-dev libtesseract-dev libarchive-dev tesseract-ocr-eng fonts-dejavu-core
  libfontconfig-dev libkainjow-mustache-dev zlib1g-dev
  libfaiss-dev libopenblas0-pthread libomp-dev
  # tests
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
