#!/bin/sh
# The one entry point of the Samspill image (Containerfile), the compose file and the
# Kubernetes manifests; the tests run it as it is (samspill/core/tests/test_deploy.py).
#
#   entrypoint.sh web        wait until the database is migrated, then `samspill serve`
#   entrypoint.sh worker     `samspill db_worker` (background tasks; several may run)
#   entrypoint.sh scheduler  `samspill scheduler` (the daily jobs)
#   entrypoint.sh migrate    `samspill migrate` (once per release, before the new web)
#   entrypoint.sh CMD ...    any other command, for example `samspill check --deploy`
#
# Extra arguments go to the command: `entrypoint.sh web --workers 4`.
set -eu

# Seconds `web` waits for the migrations of its release (MIGRATION_WAIT=0: do not wait).
MIGRATION_WAIT="${MIGRATION_WAIT:-300}"

role="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$role" in
  web)
    # A new release's web starts while its migration Job may still run: it waits instead of
    # serving a schema it does not know (/readyz would say 503 meanwhile anyway).
    waited=0
    until samspill migrate --check --no-input >/dev/null 2>&1; do
      if [ "$waited" -ge "$MIGRATION_WAIT" ]; then
        echo "entrypoint: the database is unreachable or has migrations not applied after" \
          "${MIGRATION_WAIT}s; run \`entrypoint.sh migrate\` (samspill migrate) first." >&2
        samspill migrate --check --no-input >&2 || true
        exit 1
      fi
      echo "entrypoint: waiting for the database and its migrations (${waited}s)" >&2
      sleep 5
      waited=$((waited + 5))
    done
    exec samspill serve "$@"
    ;;
  worker)
    exec samspill db_worker --no-reload "$@"
    ;;
  scheduler)
    exec samspill scheduler "$@"
    ;;
  migrate)
    exec samspill migrate --no-input "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
