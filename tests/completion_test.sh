#!/usr/bin/env bash
# bash completion completes subcommands, options, defects and library drills
# from the built calldrill: usage: completion_test.sh CALLDRILL COMPLETION
set -u
bin=$1
. "$2"
fail=0
complete_line() { # words...: prints the completions of the last word
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _calldrill
  printf '%s\n' "${COMPREPLY[@]}"
}
expect() { # description, completions, expected word
  if ! grep -qx -- "$3" <<<"$2"; then
    echo "FAIL: $1: '$3' not among: $(tr '\n' ' ' <<<"$2")"
    fail=1
  fi
}
expect subcommand "$(complete_line "$bin" li)" list
expect subcommand "$(complete_line "$bin" ch)" check
expect option "$(complete_line "$bin" run --wor)" --workers
expect option "$(complete_line "$bin" run --metrics-p)" --metrics-port
expect defect "$(complete_line "$bin" run --defect pickup)" pickup-in-resiliency
expect drill "$(complete_line "$bin" run forgot)" forgot-redirect
expect workload "$(complete_line "$bin" bench -w sto)" storm
expect clock "$(complete_line "$bin" run --clock re)" realtime
expect partition "$(complete_line "$bin" run --partition pa)" pairs
[ -z "$(complete_line "$bin" run --wor | grep -v -- '^--wor')" ] \
  || { echo "FAIL: completions that do not start with the word"; fail=1; }
[ $fail -eq 0 ] && echo "completion: ok"
exit $fail
