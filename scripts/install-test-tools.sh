#!/usr/bin/env bash
# Installs the tools that the deploy-checks tests use beyond Java and Maven:
#   prometheus, promtool -> the Debian package prometheus (the tests skip their Prometheus part
#                           with a message when the binaries are absent)
# Running it again changes nothing.
set -euo pipefail

sudo=""
if [[ "$(id -u)" != 0 ]]; then
  sudo=sudo
fi

install_prometheus() {
  if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
    echo "Prometheus: $(command -v prometheus) (already present)"
    return
  fi
  echo "Installing Debian package prometheus"
  # --no-install-recommends keeps the node exporter and the service start-up out.
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q --no-install-recommends prometheus >/dev/null \
    || { $sudo apt-get update -q >/dev/null \
      && $sudo apt-get install -y -q --no-install-recommends prometheus >/dev/null; }
  echo "Prometheus: $(command -v prometheus)"
}

install_prometheus
