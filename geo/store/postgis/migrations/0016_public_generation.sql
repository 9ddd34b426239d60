-- The generation of the latest import that changed what a caller without
-- a key sees (police.uk incidents, areas, population): the public part of
-- the data version (geo.FormatVersion), which must not move when only
-- partner data changed. A store made before it starts level with its
-- generation.
ALTER TABLE meta ADD COLUMN public_generation bigint;
UPDATE meta SET public_generation = generation;
ALTER TABLE meta ALTER COLUMN public_generation SET NOT NULL;
