-- Search: what collapsing a page of hits reads for each of its 64+ candidates (story, original, hidden),
-- kept in a small covering index (~15 MB at a million articles) so that the lookups stay in cache instead
-- of reaching one page of the article table (bodies included) per candidate.

CREATE INDEX article_search_state ON article(id, story_id, duplicate_of, hidden);
