#!/usr/bin/env bash
# Makes sure the Debian libraries the Qt wheels load at run time are present,
# and the Chromium the admin's browser test drives; with the argument "deploy",
# also what `make test-deploy` builds and checks a Raspberry Pi installation with.
# As root it installs what is missing; otherwise it prints the exact command.
set -euo pipefail

packages=(
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libpulse0                                     # Qt Multimedia loads it at import
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  fonts-noto-core fonts-dejavu-core            # å ä ö and Sámi letters on screen
  chromium                                      # the admin's browser test (Playwright)
  ffmpeg                                        # video: probing and thumbnails on the server, test clips
  shellcheck                                    # every script of the Raspberry Pi installer
)
if [[ ${1:-} == deploy ]]; then
  packages+=(
    mmdebstrap uidmap                           # a Debian Trixie root, built without root (unshare)
    arch-test                                   # mmdebstrap checks it can run the root's architecture
    zstd                                        # the cached root tarballs
    systemd-container                           # systemd-nspawn boots the root with systemd
  )
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "ensure-system-deps: not a Debian system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  echo "ensure-system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "ensure-system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "  install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
