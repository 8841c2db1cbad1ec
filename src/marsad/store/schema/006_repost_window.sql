-- The LSH buckets of the repost window are held in memory by the linker, made from link_doc's signatures
-- (a bucket table rewrote much of its index on every commit, more so as the archive grew): the window is
-- read by link time.
DROP TABLE lsh_band;
CREATE INDEX link_doc_at ON link_doc(at);
