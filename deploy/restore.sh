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
# A backup from an older release is fine: `samspill migrate` brings it up to date.
samspill migrate --check --no-input || {
  echo "restore.sh: restored; run \`samspill migrate\` to bring the schema to this release" >&2
  exit 3
}
echo "restore.sh: restored into the database and $MEDIA_ROOT"
