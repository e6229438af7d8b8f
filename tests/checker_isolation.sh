#!/usr/bin/env bash
# The checker shares no rule code with the model: none of the archives it
# links defines or calls the model's rules, the pickup queues or the actor
# framework, and none of its sources includes them.
# Usage: checker_isolation.sh SOURCE_DIR ARCHIVE...
set -u
src=$1; shift
rules='calldrill::world::|calldrill::check_pickup|calldrill::entry_refusal|calldrill::answerable|calldrill::pickup_queues|calldrill::column_of\(|calldrill::expand_chaos|calldrill::observations|caf::'
bad=0
for a in "$@"; do
  hits=$(nm -C "$a" 2>/dev/null | grep -E "$rules" | head -5)
  if [ -n "$hits" ]; then
    echo "checker_isolation: $(basename "$a") references rule code:"
    echo "$hits"
    bad=1
  fi
done
includes=$(grep -nE '#include "(model/(world|pickup_rules|pickup_queue|chaos|observations|snapshot|run_result)\.hpp|actors/|oracle/)' \
  "$src"/checker/* "$src"/history/* 2>/dev/null)
if [ -n "$includes" ]; then
  echo "checker_isolation: the checker or the history format includes rule code:"
  echo "$includes"
  bad=1
fi
[ $bad -eq 0 ] && echo "checker_isolation: $# archives, no rule code"
exit $bad
