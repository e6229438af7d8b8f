#!/usr/bin/env bash
# `cmake --install` puts the binary, library, dashboards, man page, completion
# and licence where the .deb promises, and the installed binary runs a
# library drill: usage: install_layout_test.sh BUILD_DIR
set -eu
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
DESTDIR=$dest cmake --install "$1" --prefix /usr >/dev/null
fail=0
for f in usr/bin/calldrill \
         usr/share/calldrill/scenarios/chaos-peak.yaml \
         usr/share/calldrill/scenarios/default-drill.yaml \
         usr/share/calldrill/grafana/dashboards/calldrill-failover.json \
         usr/share/calldrill/grafana/provisioning/datasources/calldrill.yaml \
         usr/share/calldrill/grafana/prometheus.yml \
         usr/share/man/man1/calldrill.1 \
         usr/share/bash-completion/completions/calldrill \
         usr/share/doc/calldrill/copyright; do
  [ -e "$dest/$f" ] || { echo "FAIL: /$f not installed"; fail=1; }
done
if ! "$dest/usr/bin/calldrill" run failover-failback --seed 1 -q --metrics-port 0 \
     | grep -q "verdict: PASS"; then
  echo "FAIL: the installed calldrill did not pass a library drill"; fail=1
fi
if command -v groff >/dev/null; then
  warnings=$(groff -man -ww -z "$dest/usr/share/man/man1/calldrill.1" 2>&1)
  [ -z "$warnings" ] || { echo "FAIL: the man page has warnings: $warnings"; fail=1; }
fi
[ $fail -eq 0 ] && echo "install layout: ok"
exit $fail
