#!/usr/bin/env bash
# Validates the manifests offline with kubeconform against the schemas kept in schemas/ (generated from the
# Kubernetes API types, see schemas/generate), and checks that a known-bad manifest is refused.
set -euo pipefail
cd "$(dirname "$0")"
kubeconform=${KUBECONFORM:-kubeconform}
run() {
  "$kubeconform" -strict -summary -skip Kustomization \
    -schema-location 'schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json' \
    -schema-location 'schemas/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json' "$@"
}
run ./*.yaml keda/*.yaml
if run schemas/must-fail/*.yaml >/dev/null 2>&1; then
  echo "schemas/must-fail was accepted: the schemas are not strict" >&2
  exit 1
fi
echo "schemas/must-fail refused, as it must be"
