#!/usr/bin/env bash
# Turns a Raspberry Pi 4 or 5 with Raspberry Pi OS Lite (Trixie, 64-bit) into an Anslag screen:
# the player as the only window of a Wayland kiosk on tty1, watched by systemd and the
# hardware watchdog, the display switched by the opening hours, the clock kept without a
# battery, and player updates the server asks for, with a way back.
#
#   curl -fsSL https://SERVER/api/device/v1/player-releases/install.sh \
#     | sudo bash -s -- --server https://SERVER
#
# Each thing it sets up (a package, a file, a link, a unit) is changed only where it differs
# from what it should be, and reported as "changed" or "unchanged": run it again with the
# same options and it reports "nothing changed" and restarts nothing. Options not given again
# keep their value from the previous run (kept in /etc/anslag/player.env).
# `install.sh --help` lists the options; deploy/raspberrypi/README.md says why it is so.
set -euo pipefail

# Braces: bash reads the whole script before running any of it, so nothing run below can
# read on in a script piped into it (curl … | bash).
{
readonly ENV_FILE=/etc/anslag/player.env
readonly DATA=/var/lib/anslag
readonly LIB=/usr/local/lib/anslag
readonly SBIN=/usr/local/sbin
readonly UNITS=/etc/systemd/system
readonly CMDLINE=${ANSLAG_CMDLINE:-/boot/firmware/cmdline.txt}
readonly DATA_LABEL=anslag-data
readonly KIOSK=anslag-kiosk.service

# What the screen needs from Debian; nothing of PyPI (see the README's "Why").
readonly PACKAGES=(
  python3-venv                                  # the player's versioned virtual environments
  python3-pyside6.qtquick python3-pyside6.qtmultimedia  # Debian's PySide6 6.8 on the system Qt
  qml6-module-qtquick qml6-module-qtmultimedia  # the QML modules the player's scene imports
  qt6-wayland                                   # Qt's Wayland plugin, which no PySide6 package pulls in
  python3-httpx python3-pydantic python3-pydantic-settings python3-babel  # the player's libraries
  cage                                          # the kiosk compositor: one window, fullscreen
  wlr-randr wlopm                               # turning the outputs; powering them off and on
  v4l-utils                                     # cec-ctl: the TV to standby and back over HDMI-CEC
  fonts-noto-core                               # å ä ö and the Sámi letters
  seatd                                         # the display and input devices for the kiosk
  curl ca-certificates                          # releases and the server's time
  systemd-timesyncd                             # NTP
)

usage() {
  cat <<'EOF'
usage: install.sh --server URL [options]

Makes this Raspberry Pi an Anslag screen. Run it as root; run it again to change an option
(the others are kept) or to check that nothing has drifted.

  --server URL          the Anslag server, as in the browser (https://skyltar.example.se)
  --rotation DEGREES    0 (default), 90, 180 or 270: turns the picture for a portrait screen
  --player SOURCE       the player release to install and run: a wheel file or its URL
                        (default: the newest release on the server, the first time; later
                        the release that runs is kept, and the admin's updates change it)
  --data-device DEVICE  a partition or USB stick for the data directory (/var/lib/anslag);
                        a blank one is formatted, one labelled anslag-data is taken as it is.
                        Without it, a partition labelled anslag-data is used when there is one
  --no-start            write everything but do not start (or restart) the kiosk now
  --print-packages      print the Debian packages it installs, one a line, and stop
  -h, --help            this text
EOF
}

say() { echo "install.sh: $*"; }
fail() {
  echo "install.sh: $*" >&2
  exit 1
}

server=""
rotation=""
player=""
data_device=""
start=yes
while (($#)); do
  if [[ $1 =~ ^--(server|rotation|player|data-device)$ ]] && (($# < 2)); then
    fail "$1 needs a value, e.g. $1 $(usage | sed -n "s/^  $1 \([^ ]*\).*/\1/p")"
  fi
  case $1 in
    --server) server=${2:-} && shift ;;
    --server=*) server=${1#*=} ;;
    --rotation) rotation=${2:-} && shift ;;
    --rotation=*) rotation=${1#*=} ;;
    --player) player=${2:-} && shift ;;
    --player=*) player=${1#*=} ;;
    --data-device) data_device=${2:-} && shift ;;
    --data-device=*) data_device=${1#*=} ;;
    --no-start) start=no ;;
    --print-packages)
      printf '%s\n' "${PACKAGES[@]}"
      exit 0
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      fail "unknown option '$1'"
      ;;
  esac
  shift
done

# --- Where it runs -----------------------------------------------------------------------

((EUID == 0)) || fail "run me as root: curl … | sudo bash -s -- --server URL"
if [[ $(findmnt -n -o FSTYPE / 2>/dev/null) == overlay ]]; then
  fail "shop mode is on (the root file system is read-only): turn it off first with" \
    "'sudo anslag-shop-mode off' and a restart, then run me again"
fi
# shellcheck source=/dev/null
source /etc/os-release
if [[ ${VERSION_CODENAME:-} == bookworm ]]; then
  fail "this is Raspberry Pi OS Bookworm, which has no Debian PySide6: flash Raspberry Pi OS" \
    "Lite (64-bit) based on Trixie, then run me again"
fi

# The previous run's choices, for the options not given now.
previous() {
  [[ -f $ENV_FILE ]] || return 0
  sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" "$ENV_FILE" | tail -n 1
}
[[ -n $server ]] || server=$(previous ANSLAG_PLAYER_SERVER_URL)
[[ -n $rotation ]] || rotation=$(previous ANSLAG_ROTATION)
rotation=${rotation:-0}
if [[ -z $server ]]; then
  if [[ -r /dev/tty ]] && { : </dev/tty; } 2>/dev/null; then
    read -r -p "The Anslag server's address (e.g. https://skyltar.example.se): " server </dev/tty
  fi
  [[ -n $server ]] || fail "give the server's address: --server https://skyltar.example.se"
fi
server=${server%/}
[[ $server =~ ^https?://[^/[:space:]?#]+(/[^[:space:]?#]*)?$ ]] ||
  fail "--server must be an http:// or https:// address such as https://skyltar.example.se, not '$server'"
[[ $rotation =~ ^(0|90|180|270)$ ]] || fail "--rotation must be 0, 90, 180 or 270, not '$rotation'"
server_host=${server#*://}
server_host=${server_host%%/*}
server_host=${server_host%:*}

# --- Reporting what it changed -----------------------------------------------------------

changed=()
unchanged=0
report() { # changed|unchanged WHAT
  if [[ $1 == changed ]]; then
    changed+=("$2")
    echo "  changed    $2"
  else
    unchanged=$((unchanged + 1))
    echo "  unchanged  $2"
  fi
}
was_changed() { # WHAT...: whether any of them changed in this run
  local item what
  for what in "$@"; do
    for item in "${changed[@]}"; do [[ $item == "$what" ]] && return 0; done
  done
  return 1
}

# Write stdin to PATH with MODE and OWNER (user:group) when it differs from what is there.
put() {
  local path=$1 mode=$2 owner=$3 staged
  staged=$(mktemp)
  cat >"$staged"
  if [[ -f $path ]] && cmp -s "$staged" "$path" &&
    [[ $(stat -c '%a %U:%G' "$path") == "$mode $owner" ]]; then
    rm -f "$staged"
    report unchanged "$path"
    return 0
  fi
  mkdir -p "$(dirname "$path")"
  chmod "$mode" "$staged"
  chown "$owner" "$staged"
  mv -f "$staged" "$path"
  report changed "$path"
}

ensure_dir() { # PATH MODE OWNER
  if [[ -d $1 && $(stat -c '%a %U:%G' "$1") == "$2 $3" ]]; then
    report unchanged "$1/"
    return 0
  fi
  mkdir -p "$1"
  chmod "$2" "$1"
  chown "$3" "$1"
  report changed "$1/"
}

# --- Debian packages, the user -----------------------------------------------------------

echo "Debian packages"
missing=()
for package in "${PACKAGES[@]}"; do
  [[ $(dpkg-query -W -f='${Status}' "$package" 2>/dev/null) == "install ok installed" ]] ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
  report changed "packages: ${missing[*]}"
else
  report unchanged "packages: all ${#PACKAGES[@]} installed"
fi

echo "The user the player runs as"
if id anslag >/dev/null 2>&1; then
  report unchanged "user anslag"
else
  useradd --system --user-group --home-dir "$DATA/home" --no-create-home \
    --shell /usr/sbin/nologin --comment "Anslag screen" anslag
  report changed "user anslag"
fi
# The display (DRM), its GPU nodes, the HDMI-CEC device and input devices.
for group in video render input; do
  getent group "$group" >/dev/null || continue
  if id -nG anslag | tr ' ' '\n' | grep -qx "$group"; then
    report unchanged "user anslag in group $group"
  else
    usermod -a -G "$group" anslag
    report changed "user anslag in group $group"
  fi
done

# --- The data directory ------------------------------------------------------------------

echo "The data directory"
if [[ -z $data_device && -e /dev/disk/by-label/$DATA_LABEL ]]; then
  data_device=/dev/disk/by-label/$DATA_LABEL
fi
if [[ -n $data_device ]]; then
  [[ -b $data_device ]] || fail "--data-device $data_device is not a block device (a partition or a USB stick)"
  fs=$(blkid -o value -s TYPE "$data_device" || true)
  label=$(blkid -o value -s LABEL "$data_device" || true)
  if [[ -z $fs ]]; then
    mkfs.ext4 -q -L "$DATA_LABEL" "$data_device"
    report changed "file system on $data_device"
  elif [[ $fs != ext4 || $label != "$DATA_LABEL" ]]; then
    fail "$data_device holds a $fs file system labelled '${label}': not formatting it." \
      "Give a blank partition, or label an ext4 one $DATA_LABEL (e2label DEVICE $DATA_LABEL)"
  fi
  uuid=$(blkid -o value -s UUID "$data_device")
  # nofail: a card whose data partition is gone still boots, and the screen says it is unpaired.
  line="UUID=$uuid $DATA ext4 defaults,noatime,nofail,x-systemd.device-timeout=30s 0 2"
  put /etc/fstab 644 root:root < <(
    grep -v "^[^#][^[:space:]]*[[:space:]]\+${DATA}[[:space:]]" /etc/fstab || true
    echo "$line"
  )
  if ! mountpoint -q "$DATA"; then
    if [[ -d $DATA ]] && [[ -n $(ls -A "$DATA") ]]; then
      # What the root file system held there moves onto the partition, with the player,
      # which writes there, stopped meanwhile.
      if [[ -d /run/systemd/system ]] && systemctl is-active --quiet "$KIOSK"; then
        systemctl stop "$KIOSK"
      fi
      staging=$(mktemp -d)
      mount "$data_device" "$staging"
      cp -a "$DATA/." "$staging/"
      umount "$staging"
      rmdir "$staging"
    fi
    mkdir -p "$DATA"
    systemctl daemon-reload 2>/dev/null || true
    mount "$DATA"
    report changed "$DATA mounted from $data_device"
  else
    report unchanged "$DATA mounted from $data_device"
  fi
fi
ensure_dir "$DATA" 755 root:root
ensure_dir "$DATA/home" 750 anslag:anslag
ensure_dir "$DATA/player" 750 anslag:anslag
ensure_dir "$DATA/update" 755 anslag:anslag
ensure_dir "$DATA/updater" 755 root:root
ensure_dir "$DATA/releases" 755 root:root

# --- The files it manages ----------------------------------------------------------------

echo "Configuration, scripts and systemd units"
put "$ENV_FILE" 644 root:root <<EOF
# The Anslag screen's settings, written by install.sh: run it again to change them
# (e.g. install.sh --rotation 90); settings of your own go in /etc/anslag/local.env.
ANSLAG_PLAYER_SERVER_URL="$server"
ANSLAG_PLAYER_DATA_DIR="$DATA/player"
ANSLAG_PLAYER_FULLSCREEN="true"
ANSLAG_PLAYER_DISPLAY_ON_COMMAND="$LIB/display-power on"
ANSLAG_PLAYER_DISPLAY_OFF_COMMAND="$LIB/display-power off"
ANSLAG_PLAYER_UPDATE_COMMAND="$LIB/request-update"
# Degrees the picture is turned by (wlr-randr), for a portrait screen: 0, 90, 180 or 270.
ANSLAG_ROTATION="$rotation"
QT_QPA_PLATFORM="wayland"
QT_WAYLAND_DISABLE_WINDOWDECORATION="1"
EOF

put "$LIB/kiosk-session" 755 root:root <<'EOF'
#!/bin/bash
# Run by cage (anslag-kiosk.service) as its only client: turns the outputs for a portrait
# screen as ANSLAG_ROTATION says, then becomes the player. Managed by install.sh.
set -euo pipefail

transform=normal
case ${ANSLAG_ROTATION:-0} in
  0) ;;
  90 | 180 | 270) transform=$ANSLAG_ROTATION ;;
  *) echo "kiosk-session: ANSLAG_ROTATION is 0, 90, 180 or 270, not '$ANSLAG_ROTATION'" >&2 ;;
esac
if [[ $transform != normal ]]; then
  # wlr-randr starts each output's paragraph with its name: HDMI-A-1 "Samsung …".
  for output in $(wlr-randr | awk '/^[^[:space:]]/ { print $1 }'); do
    wlr-randr --output "$output" --transform "$transform" ||
      echo "kiosk-session: could not turn $output by $transform degrees" >&2
  done
fi

# systemd gave WATCHDOG_PID to cage, its main process; the player pings from its own pid,
# which NotifyAccess=all lets through, and would take the variable for a watchdog not its own.
unset WATCHDOG_PID
exec /var/lib/anslag/current/bin/anslag-player
EOF

put "$LIB/display-power" 755 root:root <<'EOF'
#!/bin/bash
# The player's display commands (ANSLAG_PLAYER_DISPLAY_ON/OFF_COMMAND) for the opening hours.
#   off: the TV to standby over HDMI-CEC; if it does not take the message, the HDMI output
#        powered off (wlopm); if that fails too, the exit status is 1 and the player shows
#        black, which it does anyway.
#   on:  the output powered on, then the TV woken over HDMI-CEC; 1 only when neither worked.
# Every step is cut short after a little over a second, so a TV that ignores CEC hangs
# nothing: the player gives the whole command five seconds. Managed by install.sh.
set -uo pipefail

device=${ANSLAG_CEC_DEVICE:-/dev/cec0}
step_s=${ANSLAG_DISPLAY_STEP_S:-1.2}

say() { echo "display-power: $*" >&2; }

# cec-ctl within the deadline; a message the TV did not acknowledge is a failure.
cec() {
  local said
  [[ -e $device ]] || return 1
  said=$(timeout --kill-after=0.2 "$step_s" cec-ctl --device "$device" "$@" 2>&1) || return 1
  ! grep -qiE 'not acknowledged|nack|time ?out|error' <<<"$said"
}

# As a playback device: a TV ignores messages from an adapter without a logical address.
cec_to_tv() { cec --playback --osd-name Anslag && cec --to 0 "$1"; }

outputs() { timeout --kill-after=0.2 "$step_s" wlopm "--$1" '*' >/dev/null 2>&1; }

case ${1:-} in
  off)
    if cec_to_tv --standby; then
      say "the TV went to standby over HDMI-CEC"
    elif outputs off; then
      say "the TV did not answer over HDMI-CEC: the HDMI output is powered off instead"
    else
      say "neither HDMI-CEC nor wlopm could turn the display off: the screen shows black"
      exit 1
    fi
    ;;
  on)
    powered=no
    outputs on && powered=yes
    if cec_to_tv --image-view-on; then
      say "the TV was woken over HDMI-CEC (HDMI output powered on: $powered)"
    elif [[ $powered == yes ]]; then
      say "the HDMI output is powered on; the TV did not answer over HDMI-CEC"
    else
      say "neither HDMI-CEC nor wlopm could turn the display on"
      exit 1
    fi
    ;;
  *)
    echo "usage: display-power on|off" >&2
    exit 2
    ;;
esac
EOF

put "$LIB/clock" 755 root:root <<'EOF'
#!/bin/bash
# The clock of a Raspberry Pi without a clock battery (Trixie has no fake-hwclock):
#   restore      at boot, set the clock forward to the last known time kept on the data
#                directory, so a Pi that boots offline does not start in the past
#   save         keep the time now (every quarter of an hour and at shutdown), never an
#                earlier time than the one kept unless NTP vouches for it
#   from-server  where NTP is blocked, take the time from the Anslag server's answers
#                (their Date header) if it is more than 10 s off
# Managed by install.sh.
set -euo pipefail

saved=${ANSLAG_CLOCK_FILE:-/var/lib/anslag/clock}
synchronised=${ANSLAG_TIMESYNC_FLAG:-/run/systemd/timesync/synchronized}

saved_time() {
  local seconds
  seconds=$(cat "$saved" 2>/dev/null) || return 1
  [[ $seconds =~ ^[0-9]+$ ]] || return 1
  echo "$seconds"
}

set_clock() { date --utc --set "@$1" >/dev/null; }

case ${1:-} in
  restore)
    if ! last=$(saved_time); then
      echo "clock: no time kept yet in $saved"
    elif ((last > $(date +%s))); then
      set_clock "$last"
      echo "clock: set forward to the last known time, $(date --utc +%FT%TZ)"
    else
      echo "clock: not behind the last known time; left as it is"
    fi
    ;;
  save)
    now=$(date +%s)
    if last=$(saved_time) && ((now < last)) && [[ ! -e $synchronised ]]; then
      echo "clock: behind the last known time and not synchronised: not kept"
      exit 0
    fi
    staged=$(mktemp "$saved.XXXXXX")
    echo "$now" >"$staged"
    sync "$staged"
    mv -f "$staged" "$saved"
    ;;
  from-server)
    if [[ -e $synchronised ]]; then
      echo "clock: synchronised by NTP"
      exit 0
    fi
    url=${ANSLAG_PLAYER_SERVER_URL:?the server is in /etc/anslag/player.env}/api/health
    answered=$(curl -fsS --max-time 15 -D - -o /dev/null "$url") ||
      { echo "clock: no answer from $url" >&2; exit 1; }
    stamp=$(tr -d '\r' <<<"$answered" | sed -n 's/^[Dd]ate: //p' | head -n 1)
    [[ -n $stamp ]] || { echo "clock: $url answered without a Date" >&2; exit 1; }
    server_time=$(date --date "$stamp" +%s)
    off=$((server_time - $(date +%s)))
    if ((off > 10 || off < -10)); then
      set_clock "$server_time"
      echo "clock: set to the server's time; it was ${off#-} s off"
    else
      echo "clock: within 10 s of the server's time"
    fi
    ;;
  *)
    echo "usage: clock restore|save|from-server" >&2
    exit 2
    ;;
esac
EOF

put "$LIB/request-update" 755 root:root <<'EOF'
#!/bin/bash
# The player's update command (ANSLAG_PLAYER_UPDATE_COMMAND), run as the player's user with
# the release the server offers: VERSION URL SHA256. It only hands the request on, to the
# root updater that anslag-update.path starts; a release that failed here before is refused.
# Managed by install.sh.
set -euo pipefail

if (($# != 3)); then
  echo "usage: request-update VERSION URL SHA256" >&2
  exit 2
fi
version=$1 url=$2 sha256=$3
if [[ ! $version =~ ^[0-9][0-9A-Za-z.+!_]*$ || ! $url =~ ^https?://[^[:space:]]+$ ||
  ! $sha256 =~ ^[0-9a-f]{64}$ ]]; then
  echo "request-update: not a player release: $*" >&2
  exit 2
fi
data=${ANSLAG_DATA:-/var/lib/anslag}
if grep -qxF "$version $sha256" "$data/updater/failed" 2>/dev/null; then
  echo "request-update: player $version did not start cleanly on this screen before; not" \
    "trying it again (sudo anslag-update forget $version allows it)" >&2
  exit 1
fi
staged=$(mktemp "$data/update/.request.XXXXXX")
printf 'version=%s\nurl=%s\nsha256=%s\n' "$version" "$url" "$sha256" >"$staged"
mv -f "$staged" "$data/update/request"
echo "player $version requested"
EOF

put "$SBIN/anslag-update" 755 root:root <<'EOF'
#!/bin/bash
# The player releases on this screen, each in its own virtual environment under
# /var/lib/anslag/releases/VERSION-HASH, the one that runs named by the symlink
# /var/lib/anslag/current: switched atomically (a rename), and switched back when the new
# one does not start cleanly. Managed by install.sh; `anslag-update` alone says how to use it.
set -euo pipefail

usage() {
  cat <<'USAGE' >&2
usage: anslag-update COMMAND
  install SOURCE [SHA256]  install a release (a wheel file or its URL); prints its name
  switch RELEASE           let the kiosk run RELEASE from its next start
  apply                    the release the player asked for (run by anslag-update.service)
  verify                   after a restart mid-update: keep the new release, or go back
  rollback                 back to the previous release, now
  forget VERSION           let a release that did not start cleanly here be tried again
  status                   what is installed, what runs, what happened
USAGE
  exit 2
}

data=${ANSLAG_DATA:-/var/lib/anslag}
releases=$data/releases
current=$data/current
previous=$data/previous
requests=$data/update
state=$data/updater
kiosk=anslag-kiosk.service
# How long a new player must keep running once it said it is ready (READY=1).
stable_s=${ANSLAG_UPDATE_STABLE_S:-30}
wheel_name='^anslag-([0-9][0-9A-Za-z.+!_]*)-py3-none-any\.whl$'

say() { echo "anslag-update: $*" >&2; }
fail() {
  say "$*"
  exit 1
}
# A line in the updater's log, which `anslag-update status` shows.
note() {
  printf '%s %s\n' "$(date --utc +%FT%TZ)" "$*" >>"$state/log"
  say "$*"
}

release_of() { # LINK: the release it names, or nothing
  local target
  target=$(readlink "$1" 2>/dev/null) || return 0
  basename "$target"
}
version_of() { echo "${1%-*}"; }

fetch() { # SOURCE DIR: the wheel, copied or downloaded into DIR; prints its path
  local source=$1 dir=$2 name
  name=${source##*/}
  name=${name%%\?*}
  [[ $name =~ $wheel_name ]] ||
    fail "$source is not a player release (a wheel named anslag-VERSION-py3-none-any.whl)"
  case $source in
    http://* | https://*)
      curl -fsSL --retry 3 --connect-timeout 20 --max-time 1800 -o "$dir/$name" "$source" ||
        fail "could not download $source"
      ;;
    *)
      [[ -f $source ]] || fail "no such file: $source"
      cp "$source" "$dir/$name"
      ;;
  esac
  echo "$dir/$name"
}

install_release() { # SOURCE [SHA256]
  local source=$1 expected=${2:-} incoming wheel version sha name dir
  incoming=$(mktemp -d "$state/incoming.XXXXXX")
  wheel=$(fetch "$source" "$incoming") || {
    rm -rf "$incoming"
    exit 1
  }
  [[ ${wheel##*/} =~ $wheel_name ]]
  version=${BASH_REMATCH[1]}
  sha=$(sha256sum "$wheel" | cut -d ' ' -f 1)
  if [[ -n $expected && $sha != "$expected" ]]; then
    rm -rf "$incoming"
    fail "$source has the sha256 $sha, not $expected as the server said: not installed"
  fi
  name=$version-${sha:0:12}
  dir=$releases/$name
  if [[ -f $dir/.complete ]]; then
    rm -rf "$incoming"
    echo "$name"
    return 0
  fi
  # A virtual environment is not relocatable: built where it stays, marked complete last.
  rm -rf "$dir"
  # It sees Debian's packages (PySide6 6.8 on the system Qt, httpx, pydantic …), hence --no-deps.
  python3 -m venv --system-site-packages "$dir"
  if ! "$dir/bin/pip" install --quiet --disable-pip-version-check --no-index --no-deps \
    "$wheel" >&2; then
    rm -rf "$dir" "$incoming"
    fail "pip could not install ${wheel##*/}"
  fi
  # Its code runs as the player's user, never as root: can it load its Qt scene's modules?
  if ! runuser -u anslag -- "$dir/bin/python" -c 'import player.main, player.ui.app' >&2; then
    rm -rf "$dir" "$incoming"
    fail "player $version does not load here (see above): not installed"
  fi
  mv "$wheel" "$dir/"
  echo "$sha" >"$dir/.complete"
  sync "$dir/.complete"
  rm -rf "$incoming"
  echo "$name"
}

point() { # LINK RELEASE: atomically, by renaming a new link over the old one
  ln -sfn "releases/$2" "$data/.link.new"
  mv -T "$data/.link.new" "$1"
  sync "$data"
}

switch_to() { # RELEASE: prints "switched" or "unchanged"
  local name=$1 running
  [[ -f $releases/$name/.complete ]] || fail "no installed release $name"
  running=$(release_of "$current")
  if [[ $running == "$name" ]]; then
    echo unchanged
    return 0
  fi
  [[ -z $running ]] || point "$previous" "$running"
  point "$current" "$name"
  echo switched
}

# Whether the kiosk runs cleanly: ready (READY=1 within its TimeoutStartSec) and still
# running, not restarted, $stable_s seconds later.
kiosk_runs_cleanly() {
  local restarts
  restarts=$(systemctl show -P NRestarts "$kiosk")
  sleep "$stable_s"
  [[ $(systemctl show -P ActiveState "$kiosk") == active ]] &&
    [[ $(systemctl show -P NRestarts "$kiosk") == "$restarts" ]]
}

go_back() { # FAILED BEFORE
  local failed=$1 before=$2
  echo "$(version_of "$failed") $(cat "$releases/$failed/.complete")" >>"$state/failed"
  if [[ -n $before && -f $releases/$before/.complete ]]; then
    point "$current" "$before"
  fi
  rm -f "$state/pending"
  note "player $failed did not start cleanly: back to ${before:-nothing}"
  systemctl restart "$kiosk" || note "the previous player does not start either: journalctl -u $kiosk"
  return 1
}

switch_and_check() { # RELEASE
  local name=$1 before
  before=$(release_of "$current")
  [[ $(switch_to "$name") == switched ]] || {
    say "already running $name"
    return 0
  }
  # A restart or a power cut before the check ends is checked again at boot (verify).
  echo "$name $before" >"$state/pending"
  sync "$state/pending"
  note "switched from ${before:-nothing} to $name; checking that it starts"
  if systemctl restart "$kiosk" && kiosk_runs_cleanly; then
    rm -f "$state/pending"
    note "player $name runs"
    prune
    return 0
  fi
  go_back "$name" "$before"
}

prune() { # every release but the current and the previous one
  local dir keep
  keep=" $(release_of "$current") $(release_of "$previous") "
  for dir in "$releases"/*/; do
    dir=${dir%/}
    [[ -d $dir && $keep != *" ${dir##*/} "* ]] || continue
    rm -rf "$dir"
  done
}

apply_request() {
  local taken version url sha running
  [[ -f $requests/request ]] || return 0
  taken=$state/request
  mv -f "$requests/request" "$taken"
  version=$(sed -n 's/^version=//p' "$taken")
  url=$(sed -n 's/^url=//p' "$taken")
  sha=$(sed -n 's/^sha256=//p' "$taken")
  rm -f "$taken"
  [[ $version =~ ^[0-9][0-9A-Za-z.+!_]*$ && $sha =~ ^[0-9a-f]{64}$ ]] ||
    fail "not a player release: version '$version', sha256 '$sha'"
  # From this screen's own server only: the player's user cannot choose what root installs.
  local server=${ANSLAG_PLAYER_SERVER_URL:?the server is in /etc/anslag/player.env}
  [[ $url == "$server"/* ]] || fail "refused $url: it is not on this screen's server, $server"
  if grep -qxF "$version $sha" "$state/failed" 2>/dev/null; then
    note "player $version did not start cleanly here before: not tried again"
    return 0
  fi
  running=$(release_of "$current")
  if [[ $running == "$version-${sha:0:12}" ]]; then
    say "already running $running"
    return 0
  fi
  note "installing player $version from $url"
  local name
  name=$(install_release "$url" "$sha")
  switch_and_check "$name"
}

verify_pending() {
  local name before
  [[ -f $state/pending ]] || return 0
  read -r name before <"$state/pending" || true
  if [[ $(release_of "$current") != "$name" ]]; then
    rm -f "$state/pending"
    return 0
  fi
  # Ordered after the kiosk: its start has succeeded (READY=1) or failed by now.
  if kiosk_runs_cleanly; then
    rm -f "$state/pending"
    note "player $name runs"
    prune
    return 0
  fi
  go_back "$name" "${before:-}"
}

status() {
  echo "running:  $(release_of "$current")"
  echo "previous: $(release_of "$previous")"
  echo "installed:"
  local dir
  for dir in "$releases"/*/; do
    [[ -f $dir/.complete ]] && echo "  ${dir%/}"
  done
  if [[ -s $state/failed ]]; then
    echo "did not start cleanly here (version sha256):"
    sed 's/^/  /' "$state/failed"
  fi
  if [[ -f $state/log ]]; then
    echo "last events:"
    tail -n 10 "$state/log" | sed 's/^/  /'
  fi
}

mkdir -p "$releases" "$state"
# One at a time: the installer, the path unit and someone at the console.
exec 9>"$state/lock"
flock -w 1800 9 || fail "another anslag-update has been running for half an hour"

case ${1:-} in
  install) install_release "${2:?usage: anslag-update install SOURCE [SHA256]}" "${3:-}" ;;
  switch) switch_to "${2:?usage: anslag-update switch RELEASE}" ;;
  apply) apply_request ;;
  verify) verify_pending ;;
  rollback)
    back=$(release_of "$previous")
    [[ -n $back ]] || fail "there is no previous release to go back to"
    now=$(release_of "$current")
    point "$current" "$back"
    point "$previous" "$now"
    note "rolled back by hand from $now to $back"
    systemctl restart "$kiosk"
    ;;
  forget)
    version=${2:?usage: anslag-update forget VERSION}
    if [[ -f $state/failed ]]; then
      grep -v "^$version " "$state/failed" >"$state/failed.new" || true
      mv -f "$state/failed.new" "$state/failed"
    fi
    say "player $version may be tried again"
    ;;
  status) status ;;
  *) usage ;;
