-- The instant an article was published, for ordering: `published` as stated carries the outlet's own UTC
-- offset ("2018-11-15T21:00:00+03:00" is earlier than "2018-11-15T19:10:00+01:00"), so its text does not
-- sort by time. These indexes are on the UTC time of `published` (a period at its start: "2018-05" is
-- 2018-05-01T00:00:00; no offset is read as UTC; an unreadable value is NULL, as undated). The expression
-- is written exactly as store/articles.py INSTANT writes it, so that SQLite uses these indexes for it.
CREATE INDEX IF NOT EXISTS article_instant ON article((CASE
    WHEN published GLOB '[0-9][0-9][0-9][0-9]' THEN published || '-01-01T00:00:00'
    WHEN published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' THEN published || '-01T00:00:00'
    WHEN published GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'
    THEN printf('%s-%02d-01T00:00:00', substr(published, 1, 4), 3 * substr(published, 7, 1) - 2)
    ELSE strftime('%Y-%m-%dT%H:%M:%S', published) END));
CREATE INDEX IF NOT EXISTS article_source_instant ON article(source_id, (CASE
    WHEN published GLOB '[0-9][0-9][0-9][0-9]' THEN published || '-01-01T00:00:00'
    WHEN published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' THEN published || '-01T00:00:00'
    WHEN published GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'
    THEN printf('%s-%02d-01T00:00:00', substr(published, 1, 4), 3 * substr(published, 7, 1) - 2)
    ELSE strftime('%Y-%m-%dT%H:%M:%S', published) END));
