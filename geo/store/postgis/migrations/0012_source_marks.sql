-- What an import says of a source besides its rows. synthetic_sources
-- names the sources (policeuk for police.uk) some run declared generated
-- (`hotspot generate` output); meta reports them as synthetic.
CREATE TABLE synthetic_sources (
    source text COLLATE "C" PRIMARY KEY
);

-- The categories of each local source, kept by the import as
-- partner_sources is: meta lists them to callers who may see the source
-- on most requests, which must not scan partner_incidents.
CREATE TABLE partner_categories (
    source   text COLLATE "C" NOT NULL,
    category text COLLATE "C" NOT NULL,
    PRIMARY KEY (source, category)
);
INSERT INTO partner_categories (source, category)
SELECT DISTINCT source, category FROM partner_incidents;
