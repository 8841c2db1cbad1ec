"""The crawler: outlets and their feeds, a polite and safe fetcher, and the crawl loop that feeds ingest.

- `safety`: which addresses may be contacted (checked after DNS, on every connection).
- `fetcher`: robots.txt, per-host turns, conditional GET, retries, caps, charsets.
- `outlets`: adding outlets (feed discovery), OPML import/export.
- `crawl`: one round or a loop: due feeds -> queued URLs (in the database) -> pages -> ingest.
"""