esac
EOF

put "$SBIN/anslag-shop-mode" 755 root:root <<'EOF'
#!/bin/bash
# Shop mode: the root file system read-only, its changes kept in RAM and gone at the next
# start (overlayroot), while the data directory, on its own partition, is still written to
# (recurse=0): a screen pulled from the wall socket always starts as it was installed.
#   sudo anslag-shop-mode on|off|status      (on and off take effect at the next start)
# Managed by install.sh.
set -euo pipefail

cmdline=${ANSLAG_CMDLINE:-/boot/firmware/cmdline.txt}
data=/var/lib/anslag
option=overlayroot=tmpfs:recurse=0

fail() {
  echo "anslag-shop-mode: $*" >&2
  exit 1
}
configured() { grep -qE '(^| )overlayroot=' "$cmdline"; }
in_ram() { [[ $(findmnt -n -o FSTYPE /) == overlay ]]; }

[[ -f $cmdline ]] || fail "there is no $cmdline: is this Raspberry Pi OS on a Raspberry Pi?"
case ${1:-status} in
  on)
    mountpoint -q "$data" ||
      fail "$data is on the root file system, so shop mode would lose the pairing and the" \
        "content at every start: give it a partition of its own first (see the README)"
    if [[ $(dpkg-query -W -f='${Status}' overlayroot 2>/dev/null) != "install ok installed" ]]; then
      apt-get install -y -q --no-install-recommends overlayroot
    fi
    configured || sed -i "1 s|\$| $option|" "$cmdline"
    echo "Shop mode is on from the next start (sudo reboot)."
    ;;
  off)
    # With recurse=0 the boot partition is not in RAM: this change is kept.
    sed -i -E '1 s/ ?overlayroot=[^ ]*//g' "$cmdline"
    echo "Shop mode is off from the next start (sudo reboot)."
    ;;
  status)
    if in_ram; then echo "Shop mode is on now."; else echo "Shop mode is off now."; fi
    if configured; then echo "After the next start: on."; else echo "After the next start: off."; fi
    ;;
  *)
    echo "usage: anslag-shop-mode on|off|status" >&2
    exit 2
    ;;
