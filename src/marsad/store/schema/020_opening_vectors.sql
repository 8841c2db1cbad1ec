-- An article's opening (its title and first paragraph) as a tf-idf vector (JSON), beside its whole text's:
-- a story takes a member only if its opening is like its first members' (link/stories.py, OPENING_MIN).
-- Rows linked before have none: their stories are judged without it until `marsad relink`.
ALTER TABLE link_doc ADD COLUMN opening TEXT NOT NULL DEFAULT '{}';
