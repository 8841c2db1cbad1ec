-- Document frequencies by a 64-bit hash of the term (marsad.link.docfreq): the linker looks up an
-- article's terms all at once in a numpy table instead of a probe of a dict of strings per term. A store
-- linked before keeps its term_df rows until the linker first loads them and converts them here.
CREATE TABLE IF NOT EXISTS doc_freq (
    term_hash INTEGER PRIMARY KEY,
    df INTEGER NOT NULL
);
