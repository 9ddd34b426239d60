-- Target areas (DESIGN.md, "Target areas"): places the partnership acts
-- on, drawn by analysts. Few and small; edited by people, never by
-- imports, so they do not move the data generation in meta. Their own
-- counter, bumped in the statement of every edit, lets answers about
-- areas be cached without ever serving a stale one.
CREATE TABLE target_areas (
    id       text COLLATE "C" PRIMARY KEY,
    name     text NOT NULL,
    priority text NOT NULL,
    start    text NOT NULL CHECK (start ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    actions  text NOT NULL DEFAULT '',
    owner    text NOT NULL DEFAULT '',
    geom     geometry(MultiPolygon, 4326) NOT NULL,
    created  timestamptz NOT NULL,
    updated  timestamptz NOT NULL
);

CREATE TABLE target_areas_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint  NOT NULL DEFAULT 0
);
INSERT INTO target_areas_version DEFAULT VALUES;
