#!/usr/bin/env bash
# Installs the deployment checks' command-line tools from Debian's packages into .keel/tools/bin
# (git-ignored), beside the system's own and never over them:
#   promtool (package prometheus)       checks deploy/prometheus's configuration and rules;
#   kubectl  (package kubernetes-client) renders deploy/k8s's overlays with its built-in kustomize.
# Needs apt's package lists (`apt-get update` as root, done here when a download fails as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
destination=.keel/tools/bin
packages=(prometheus kubernetes-client)
if [[ -x "$destination/promtool" && -x "$destination/kubectl" ]]; then
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
download() { (cd "$work" && apt-get -o APT::Sandbox::User=root download -q "${packages[@]}"); }
if ! download; then
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "apt-get download ${packages[*]} failed: run 'apt-get update' as root, then this script again" >&2
    exit 1
  fi
  apt-get update -q >/dev/null
  download
fi
for package in "$work"/*.deb; do
  dpkg-deb -x "$package" "$work/root"
done
mkdir -p "$destination"
cp "$work/root/usr/bin/promtool" "$work/root/usr/bin/kubectl" "$destination/"
"$destination/promtool" --version 2>&1 | head -1
"$destination/kubectl" version --client --short 2>/dev/null || "$destination/kubectl" version --client | head -1
