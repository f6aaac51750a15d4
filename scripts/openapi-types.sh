#!/usr/bin/env bash
# TypeScript types of the OpenAPI documents (schemas/openapi/*.json) by openapi-typescript,
# into tests/types/generated/ (git-ignored), for tests/types/openapi-contract.ts: the
# declarations in types/ must equal them. Run by `npm run test:types`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p tests/types/generated
for doc in puffle saber; do
  node_modules/.bin/openapi-typescript "schemas/openapi/$doc.json" --default-non-nullable=false --empty-objects-unknown \
    -o "tests/types/generated/$doc.d.ts"
done
