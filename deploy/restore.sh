#!/bin/sh
# Restore a backup made by backup.sh into an EMPTY database and media directory, then check
# that the schema matches this release (`samspill migrate --check`).
#
#   DATABASE_URL=postgres://.../samspill_restored MEDIA_ROOT=/srv/samspill/media \
#     deploy/restore.sh DIR
set -eu
dir="${1:?usage: restore.sh DIR}"
: "${DATABASE_URL:?set DATABASE_URL (an empty database)}"
: "${MEDIA_ROOT:?set MEDIA_ROOT}"
(cd "$dir" && sha256sum --check --quiet SHA256SUMS)
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$dir/samspill.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$dir/media.tar.gz"
# `samspill` of the image (on PATH), else of the repository this script is in (.venv).
samspill=$(command -v samspill || echo "$(dirname "$0")/../.venv/bin/samspill")
# A backup from an older release is fine: `samspill migrate` brings it up to date.
status=0
"$samspill" migrate --check --no-input || status=$?
case $status in
  0) echo "restore.sh: restored into the database and $MEDIA_ROOT" ;;
  1)
    echo "restore.sh: restored; run \`samspill migrate\` to bring the schema to this release" >&2
    exit 3 ;;
  *)
    echo "restore.sh: restored, but \`$samspill migrate --check\` could not run (above: its" \
      "settings, e.g. DEBUG=0 needs SECRET_KEY); run it yourself before starting Samspill" >&2
    exit 4 ;;
esac
