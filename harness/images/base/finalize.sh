#!/bin/sh
# Runs inside the debootstrapped root filesystem (chroot) before it is imported as the base image.
# Arguments: user name, uid, work directory.
set -eu
user=$1 uid=$2 workdir=$3

groupadd --gid "$uid" "$user"
useradd --uid "$uid" --gid "$uid" --create-home --shell /bin/bash "$user"
mkdir -p "$workdir"
chown "$user:$user" "$workdir"

# Agents run git as a user that may differ from the repository's owner (root in official images).
git config --system safe.directory '*'
git config --system user.name hotmess
git config --system user.email hotmess@localhost
git config --system init.defaultBranch main
git config --system advice.detachedHead false

# `python` as well as `python3`, as agents expect.
ln -sf /usr/bin/python3 /usr/local/bin/python

# What the image never needs again: package caches, docs, man pages.
apt-get clean
rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /var/log/*.log /tmp/* 2>/dev/null || true
