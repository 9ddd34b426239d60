-- Partner records (DESIGN.md, "Partner records"): the rows of local
-- sources, kept in their own table so that police.uk's incidents, their
-- aggregates (agg, agg_text), months and categories are exactly what they
-- were, and police.uk queries stay on those aggregates. (source, id) is
-- unique: a re-import adds nothing. offender holds the pseudonym only;
-- a reference is never stored. dow (Monday = 0) and hour are the local
-- (Europe/London) weekday and hour of occurred, worked out at import for
-- the day and hour filters.
CREATE TABLE partner_incidents (
    source   text COLLATE "C" NOT NULL,
    id       text COLLATE "C" NOT NULL,
    month    integer NOT NULL,
    occurred timestamptz NOT NULL,
    dow      smallint NOT NULL,
    hour     smallint NOT NULL,
    category text COLLATE "C" NOT NULL,
    location text NOT NULL,
    flags    smallint NOT NULL,
    premises text COLLATE "C" NOT NULL,
    offender text COLLATE "C" NOT NULL,
    point_id integer,
    PRIMARY KEY (source, id)
);
CREATE INDEX partner_incidents_month ON partner_incidents (month, source);

-- The local sources that hold records, kept with the table: meta and
-- access ask for them on most requests.
CREATE TABLE partner_sources (
    source text COLLATE "C" PRIMARY KEY
);

-- Partner records share the map points (cells and wards are worked out
-- once per point), but a point only partner records have is not one of
-- police.uk's map points, which MapPoints lists.
ALTER TABLE points ADD COLUMN policeuk boolean NOT NULL DEFAULT true;

-- The premises register, merged by id.
CREATE TABLE premises (
    id   text COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    lon  float8,
    lat  float8
);