esac
EOF

put "$UNITS/$KIOSK" 644 root:root <<'EOF'
# Managed by install.sh.
[Unit]
Description=Anslag screen: the player, the only window of the cage kiosk on tty1
After=systemd-user-sessions.service plymouth-quit-wait.service getty@tty1.service
After=anslag-clock.service seatd.service
Wants=seatd.service
Conflicts=getty@tty1.service
RequiresMountsFor=/var/lib/anslag
# A screen that keeps crashing restarts the whole Pi: six failed starts within ten minutes.
StartLimitIntervalSec=10min
StartLimitBurst=6
StartLimitAction=reboot

[Service]
# READY=1 once the first frame is up; WATCHDOG=1 from the player's GUI thread. Every process
# stays in this unit's cgroup, so systemd takes both from the player, cage's child: hence
# seatd rather than a logind session (PAMName=), which would move them to a session scope.
Type=notify
NotifyAccess=all
WatchdogSec=60s
TimeoutStartSec=120s
Restart=always
RestartSec=5s
User=anslag
# The display and input devices through seatd (group video); Wayland's socket in here.
Environment=LIBSEAT_BACKEND=seatd XDG_RUNTIME_DIR=/run/anslag-kiosk
RuntimeDirectory=anslag-kiosk
RuntimeDirectoryMode=0700
TTYPath=/dev/tty1
TTYReset=yes
TTYVHangup=yes
TTYVTDisallocate=yes
StandardInput=tty-fail
StandardOutput=journal
StandardError=journal
EnvironmentFile=/etc/anslag/player.env
EnvironmentFile=-/etc/anslag/local.env
ExecStart=/usr/bin/cage -d -- /usr/local/lib/anslag/kiosk-session

