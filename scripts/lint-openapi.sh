#!/usr/bin/env bash
# Lints the OpenAPI documents (schemas/openapi/*.json) with Redocly CLI, rules in
# redocly.yaml: every recommended rule is an error, and media-type examples are checked
# against their schemas (request examples against the referenced request schemas).
# Exit status non-zero on any problem. Offline: telemetry and the update check are off.
set -euo pipefail
cd "$(dirname "$0")/.."
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
node_modules/.bin/redocly lint --config redocly.yaml schemas/openapi/*.json
