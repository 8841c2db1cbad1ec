-- The category lists of visible originals, for the reader's category counts (reader.categories).
CREATE INDEX IF NOT EXISTS article_categories ON article(categories) WHERE hidden = 0 AND duplicate_of IS NULL;