[Install]
WantedBy=multi-user.target
EOF

put "$UNITS/anslag-clock.service" 644 root:root <<'EOF'
# Managed by install.sh.
[Unit]
Description=Anslag: the last known time, restored at boot and kept at shutdown
DefaultDependencies=no
RequiresMountsFor=/var/lib/anslag
After=local-fs.target
Before=sysinit.target time-set.target systemd-timesyncd.service shutdown.target
Wants=time-set.target
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/lib/anslag/clock restore
ExecStop=/usr/local/lib/anslag/clock save

[Install]
WantedBy=sysinit.target
EOF

put "$UNITS/anslag-clock-save.service" 644 root:root <<'EOF'
# Managed by install.sh.
[Unit]
Description=Anslag: keep the time now, for a boot without network
RequiresMountsFor=/var/lib/anslag

[Service]
Type=oneshot
ExecStart=/usr/local/lib/anslag/clock save
EOF

put "$UNITS/anslag-clock-save.timer" 644 root:root <<'EOF'
# Managed by install.sh.
[Unit]
Description=Anslag: keep the time every quarter of an hour

[Timer]
OnBootSec=5min
OnUnitActiveSec=15min
AccuracySec=1min

[Install]
WantedBy=timers.target
EOF

put "$UNITS/anslag-clock-server.service" 644 root:root <<'EOF'
# Managed by install.sh.
[Unit]
Description=Anslag: the server's time, where NTP is blocked
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
EnvironmentFile=/etc/anslag/player.env
ExecStart=/usr/local/lib/anslag/clock from-server
EOF

