#!/usr/bin/env bash
# Mints a DEV-ONLY RS256 token signed with dev/keys/dev-private.pem (never trusted outside local runs).
# Usage: dev/token.sh [--sub alice] [--org org-1] [--groups realtime-publisher,realtime-admin]
#                     [--props p1,p2] [--ttl 3600] [--issuer https://realtime.local] [--key FILE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sub=dev-user org="" groups="" props="" ttl=3600 issuer=https://realtime.local key="$here/keys/dev-private.pem"
while [ $# -gt 0 ]; do
    case "$1" in
        --sub) sub="$2"; shift 2 ;;
        --org) org="$2"; shift 2 ;;
        --groups) groups="$2"; shift 2 ;;
        --props) props="$2"; shift 2 ;;
        --ttl) ttl="$2"; shift 2 ;;
        --issuer) issuer="$2"; shift 2 ;;
        --key) key="$2"; shift 2 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
json_list() { # a,b -> ["a","b"]
    local IFS=, out="" item
    for item in $1; do out="$out${out:+,}\"$item\""; done
    printf '[%s]' "$out"
}
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
claims="{\"iss\":\"$issuer\",\"sub\":\"$sub\",\"iat\":$now,\"exp\":$((now + ttl)),\"groups\":$(json_list "$groups")"
[ -n "$org" ] && claims="$claims,\"orgId\":\"$org\""
[ -n "$props" ] && claims="$claims,\"propertyIds\":$(json_list "$props")"
claims="$claims}"
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '%s' "$claims" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
