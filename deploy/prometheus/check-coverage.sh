#!/usr/bin/env bash
# Keeps the rules, their tests and the runbook in step (run by ctest as
# deploy_prometheus_coverage):
#  - every alert has a promtool test where it fires and one where it does not;
#  - every recording rule is the expr of some promql_expr_test;
#  - every alert's runbook_url is the runbook base (the external label
#    runbook_base, else the installed runbook) followed by
#    #<alert name in lower case>, and docs/runbook.md has a "## <AlertName>"
#    section for it.
# Usage: check-coverage.sh RULES_DIR TESTS_DIR RUNBOOK_MD
set -euo pipefail

rules_dir=${1:?usage: $0 RULES_DIR TESTS_DIR RUNBOOK_MD}
tests_dir=${2:?}
runbook=${3:?}
failures=0
runbook_base='{{ or $externalLabels.runbook_base "file:///usr/share/doc/atmwatch/runbook.md" }}'
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

mapfile -t alerts < <(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "$rules_dir"/*.yml)
mapfile -t records < <(sed -n 's/^ *- record: *\([A-Za-z0-9_:]*\).*/\1/p' "$rules_dir"/*.yml)
((${#alerts[@]})) || fail "no alerts found in $rules_dir"
((${#records[@]})) || fail "no recording rules found in $rules_dir"

# "NAME firing" / "NAME quiet" for each alert_rule_test case.
cases=$(awk '
  /^ *(- )?alertname:/ { sub(/^ *(- )?alertname: */, ""); name = $0; next }
  /^ *exp_alerts: *\[\] *$/ { if (name != "") print name, "quiet"; name = ""; next }
  /^ *exp_alerts: *$/ { if (name != "") print name, "firing"; name = ""; next }
' "$tests_dir"/*.yml | sort -u)
exprs=$(sed -n 's/^ *- expr: *\([A-Za-z0-9_:]*\) *$/\1/p' "$tests_dir"/*.yml | sort -u)

for a in "${alerts[@]}"; do
  grep -qx "$a firing" <<<"$cases" || fail "$a: no test where it fires"
  grep -qx "$a quiet" <<<"$cases" || fail "$a: no test where it does not fire"
  anchor=$(tr '[:upper:]' '[:lower:]' <<<"$a")
  grep -qF "runbook_url: '$runbook_base#$anchor'" "$rules_dir"/*.yml ||
    fail "$a: runbook_url is not '$runbook_base#$anchor'"
  grep -qx "## $a" "$runbook" || fail "$a: no '## $a' section in $runbook"
done
for r in "${records[@]}"; do
  grep -qx "$r" <<<"$exprs" || fail "$r: no promql_expr_test evaluates it"
done

if ((failures)); then exit 1; fi
echo "ok: ${#alerts[@]} alerts fire and stay quiet in tests and have a runbook section;" \
  "${#records[@]} recording rules are tested"