put "$UNITS/anslag-clock-server.timer" 644 root:root <<'EOF'
# Managed by install.sh.
[Unit]
Description=Anslag: compare the clock with the server's every hour while NTP is not reached

[Timer]
OnBootSec=2min
OnUnitActiveSec=1h

[Install]
WantedBy=timers.target
EOF

put "$UNITS/anslag-update.path" 644 root:root <<'EOF'
# Managed by install.sh.
[Unit]
Description=Anslag: a player update the player asked for

[Path]
PathExists=/var/lib/anslag/update/request

[Install]
WantedBy=paths.target
EOF

put "$UNITS/anslag-update.service" 644 root:root <<'EOF'
# Managed by install.sh.
[Unit]
Description=Anslag: install the player release asked for beside the current one, switch to it, or back
RequiresMountsFor=/var/lib/anslag
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
EnvironmentFile=/etc/anslag/player.env
EnvironmentFile=-/etc/anslag/local.env
ExecStart=/usr/local/sbin/anslag-update apply
TimeoutStartSec=30min
EOF

put "$UNITS/anslag-update-check.service" 644 root:root <<'EOF'
# Managed by install.sh.
[Unit]
Description=Anslag: keep the player switched to before a restart, or go back to the previous one
After=anslag-kiosk.service
ConditionPathExists=/var/lib/anslag/updater/pending

