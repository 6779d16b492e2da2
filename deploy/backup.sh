#!/bin/sh
# Back up a Samspill installation into DIR: the database (pg_dump, custom format) and the
# media files (signed agreements, certificates), with checksums. For small and medium
# installations; large ones use base backups and WAL archiving (docs/operations.md).
#
#   DATABASE_URL=postgres://... MEDIA_ROOT=/srv/samspill/media deploy/backup.sh DIR
#
# The dump is one consistent snapshot and is taken while Samspill runs. Media files are
# written once and never changed, so copying them after the dump misses at most the files
# of agreements created meanwhile (their rows are not in the dump either).
set -eu
dir="${1:?usage: backup.sh DIR}"
: "${DATABASE_URL:?set DATABASE_URL}"
: "${MEDIA_ROOT:?set MEDIA_ROOT}"
mkdir -p "$dir"
pg_dump --format=custom --no-owner --no-privileges --file="$dir/samspill.dump" \
  --dbname="$DATABASE_URL"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -czf "$dir/media.tar.gz" .
(cd "$dir" && sha256sum samspill.dump media.tar.gz > SHA256SUMS)
echo "backup.sh: $dir/samspill.dump, $dir/media.tar.gz"
