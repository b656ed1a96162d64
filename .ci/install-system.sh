#!/usr/bin/env bash
# Debian packages the tests and the workbook use. Idempotent; run as root (or with sudo available).
set -euo pipefail
SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# Mesa 25 (lavapipe: Vulkan on the CPU) from bookworm-backports: Dawn finds no adapter on Debian 12's Mesa 22.
if [ ! -f /etc/apt/sources.list.d/bookworm-backports.sources ]; then
  $SUDO tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  dataset-fashion-mnist \
  python3-torch python3-venv \
  g++ libdnnl-dev \
  jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook python3-ipykernel python3-jupyter-kernel-test \
  chromium >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
echo "system packages installed"
