-- 013_published_instant.sql on PostgreSQL: the same indexes on the UTC instant of `published`, through the
-- function marsad_instant (marsad.store.postgres), which queries name in place of 013's CASE expression
-- (marsad.store.dialect.instant_of).
CREATE INDEX IF NOT EXISTS article_instant ON article(marsad_instant(published));
CREATE INDEX IF NOT EXISTS article_source_instant ON article(source_id, marsad_instant(published));