[Service]
Type=oneshot
EnvironmentFile=-/etc/anslag/local.env
ExecStart=/usr/local/sbin/anslag-update verify
TimeoutStartSec=10min

[Install]
WantedBy=multi-user.target
EOF

put /etc/systemd/system.conf.d/anslag-watchdog.conf 644 root:root <<'EOF'
# Managed by install.sh. The Pi's hardware watchdog (bcm2835, at most about 15 s) restarts a
# Pi whose systemd stops answering; from the next start.
[Manager]
RuntimeWatchdogSec=15s
RebootWatchdogSec=2min
EOF

put /etc/systemd/timesyncd.conf.d/anslag.conf 644 root:root <<EOF
# Managed by install.sh. Debian's NTP pool first, then the Anslag server's host, for networks
# that block public NTP: it answers if it runs an NTP server (chrony with an "allow" line).
# Where neither answers, anslag-clock-server.timer takes the time from the server over HTTP.
[Time]
FallbackNTP=0.debian.pool.ntp.org 1.debian.pool.ntp.org 2.debian.pool.ntp.org 3.debian.pool.ntp.org $server_host
EOF

# The kernel's command line: no console blanking, no blinking cursor before the kiosk starts.
if [[ -f $CMDLINE ]]; then
  line=$(head -n 1 "$CMDLINE")
  for option in consoleblank=0 vt.global_cursor_default=0; do
    [[ " $line " == *" $option "* ]] || line="$line $option"
  done
  put "$CMDLINE" "$(stat -c %a "$CMDLINE")" "$(stat -c %U:%G "$CMDLINE")" <<<"$line"
