#!/usr/bin/env bash
# Smoke test of a Keel started by `docker compose up -d`: creates a merchant's API key inside the
# payment container, sends one card payment for two sellers through the published API and waits
# until it is `completed` (charged by psp-sim, credited by wallet, posted by ledger). Exits 0 then,
# 1 on a terminal failure or after KEEL_SMOKE_TIMEOUT_S (90). Needs docker compose, curl and grep.
# Not run by CI: the machines that run Keel's tests have no Docker engine (docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
api="${KEEL_API_URL:-http://127.0.0.1:3001}"
deadline=$((SECONDS + ${KEEL_SMOKE_TIMEOUT_S:-90}))

until curl -fsS -o /dev/null "$api/health/ready"; do
  if ((SECONDS > deadline)); then
    echo "smoke: $api/health/ready never answered 200" >&2
    exit 1
  fi
  sleep 2
done

key="$(docker compose exec -T payment node dist/tools/keys/src/main.js create --merchant merchant_smoke 2>/dev/null)"
checkout="smoke-$(date +%s)-$RANDOM"
created="$(curl -fsS -X POST "$api/v1/payments" \
  -H 'content-type: application/json' -H "authorization: Bearer $key" -H "idempotency-key: $checkout" \
  -d '{"checkoutId":"'"$checkout"'","currency":"KRW","buyer":{"id":"buyer_smoke","country":"KR"},
       "paymentMethod":{"type":"card","token":"tok_approve","issuer":"shinhan"},
       "orders":[{"sellerId":"seller_a","amount":12000},{"sellerId":"seller_b","amount":3500}]}')"
payment_id="$(grep -o '"id":"[^"]*"' <<<"$created" | head -1 | cut -d'"' -f4)"
echo "smoke: payment $payment_id accepted"

while true; do
  status="$(curl -fsS "$api/v1/payments/$payment_id" -H "authorization: Bearer $key" |
    grep -o '"status":"[^"]*"' | head -1 | cut -d'"' -f4)"
  case "$status" in
    completed)
      echo "smoke: payment $payment_id completed"
      exit 0
      ;;
    failed | partially_failed)
      echo "smoke: payment $payment_id ended $status" >&2
      exit 1
      ;;
  esac
  if ((SECONDS > deadline)); then
    echo "smoke: payment $payment_id still $status after ${KEEL_SMOKE_TIMEOUT_S:-90} s" >&2
    exit 1
  fi
  sleep 1
done
