"""The HTTP layer every network source uses: a polite, capped fetcher behind an address policy.

- `safety`: which addresses may be contacted (checked after DNS, on every connection).
- `fetcher`: robots.txt, per-host turns, conditional GET, retries, caps, charsets.

It only fetches: what to fetch and what to do with the pages is marsad.crawl's business (and
marsad.sources.feeds' for a single URL).
"""
