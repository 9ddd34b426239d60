#!/usr/bin/env bash
# Builds a small PMTiles basemap of central Leicester for the tests, the
# way a real one is made: GDAL writes the hand-made GeoJSON layers of
# web/test/basemap (named as in the Protomaps basemap schema: earth, water,
# roads with kind and name, places with kind and name) into MBTiles, and
# go-pmtiles converts that into PMTiles.
#
#   bash web/test/make-basemap.sh OUT.pmtiles
#
# Needs ogr2ogr (Debian's gdal-bin) and go-pmtiles (installed with
# `go install github.com/protomaps/go-pmtiles@v1.31.2` when missing).
set -euo pipefail
out=${1:?usage: make-basemap.sh OUT.pmtiles}
here=$(cd "$(dirname "$0")" && pwd)
command -v ogr2ogr >/dev/null || { echo "make-basemap: ogr2ogr not found (apt-get install gdal-bin)" >&2; exit 1; }
pmtiles=$(command -v pmtiles || command -v go-pmtiles || true)
if [ -z "$pmtiles" ]; then
  gobin=$(go env GOPATH)/bin
  if [ ! -x "$gobin/go-pmtiles" ]; then
    echo "make-basemap: installing go-pmtiles" >&2
    go install github.com/protomaps/go-pmtiles@v1.31.2
  fi
  pmtiles=$gobin/go-pmtiles
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One GeoPackage gathers the layers (one per file, named after it), then
# GDAL cuts it into vector tiles in one MBTiles.
for f in "$here"/basemap/*.geojson; do
  ogr2ogr -q -f GPKG -update -append "$tmp/layers.gpkg" "$f" -nln "$(basename "$f" .geojson)"
done
ogr2ogr -q -f MBTiles "$tmp/basemap.mbtiles" "$tmp/layers.gpkg" \
  -dsco MINZOOM=0 -dsco MAXZOOM=14 -dsco NAME=hotspot-test-basemap \
  -dsco "DESCRIPTION=Central Leicester, hand-made for hotspot's tests" \
  -dsco TYPE=baselayer
"$pmtiles" convert "$tmp/basemap.mbtiles" "$out" >/dev/null 2>"$tmp/convert.log" || { cat "$tmp/convert.log" >&2; exit 1; }
