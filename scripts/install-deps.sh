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

# Node.js runs the fake model providers the tests start (tests/fakes). Debian 12's nodejs
# (18.20) is enough; a newer one already on the machine is used as it is.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "install-deps: Node.js $(node --version) is too old; the test fakes need Node 18 or newer" >&2
  exit 1
fi

# The fakes' packages, from the committed lockfile (idempotent: skipped when up to date).
fakes="$(cd "$(dirname "$0")/.." && pwd)/tests/fakes"
if [ ! -f "$fakes/node_modules/.package-lock.json" ] ||
   [ "$fakes/package-lock.json" -nt "$fakes/node_modules/.package-lock.json" ]; then
  echo "install-deps: npm ci in tests/fakes"
  (cd "$fakes" && npm ci --no-audit --no-fund --loglevel=error)
fi
