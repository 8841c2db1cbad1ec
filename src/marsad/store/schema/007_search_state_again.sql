-- 005_search.sql's index, for a database that recorded 006 before 005 was written (both came in one
-- stop): the migration runner applies only files numbered above the newest one recorded.
CREATE INDEX IF NOT EXISTS article_search_state ON article(id, story_id, duplicate_of, hidden);
