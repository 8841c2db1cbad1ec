-- Articles a day per outlet (the operator's outlet page, `marsad sources list`) counts an outlet's articles
-- ingested in the last week: this index answers it from the index alone instead of reading every article
-- row of the outlet.
CREATE INDEX IF NOT EXISTS article_source_created ON article(source_id, created_at);
