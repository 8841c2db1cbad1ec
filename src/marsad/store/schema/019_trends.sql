-- Coverage over time (store/trends.py) counts an outlet's visible articles by their published text, and
-- "rising" a span of days' articles by story. `published` and `precision` come after `body` in the article
-- row, so without these indexes every counted article's whole row is read, its body's overflow pages
-- included; with them the counts are answered from the index alone.
CREATE INDEX IF NOT EXISTS article_source_trend ON article(source_id, hidden, published, precision);
CREATE INDEX IF NOT EXISTS article_published_story ON article(published, hidden, story_id, precision);
