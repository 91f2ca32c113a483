#!/usr/bin/env bash
# What the workbook needs on Debian besides Node 20, in one place: the container's image runs it
# (Dockerfile), and CI runs it on its own Debian machine (.ci/run), so its steps are tested even
# where no image is built. Idempotent: what is already there is left as it is.
#   python3            the course's own programs (npm run lesson -- N --python, npm run watch)
#   chromium           the projector page's tests drive it (playwright-core never downloads one)
#   bubblewrap         the grading sandbox (npm run check)
#   tmux, procps       the terminal tests (tmux), ps for the lessons that list processes
#   iproute2           ss, which lessons 16 and 17 show
set -euo pipefail
packages=(python3 chromium bubblewrap tmux procps iproute2)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "procbook set-up: ${packages[*]} present"