else
  say "no $CMDLINE (not Raspberry Pi OS?): console blanking and cursor left as they are"
fi

# --- The player release ------------------------------------------------------------------

echo "The player"
# Once a release runs, the admin's player updates choose the next one, not a run of the
# installer to change an option: --player installs another.
running_release=$(basename "$(readlink "$DATA/current" 2>/dev/null || true)")
if [[ -z $player && -n $running_release && -f $DATA/releases/$running_release/.complete ]]; then
  release=$running_release
  report unchanged "player release $release"
else
  sha256=""
  if [[ -z $player ]]; then
    listing=$(curl -fsS --max-time 30 "$server/api/device/v1/player-releases") ||
      fail "cannot reach $server to fetch the player: check the address and the network"
    newest=$(python3 -c '
import json, sys
releases = json.load(sys.stdin)
if releases:
    print(releases[0]["path"], releases[0]["sha256"])
' <<<"$listing")
    [[ -n $newest ]] || fail "$server offers no player release yet: put what 'make release'" \
      "builds into its player-releases folder (see the README), or give --player WHEEL"
    player=$server${newest% *}
    sha256=${newest#* }
  fi
  release=$("$SBIN/anslag-update" install "$player" "$sha256")
  if [[ $("$SBIN/anslag-update" switch "$release") == switched ]]; then
    report changed "player release $release"
  else
    report unchanged "player release $release"
  fi
fi

# --- systemd -----------------------------------------------------------------------------

echo "systemd"
enable_unit() { # UNIT
  if systemctl is-enabled --quiet "$1" 2>/dev/null; then
    report unchanged "$1 enabled"
  else
    systemctl enable --quiet "$1"
    report changed "$1 enabled"
  fi
}
running_systemd=no
[[ -d /run/systemd/system ]] && running_systemd=yes
unit_files=("$UNITS"/anslag-*)
if [[ $running_systemd == yes ]] && was_changed "${unit_files[@]}" /etc/fstab; then
  systemctl daemon-reload
fi
# The kiosk owns tty1: no login prompt there.
if [[ $(systemctl is-enabled getty@tty1.service 2>/dev/null) == masked ]]; then
  report unchanged "getty@tty1.service masked"
else
  systemctl mask --quiet getty@tty1.service
  report changed "getty@tty1.service masked"
fi
for unit in "$KIOSK" anslag-clock.service anslag-clock-save.timer anslag-clock-server.timer \
  anslag-update.path anslag-update-check.service; do
  enable_unit "$unit"
done

if [[ $running_systemd == yes ]]; then
  for unit in anslag-clock.service anslag-clock-save.timer anslag-clock-server.timer \
    anslag-update.path; do
    systemctl start "$unit"
  done
  if was_changed /etc/systemd/timesyncd.conf.d/anslag.conf; then
    systemctl try-restart systemd-timesyncd.service
  fi
  # It watches the request's folder: the one on the new file system now.
  if [[ -n $data_device ]] && was_changed "$DATA mounted from $data_device"; then
    systemctl restart anslag-update.path
  fi
fi

# --- Start ---------------------------------------------------------------------------------

kiosk_inputs=("$ENV_FILE" "$LIB/kiosk-session" "$UNITS/$KIOSK" "player release $release")
if [[ $start == no ]]; then
  say "not starting the kiosk (--no-start)"
elif [[ $running_systemd == no ]]; then
  say "systemd is not running here: the kiosk starts at the next boot"
elif ! systemctl is-active --quiet "$KIOSK" || was_changed "${kiosk_inputs[@]}"; then
  echo "Starting the screen (it says it is ready once its first frame is up)"
  systemctl reset-failed "$KIOSK" 2>/dev/null || true
  systemctl restart "$KIOSK" || {
    journalctl -u "$KIOSK" -n 30 --no-pager >&2 || true
    fail "the kiosk did not start: the lines above say why"
  }
fi

echo
if ((${#changed[@]} == 0)); then
  say "nothing changed ($unchanged things checked)"
else
  say "${#changed[@]} changed, $unchanged unchanged"
  if was_changed "$CMDLINE" /etc/systemd/system.conf.d/anslag-watchdog.conf; then
    say "restart the Pi once (sudo reboot) for the console settings and the hardware watchdog"
  fi
fi
# An unpaired screen asks the server for its code just after its first frame: a moment.
pairing_code() {
  python3 -c '
import json, sys
try:
    with open(sys.argv[1]) as pending:
        print(json.load(pending).get("code") or "")
except (OSError, ValueError):
    pass
' "$DATA/player/pairing.json"
}
if [[ ! -f $DATA/player/device-token ]] && systemctl is-active --quiet "$KIOSK" 2>/dev/null; then
  for _ in {1..30}; do
    code=$(pairing_code)
    [[ -z $code ]] || break
    sleep 1
  done
  if [[ -n $code ]]; then
    say "the screen shows the pairing code $code: type it into the admin at $server/admin/" \
      "(Skärmar, Koppla skärm)"
  fi
fi
exit 0
}
